package io.devswarm.store;

import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;

@DisplayName("control plane on PostgreSQL")
class PostgresControlPlaneTest extends ControlPlaneSpec {
    private DatabaseSettings settings;

    @Override
    DatabaseSettings database(Path tmp) {
        if (settings == null) settings = TestDatabases.postgres();
        return settings;
    }
}
