package io.devswarm.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.devswarm.core.testing.HostCommand;
import io.devswarm.store.Database;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Secrets on a real Docker engine: they reach the instance's processes as environment variables,
 * and no secret value, password or token shows up in any log line (everything at DEBUG), API
 * response, operation result, command history or audit entry across a whole lifecycle.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"server.address=127.0.0.1", "devswarm.ssh.enabled=false", "devswarm.reconcile-interval=1h"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("secrets on Docker: injected, never leaked")
class SecretsOnDockerTest {
    private static final String GLOBAL = "global-Zq8vR2mW";
    private static final String USER = "user-Kp4xT9bN";
    private static final String INSTANCE = "instance-Hd7sL3cF";
    private static final String ROTATED = "rotated-Wy5nM8gJ";
    private static final String PASSWORD = "dev password Xr2kQ";

    @LocalServerPort
    int port;

    @Autowired
    Database database;

    @BeforeAll
    static void docker() {
        HostCommand.requireDocker();
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("devswarm.home", () -> Infra.tempHome("devswarm-secrets"));
    }

    private String containerOf(String name) throws Exception {
        return HostCommand.containerOf(database.installationId(), name);
    }

    @Test
    @DisplayName("a full lifecycle with secrets at every scope: the container sees them, logs and responses never do")
    void lifecycleLeaksNothing() throws Exception {
        LoggerContext logs = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = logs.getLogger(Logger.ROOT_LOGGER_NAME);
        Level before = root.getLevel();
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.setContext(logs);
        captured.start();
        root.addAppender(captured);
        root.setLevel(Level.DEBUG);
        List<ApiClient.Response> responses = new ArrayList<>();
        String name = "secret-" + java.util.UUID.randomUUID().toString().substring(0, 6);
        try {
            ApiClient admin = ApiClient.firstStartAdmin(port, Path.of(Infra.tempHome("devswarm-secrets")));
            responses.add(admin.call("POST", "/api/v1/users", ApiClient.JSON.writeValueAsString(Map.of("username", "sam", "password", PASSWORD,
                    "roles", List.of("developer")))));
            ApiClient sam = new ApiClient(port, null).login("sam", PASSWORD);
            responses.add(admin.call("PUT", "/api/v1/secrets/GLOBAL_SECRET", value(GLOBAL)));
            responses.add(sam.call("PUT", "/api/v1/users/sam/secrets/USER_SECRET", value(USER)));
            responses.add(sam.call("POST", "/api/v1/instances?wait=true", "{\"name\":\"" + name + "\",\"image\":\"devswarm/base\"}"));
            assertThat(responses.getLast().status()).isEqualTo(200);
            responses.add(sam.call("PUT", "/api/v1/instances/" + name + "/secrets/INSTANCE_SECRET", value(INSTANCE)));

            // created before INSTANCE_SECRET existed: exec still gets its current value, and the container env has the others
            responses.add(sam.call("POST", "/api/v1/instances/" + name + "/exec?wait=true", exec(
                    holds("GLOBAL_SECRET", GLOBAL) + " && " + holds("USER_SECRET", USER) + " && " + holds("INSTANCE_SECRET", INSTANCE) + " && echo all-there")));
            String history = sam.call("GET", "/api/v1/instances/" + name + "/executions", null).body().path("items").get(0).path("stdout").asString();
            assertThat(history).isEqualTo("all-there\n");
            assertThat(HostCommand.docker("inspect", "-f", "{{range .Config.Env}}{{println .}}{{end}}", containerOf(name))).contains("USER_SECRET=" + USER);

            // a command that prints a secret: the history keeps a placeholder, not the value
            responses.add(sam.call("POST", "/api/v1/instances/" + name + "/exec?wait=true", exec("echo $USER_SECRET")));
            assertThat(sam.call("GET", "/api/v1/instances/" + name + "/executions", null).body().path("items").get(0).path("stdout").asString())
                    .isEqualTo("[secret USER_SECRET]\n");

            responses.add(sam.call("POST", "/api/v1/instances/" + name + "/stop?wait=true", null));
            responses.add(sam.call("PUT", "/api/v1/users/sam/secrets/USER_SECRET", value(ROTATED)));
            responses.add(sam.call("POST", "/api/v1/instances/" + name + "/start?wait=true", null));
            // the start re-made the container with the changed value (its /workspace volume kept)
            assertThat(HostCommand.docker("inspect", "-f", "{{range .Config.Env}}{{println .}}{{end}}", containerOf(name))).contains("USER_SECRET=" + ROTATED);
            responses.add(sam.call("POST", "/api/v1/instances/" + name + "/exec?wait=true", exec(holds("USER_SECRET", ROTATED) + " && echo rotated")));
            assertThat(sam.call("GET", "/api/v1/instances/" + name + "/executions", null).body().path("items").get(0).path("stdout").asString())
                    .isEqualTo("rotated\n");
            responses.add(sam.call("POST", "/api/v1/instances/" + name + "/recreate?wait=true", "{}"));
            assertThat(HostCommand.docker("inspect", "-f", "{{range .Config.Env}}{{println .}}{{end}}", containerOf(name)))
                    .contains("USER_SECRET=" + ROTATED).contains("INSTANCE_SECRET=" + INSTANCE);
            responses.add(admin.call("POST", "/api/v1/secrets/rotate-key", null));
            responses.add(sam.call("GET", "/api/v1/users/sam/secrets", null));
            responses.add(sam.call("GET", "/api/v1/instances/" + name, null));
            responses.add(sam.call("GET", "/api/v1/instances/" + name + "/secrets/INSTANCE_SECRET", null));
            assertThat(sam.call("GET", "/api/v1/instances/" + name + "/secrets/INSTANCE_SECRET?reveal=true", null).status()).isEqualTo(403);
            var revealed = sam.call("GET", "/api/v1/users/sam/secrets/USER_SECRET?reveal=true", null);
            assertThat(revealed.body().path("value").asString()).isEqualTo(ROTATED); // a user sees their own, and that is not logged either
            responses.add(sam.call("GET", "/api/v1/operations?instance=" + name, null));
            responses.add(admin.call("GET", "/api/v1/audit?limit=1000", null));
            responses.add(sam.call("DELETE", "/api/v1/instances/" + name + "?wait=true", null));
            assertThat(responses.getLast().status()).isEqualTo(200);
            assertThat(admin.call("GET", "/api/v1/instances/" + name + "/secrets", null).status()).isEqualTo(404);

            String[] secrets = {GLOBAL, USER, INSTANCE, ROTATED, PASSWORD, admin.token(), sam.token()};
            for (ApiClient.Response r : responses) assertThat(r.body().toString()).doesNotContain(secrets);
            assertThat(captured.list).isNotEmpty();
            for (ILoggingEvent e : captured.list) {
                String line = e.getFormattedMessage() + (e.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(e.getThrowableProxy()));
                assertThat(line).as("log line from " + e.getLoggerName()).doesNotContain(secrets);
            }
        } finally {
            root.detachAppender(captured);
            root.setLevel(before);
            try {
                HostCommand.docker("rm", "-f", containerOf(name));
            } catch (java.io.IOException alreadyGone) {
                // deleted by the test itself
            }
        }
    }

    @Test
    @DisplayName("output of a command run with secrets: the owner and admins read it; an auditor, a viewer and the orchestrator who ran it get it withheld, in every encoding")
    void secretOutputOnlyForThoseWhoMayReadTheSecrets() throws Exception {
        String secret = "encoded-Rt6vB1xN";
        String name = "encoded-" + java.util.UUID.randomUUID().toString().substring(0, 6);
        ApiClient admin = ApiClient.firstStartAdmin(port, Path.of(Infra.tempHome("devswarm-secrets")));
        Map<String, ApiClient> as = new java.util.LinkedHashMap<>();
        for (String[] u : new String[][] {{"owen", "developer"}, {"orla", "orchestrator"}, {"audra", "auditor"}, {"vera", "viewer"}}) {
            assertThat(admin.call("POST", "/api/v1/users", ApiClient.JSON.writeValueAsString(Map.of("username", u[0], "password", PASSWORD,
                    "roles", List.of(u[1])))).status()).isEqualTo(201);
            as.put(u[0], new ApiClient(port, null).login(u[0], PASSWORD));
        }
        try {
            assertThat(as.get("owen").call("POST", "/api/v1/instances?wait=true", "{\"name\":\"" + name + "\",\"image\":\"devswarm/base\"}").status()).isEqualTo(200);
            assertThat(as.get("owen").call("PUT", "/api/v1/instances/" + name + "/secrets/TOKEN", value(secret)).status()).isEqualTo(200);
            var ran = as.get("orla").call("POST", "/api/v1/instances/" + name + "/exec?wait=true",
                    exec("printf %s \"$TOKEN\" | base64; printf %s \"$TOKEN\" | rev; echo; printf %s \"$TOKEN\" | od -An -tx1 | tr -d ' \\n'"));
            assertThat(ran.status()).isEqualTo(200);
            String executionId = ran.body().path("operation").path("result").path("executionId").asString();
            String operationId = ran.body().path("operation").path("id").asString();
            String[] encodings = {java.util.Base64.getEncoder().encodeToString(secret.getBytes()), new StringBuilder(secret).reverse().toString(),
                    java.util.HexFormat.of().formatHex(secret.getBytes())};

            for (String who : List.of("owen", "admin")) {
                ApiClient reader = who.equals("admin") ? admin : as.get(who);
                var one = reader.call("GET", "/api/v1/instances/" + name + "/executions/" + executionId, null).body();
                assertThat(one.path("stdout").asString()).as(who).contains(encodings);
                assertThat(one.hasNonNull("outputWithheld")).as(who).isFalse();
            }
            for (String who : List.of("audra", "orla")) {
                ApiClient reader = as.get(who);
                var one = reader.call("GET", "/api/v1/instances/" + name + "/executions/" + executionId, null);
                var list = reader.call("GET", "/api/v1/instances/" + name + "/executions", null);
                assertThat(one.status()).isEqualTo(200);
                assertThat(one.body().path("withSecrets").asBoolean()).isTrue();
                assertThat(one.body().path("outputWithheld").asString()).as(who).contains("secrets");
                assertThat(list.body().path("items").get(0).path("outputWithheld").asString()).as(who).contains("secrets");
                for (var r : List.of(one, list, reader.call("GET", "/api/v1/operations/" + operationId, null),
                        reader.call("GET", "/api/v1/operations?instance=" + name, null), reader.call("GET", "/api/v1/instances/" + name, null))) {
                    assertThat(r.body().toString()).as(who).doesNotContain(encodings).doesNotContain(secret);
                }
            }
            assertThat(admin.call("GET", "/api/v1/audit?limit=1000", null).body().toString()).doesNotContain(encodings).doesNotContain(secret);
            assertThat(as.get("vera").call("GET", "/api/v1/instances/" + name + "/executions/" + executionId, null).status()).isEqualTo(403);
        } finally {
            as.get("owen").call("DELETE", "/api/v1/instances/" + name + "?wait=true", null);
        }
    }

    private static String value(String v) {
        return "{\"value\":\"" + v + "\"}";
    }

    /** A shell test that the variable holds the value, naming only its digest: the command itself is kept in the history. */
    private static String holds(String variable, String value) throws Exception {
        String digest = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(value.getBytes()));
        return "[ \"$(printf %s \"$" + variable + "\" | sha256sum | cut -d' ' -f1)\" = " + digest + " ]";
    }

    private static String exec(String script) {
        return ApiClient.JSON.writeValueAsString(Map.of("command", List.of("sh", "-c", script)));
    }
}
