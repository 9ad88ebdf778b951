package io.devswarm.store;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The two databases every store test runs on. PostgreSQL comes from {@code DEVSWARM_TEST_PG_URL}
 * (default: local server, user/password devswarm, database devswarm_test, as .ci/run sets up);
 * without it tests skip with the reason, except in CI where they fail.
 */
final class TestDatabases {
    private TestDatabases() {}

    static DatabaseSettings h2(Path dir) {
        return DatabaseSettings.embedded(dir);
    }

    static DatabaseSettings postgres() {
        String url = env("DEVSWARM_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/devswarm_test");
        String user = env("DEVSWARM_TEST_PG_USER", "devswarm");
        String password = env("DEVSWARM_TEST_PG_PASSWORD", "devswarm");
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
            // a clean schema per test class: the suite must not depend on what ran before
            s.execute("DROP SCHEMA public CASCADE");
            s.execute("CREATE SCHEMA public");
        } catch (SQLException e) {
            String why = "PostgreSQL not reachable at " + url + " as " + user + ": " + e.getMessage();
            if (Boolean.getBoolean("devswarm.requireInfra")) fail("PostgreSQL required in CI: " + why);
            assumeTrue(false, why);
        }
        return new DatabaseSettings(url, user, password, 16);
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
