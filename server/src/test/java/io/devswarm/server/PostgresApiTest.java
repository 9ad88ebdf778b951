package io.devswarm.server;

import io.devswarm.core.testing.HostCommand;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

@DisplayName("REST API on PostgreSQL and Docker")
class PostgresApiTest extends ApiSpec {
    @BeforeAll
    static void infra() {
        HostCommand.requireDocker();
        Infra.requirePostgresAndReset();
    }

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("devswarm.database.url", () -> Infra.PG_URL);
        registry.add("devswarm.database.user", () -> Infra.PG_USER);
        registry.add("devswarm.database.password", () -> Infra.PG_PASSWORD);
        registry.add("devswarm.home", () -> Infra.tempHome("devswarm-pg-api"));
    }
}
