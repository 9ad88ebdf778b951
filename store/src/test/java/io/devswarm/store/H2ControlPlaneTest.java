package io.devswarm.store;

import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;

@DisplayName("control plane on embedded H2")
class H2ControlPlaneTest extends ControlPlaneSpec {
    @Override
    DatabaseSettings database(Path tmp) {
        return TestDatabases.h2(tmp);
    }
}
