package io.devswarm.store;

import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;

@DisplayName("access store on PostgreSQL")
class PostgresAccessStoreTest extends AccessStoreSpec {
    @Override
    DatabaseSettings database(Path tmp) {
        return TestDatabases.postgres();
    }
}
