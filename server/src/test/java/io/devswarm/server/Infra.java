package io.devswarm.server;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/** What the API tests need from the machine; skipped with a reason outside CI, failed inside. */
final class Infra {
    static final String PG_URL = env("DEVSWARM_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/devswarm_test");
    static final String PG_USER = env("DEVSWARM_TEST_PG_USER", "devswarm");
    static final String PG_PASSWORD = env("DEVSWARM_TEST_PG_PASSWORD", "devswarm");

    private Infra() {}

    static void requirePostgresAndReset() {
        String why = null;
        try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, PG_PASSWORD); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA public CASCADE");
            s.execute("CREATE SCHEMA public");
        } catch (Exception e) {
            why = "PostgreSQL not reachable at " + PG_URL + ": " + e.getMessage();
        }
        require(why);
    }

    private static void require(String why) {
        if (why == null) return;
        if (Boolean.getBoolean("devswarm.requireInfra")) fail("required in CI: " + why);
        assumeTrue(false, why);
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    private static final java.util.Map<String, String> HOMES = new java.util.concurrent.ConcurrentHashMap<>();

    /** One home per prefix for the whole run: a property supplier is asked more than once and must answer alike. */
    static String tempHome(String prefix) {
        return HOMES.computeIfAbsent(prefix, p -> {
            try {
                return java.nio.file.Files.createTempDirectory(p).toString();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }
}
