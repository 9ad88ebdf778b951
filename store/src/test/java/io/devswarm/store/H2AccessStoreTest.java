package io.devswarm.store;

import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;

@DisplayName("access store on embedded H2")
class H2AccessStoreTest extends AccessStoreSpec {
    @Override
    DatabaseSettings database(Path tmp) {
        return TestDatabases.h2(tmp);
    }
}
