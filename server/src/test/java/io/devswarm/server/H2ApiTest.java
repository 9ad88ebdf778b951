package io.devswarm.server;

import io.devswarm.core.testing.HostCommand;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

@DisplayName("REST API on embedded H2 and Docker")
class H2ApiTest extends ApiSpec {
    @BeforeAll
    static void infra() {
        HostCommand.requireDocker();
    }

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("devswarm.home", () -> Infra.tempHome("devswarm-h2-api"));
    }
}
