package io.devswarm.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.devswarm.core.testing.MovableClock;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The sign-in limit under a burst of parallel guesses, through real HTTP. The server's clock is
 * moved by hand, so "after the window" is exact and nothing sleeps.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"server.address=127.0.0.1", "devswarm.ssh.enabled=false", "devswarm.default-provider=memory", "devswarm.reconcile-interval=1h",
                "devswarm.auth.login-attempts=5", "devswarm.auth.login-window=1m"})
@Import({SecuritySpecTest.MemoryProvider.class, LoginLimitTest.HandMovedClock.class})
@DisplayName("sign-in limit: parallel guesses")
class LoginLimitTest {
    private static final String PASSWORD = "correct horse battery";
    private static final int LIMIT = 5;
    private static final int GUESSES = 100;

    @TestConfiguration
    static class HandMovedClock {
        @Bean
        @Primary
        MovableClock movableClock() {
            return new MovableClock(Instant.now());
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("devswarm.home", () -> Infra.tempHome("devswarm-login-limit"));
    }

    @LocalServerPort
    int port;

    @Autowired
    MovableClock clock;

    @Test
    @DisplayName("100 parallel wrong passwords: at most the limit are checked, the rest get 429 with Retry-After and are audited; after the window the right one works")
    void parallelGuessesGetTheLimitOnce() throws Exception {
        ApiClient admin = ApiClient.firstStartAdmin(port, Path.of(Infra.tempHome("devswarm-login-limit")));
        assertThat(admin.call("POST", "/api/v1/users", ApiClient.JSON.writeValueAsString(Map.of("username", "target", "password", PASSWORD,
                "roles", List.of("viewer")))).status()).isEqualTo(201);

        List<ApiClient.Response> answers = guessInParallel();
        List<Integer> statuses = answers.stream().map(ApiClient.Response::status).toList();
        long checked = statuses.stream().filter(s -> s == 401).count();
        long refused = statuses.stream().filter(s -> s == 429).count();
        assertThat(checked + refused).as("every answer is 401 or 429: %s", statuses).isEqualTo(GUESSES);
        assertThat(checked).as("wrong passwords checked").isBetween(1L, (long) LIMIT);
        assertThat(answers).filteredOn(r -> r.status() == 429).allSatisfy(r -> assertThat(r.headers().get("retry-after")).isNotEmpty());

        var audit = admin.call("GET", "/api/v1/audit?action=auth.login&actor=target&limit=500", null).body().path("items");
        List<String> results = audit.valueStream().map(e -> e.path("result").asString()).toList();
        assertThat(results.stream().filter("denied: bad credentials"::equals).count()).isEqualTo(checked);
        assertThat(results.stream().filter("denied: too many attempts"::equals).count()).isEqualTo(refused);

        ApiClient anon = new ApiClient(port, null);
        String right = ApiClient.JSON.writeValueAsString(Map.of("username", "target", "password", PASSWORD));
        assertThat(anon.call("POST", "/api/v1/auth/login", right).status()).as("the right password within the window").isEqualTo(429);
        clock.advance(Duration.ofMinutes(1).plusSeconds(1));
        assertThat(anon.call("POST", "/api/v1/auth/login", right).status()).as("the right password after the window").isEqualTo(200);
    }

    /** All guesses wait at one gate and go together, so they overlap on the server. */
    private List<ApiClient.Response> guessInParallel() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        List<Future<ApiClient.Response>> pending = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(GUESSES)) {
            for (int i = 0; i < GUESSES; i++) {
                String body = ApiClient.JSON.writeValueAsString(Map.of("username", "target", "password", "wrong guess " + i));
                pending.add(pool.submit(() -> {
                    gate.await();
                    return new ApiClient(port, null).call("POST", "/api/v1/auth/login", body);
                }));
            }
            gate.countDown();
            List<ApiClient.Response> answers = new ArrayList<>();
            for (Future<ApiClient.Response> f : pending) answers.add(f.get());
            return answers;
        }
    }
}
