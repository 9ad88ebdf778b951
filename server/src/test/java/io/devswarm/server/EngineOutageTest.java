package io.devswarm.server;

import static io.devswarm.core.testing.HostCommand.docker;
import static org.assertj.core.api.Assertions.assertThat;

import io.devswarm.core.testing.HostCommand;
import io.devswarm.store.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The server reaches the engine through a socat proxy of its socket, which the test stops for 20 s
 * (about what a dockerd restart takes, and longer than five quick retries) and starts again.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"devswarm.reconcile-interval=1h", "server.address=127.0.0.1", "devswarm.ssh.enabled=false", "devswarm.stuck-timeout=5m"})
@DisplayName("an engine outage as long as a dockerd restart loses nothing")
class EngineOutageTest {
    private static final Path SOCKET_DIR = Path.of(Infra.tempHome("devswarm-outage-socket"));
    private static final Path SOCKET = SOCKET_DIR.resolve("docker.sock");
    private static Process proxy;

    @LocalServerPort
    int port;

    @Value("${devswarm.home}")
    Path home;

    @Autowired
    Database database;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("devswarm.home", () -> Infra.tempHome("devswarm-outage"));
        registry.add("devswarm.providers.docker.host", () -> "unix://" + SOCKET);
    }

    @BeforeAll
    static void engineThroughProxy() throws Exception {
        HostCommand.requireDocker();
        startProxy();
    }

    @AfterAll
    static void stopProxy() throws InterruptedException {
        if (proxy == null) return;
        // socat forks a child per connection, each holding a pooled connection to the engine
        proxy.descendants().forEach(ProcessHandle::destroyForcibly);
        proxy.destroyForcibly().waitFor();
        proxy = null;
    }

    private static void startProxy() throws Exception {
        Files.deleteIfExists(SOCKET);
        proxy = new ProcessBuilder("socat", "UNIX-LISTEN:" + SOCKET + ",fork", "UNIX-CONNECT:/var/run/docker.sock").redirectErrorStream(true).start();
        for (int i = 0; i < 500 && !Files.exists(SOCKET); i++) Thread.sleep(10);
        assertThat(SOCKET).exists();
    }

    @Test
    @Timeout(180)
    @DisplayName("operations in flight and submitted during a 20 s outage complete once the engine is back; the engine's own work is adopted")
    void outage() throws Exception {
        ApiClient api = ApiClient.firstStartAdmin(port, home);
        String slow = ApiSpec.name("slow");
        String asleep = ApiSpec.name("asleep");
        String doomed = ApiSpec.name("doomed");
        // ignores SIGTERM: its stop is in flight for the whole stop grace (10 s), then the engine kills it
        create(api, "{\"name\":\"" + slow + "\",\"image\":\"devswarm/base\",\"command\":[\"sh\",\"-c\",\"trap '' TERM; while true; do sleep 1; done\"]}");
        create(api, "{\"name\":\"" + asleep + "\",\"image\":\"devswarm/base\"}");
        create(api, "{\"name\":\"" + doomed + "\",\"image\":\"devswarm/base\"}");
        assertThat(api.call("POST", "/api/v1/instances/" + asleep + "/stop?wait=true", null).status()).isEqualTo(200);
        try {
            String stop = operation(api.call("POST", "/api/v1/instances/" + slow + "/stop", null));
            waitForStatus(api, stop, "processing");
            Thread.sleep(1000); // the request reaches the engine (if not, the retry does the stop: the outcome is the same)
            stopProxy(); // the stop's answer is lost; the engine goes on and stops the container
            String start = operation(api.call("POST", "/api/v1/instances/" + asleep + "/start", null));
            String delete = operation(api.call("DELETE", "/api/v1/instances/" + doomed, null));
            Thread.sleep(20_000); // the outage under test
            startProxy();

            for (String op : new String[] {stop, start, delete}) {
                JsonNode done = api.call("GET", "/api/v1/operations/" + op + "?wait=true&timeout=90s", null).body();
                assertThat(done.path("status").asString()).as("%s", done).isEqualTo("completed");
                assertThat(done.path("attempts").asInt()).as("%s", done).isGreaterThan(1);
            }
            assertThat(status(api, slow)).isEqualTo("stopped");
            assertThat(docker("inspect", "-f", "{{.State.Running}}", HostCommand.containerOf(database.installationId(), slow))).isEqualTo("false");
            assertThat(status(api, asleep)).isEqualTo("running");
            assertThat(api.call("GET", "/api/v1/instances/" + doomed, null).status()).isEqualTo(404);
            assertThat(HostCommand.containerOf(database.installationId(), doomed)).isEmpty();
        } finally {
            if (proxy == null) startProxy();
            for (String n : new String[] {slow, asleep}) api.call("DELETE", "/api/v1/instances/" + n + "?wait=true", null);
        }
    }

    private static void create(ApiClient api, String body) {
        ApiClient.Response r = api.call("POST", "/api/v1/instances?wait=true", body);
        assertThat(r.status()).as("%s", r.body()).isEqualTo(200);
    }

    private static String operation(ApiClient.Response accepted) {
        assertThat(accepted.status()).as("%s", accepted.body()).isEqualTo(202);
        return accepted.body().path("operation").path("id").asString();
    }

    private static String status(ApiClient api, String name) {
        return api.call("GET", "/api/v1/instances/" + name, null).body().path("status").asString();
    }

    /** Until the operation has the status (at most 30 s). */
    private static void waitForStatus(ApiClient api, String op, String status) throws InterruptedException {
        for (int i = 0; i < 300 && !status.equals(api.call("GET", "/api/v1/operations/" + op, null).body().path("status").asString()); i++) Thread.sleep(100);
        assertThat(api.call("GET", "/api/v1/operations/" + op, null).body().path("status").asString()).isEqualTo(status);
    }
}
