package io.devswarm.server;

import static io.devswarm.core.testing.HostCommand.docker;
import static org.assertj.core.api.Assertions.assertThat;

import io.devswarm.core.controller.ControlPlane;
import io.devswarm.core.controller.Reconciler;
import io.devswarm.core.model.Instance;
import io.devswarm.core.model.InstanceHandle;
import io.devswarm.core.model.InstanceSpec;
import io.devswarm.core.provider.ExecRequest;
import io.devswarm.core.provider.ObservedInstance;
import io.devswarm.core.provider.Provider;
import io.devswarm.core.provider.ProviderContext;
import io.devswarm.core.provider.ProviderFactory;
import io.devswarm.core.secrets.Keyring;
import io.devswarm.core.testing.HostCommand;
import io.devswarm.store.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The REST API end to end: real HTTP, the real operation engine and the real Docker provider.
 * Runs on H2 and on PostgreSQL (subclasses pick the database).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"devswarm.orphan-grace=0s", "devswarm.reconcile-interval=1h", "server.address=127.0.0.1", "devswarm.ssh.port=0",
                "devswarm.ssh.address=127.0.0.1"})
abstract class ApiSpec {
    static final JsonMapper JSON = ApiClient.JSON;

    @LocalServerPort
    int port;

    @Autowired
    ControlPlane plane;

    @Autowired
    Database database;

    @Value("${devswarm.home}")
    Path home;

    @Autowired
    io.devswarm.ssh.SshGateway gateway;

    private ApiClient admin;

    /** As the first-start admin: this spec is about the API's behaviour; who may do what is {@link SecuritySpec}'s. */
    ApiClient.Response call(String method, String path, String json) {
        return admin().call(method, path, json);
    }

    private ApiClient admin() {
        if (admin == null) admin = ApiClient.firstStartAdmin(port, home);
        return admin;
    }

    static String name(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** The id of this server's container for instance {@code n}, or "" when it has none. */
    String containerOf(String n) throws Exception {
        return HostCommand.containerOf(database.installationId(), n);
    }

    private static List<String> fields(ApiClient.Response r) {
        return r.body().path("errors").valueStream().map(e -> e.path("field").asString()).toList();
    }

    /** Asserts a 409 problem of devswarm's conflict type {@code type}. */
    private static void assertConflict(ApiClient.Response r, String type) {
        assertThat(r.status()).as("%s", r.body()).isEqualTo(409);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.body().path("type").asString()).isEqualTo("https://devswarm.dev/problems/" + type);
    }


    @Test
    @DisplayName("create, exec, stop, start, delete through the API on the real Docker engine")
    void fullLifecycle() throws Exception {
        String n = name("api");
        ApiClient.Response created = call("POST", "/api/v1/instances?wait=true", "{\"name\":\"" + n + "\",\"image\":\"devswarm/base\"}");
        assertThat(created.status()).isEqualTo(200);
        assertThat(created.body().path("operation").path("status").asString()).isEqualTo("completed");
        assertThat(created.body().path("instance").path("status").asString()).isEqualTo("running");
        assertThat(created.body().path("operation").path("result").toString()).isEqualTo("{\"status\":\"running\"}");
        assertThat(docker("inspect", "-f", "{{.State.Running}}", containerOf(n))).isEqualTo("true");

        ApiClient.Response exec = call("POST", "/api/v1/instances/" + n + "/exec?wait=true",
                "{\"command\":[\"sh\",\"-c\",\"echo out; echo err >&2; exit 3\"],\"env\":{\"A\":\"1\"}}");
        assertThat(exec.body().path("operation").path("result").path("exitCode").asInt()).isEqualTo(3);
        assertThat(exec.body().path("operation").path("result").toString())
                .matches("\\{\"executionId\":\"ex-[a-z0-9]{12}\",\"exitCode\":3,\"timedOut\":false,\"truncated\":false}");
        ApiClient.Response history = call("GET", "/api/v1/instances/" + n + "/executions", null);
        JsonNode last = history.body().path("items").get(0);
        assertThat(last.path("stdout").asString()).isEqualTo("out\n");
        assertThat(last.path("stderr").asString()).isEqualTo("err\n");
        assertThat(last.path("envNames").get(0).asString()).isEqualTo("A");

        ApiClient.Response stopped = call("POST", "/api/v1/instances/" + n + "/stop?wait=true", null);
        assertThat(stopped.body().path("instance").path("status").asString()).isEqualTo("stopped");
        assertThat(stopped.body().path("operation").path("result").toString()).isEqualTo("{\"status\":\"stopped\"}");
        assertThat(call("POST", "/api/v1/instances/" + n + "/start?wait=true", null).body().path("instance").path("status").asString()).isEqualTo("running");
        ApiClient.Response resized = call("PUT", "/api/v1/instances/" + n, "{\"resources\":{\"cpu\":{\"cores\":1,\"limit\":500},\"memory\":{\"max\":256}}}");
        assertThat(resized.status()).isEqualTo(200);
        assertThat(docker("inspect", "-f", "{{.HostConfig.NanoCpus}} {{.HostConfig.Memory}}", containerOf(n))).isEqualTo("500000000 268435456");

        ApiClient.Response deleted = call("DELETE", "/api/v1/instances/" + n + "?wait=true", null);
        assertThat(deleted.body().path("operation").path("status").asString()).isEqualTo("completed");
        assertThat(deleted.body().path("operation").path("result").toString()).isEqualTo("{\"keptVolumes\":false}");
        assertThat(call("GET", "/api/v1/instances/" + n, null).status()).isEqualTo(404);
        assertThat(containerOf(n)).isEmpty();
    }

    @Test
    @DisplayName("recreate with a new image (an upgrade) keeps the files in /workspace")
    void recreateKeepsWorkspace() throws Exception {
        String n = name("upgrade");
        call("POST", "/api/v1/instances?wait=true", "{\"name\":\"" + n + "\",\"image\":\"devswarm/base\"}");
        call("POST", "/api/v1/instances/" + n + "/exec?wait=true", "{\"command\":[\"sh\",\"-c\",\"echo kept > /workspace/kept.txt\"]}");
        docker("tag", "devswarm/base:latest", "devswarm/base:api-upgrade");
        ApiClient.Response up = call("POST", "/api/v1/instances/" + n + "/recreate?wait=true", "{\"image\":\"devswarm/base:api-upgrade\"}");
        assertThat(up.body().path("operation").path("status").asString()).as(up.body().toString()).isEqualTo("completed");
        assertThat(up.body().path("instance").path("image").asString()).isEqualTo("devswarm/base:api-upgrade");
        assertThat(up.body().path("operation").path("result").toString()).isEqualTo("{\"status\":\"running\",\"image\":\"devswarm/base:api-upgrade\"}");
        assertThat(docker("inspect", "-f", "{{.Config.Image}}", containerOf(n))).isEqualTo("devswarm/base:api-upgrade");
        ApiClient.Response read = call("POST", "/api/v1/instances/" + n + "/exec?wait=true", "{\"command\":[\"cat\",\"/workspace/kept.txt\"]}");
        String executionId = read.body().path("operation").path("result").path("executionId").asString();
        assertThat(call("GET", "/api/v1/instances/" + n + "/executions/" + executionId, null).body().path("stdout").asString()).isEqualTo("kept\n");
        ApiClient.Response blank = call("POST", "/api/v1/instances/" + n + "/recreate", "{\"image\":\" \"}");
        assertThat(fields(blank)).containsExactly("image");
        call("DELETE", "/api/v1/instances/" + n + "?wait=true", null);
    }

    @Test
    @DisplayName("recreate after the workspace volume was removed outside devswarm is refused, saying the data is gone; startEmpty starts empty")
    void recreateWithoutItsVolume() throws Exception {
        String n = name("lost");
        call("POST", "/api/v1/instances?wait=true", "{\"name\":\"" + n + "\",\"image\":\"devswarm/base\"}");
        try {
            call("POST", "/api/v1/instances/" + n + "/exec?wait=true", "{\"command\":[\"touch\",\"/workspace/was-here\"]}");
            String volume = docker("volume", "ls", "-q", "--filter", "label=devswarm.installation=" + database.installationId(), "--filter",
                    "label=devswarm.name=" + n);
            assertThat(volume).isNotBlank();
            docker("rm", "-f", containerOf(n));
            docker("volume", "rm", volume);

            ApiClient.Response refused = call("POST", "/api/v1/instances/" + n + "/recreate?wait=true", null);
            assertThat(refused.status()).isEqualTo(409);
            assertConflict(refused, "data-gone");
            assertThat(refused.body().path("detail").asString()).contains("workspace").contains("is gone").contains("startEmpty=true");
            assertThat(containerOf(n)).isEmpty();

            ApiClient.Response empty = call("POST", "/api/v1/instances/" + n + "/recreate?wait=true", "{\"startEmpty\":true}");
            assertThat(empty.body().path("operation").path("status").asString()).as("%s", empty.body()).isEqualTo("completed");
            assertThat(empty.body().path("instance").path("status").asString()).isEqualTo("running");
            assertThat(docker("exec", containerOf(n), "ls", "/workspace")).doesNotContain("was-here");
        } finally {
            call("DELETE", "/api/v1/instances/" + n + "?wait=true", null);
        }
    }

    @Test
    @DisplayName("without wait the API answers 202 with a pending operation that can be polled")
    void acceptedThenPolled() throws Exception {
        String n = name("async");
        ApiClient.Response accepted = call("POST", "/api/v1/instances", "{\"name\":\"" + n + "\",\"image\":\"devswarm/base\"}");
        assertThat(accepted.status()).isEqualTo(202);
        assertThat(accepted.body().path("operation").has("result")).as("a pending operation has no result yet").isFalse();
        String op = accepted.body().path("operation").path("id").asString();
        ApiClient.Response done = call("GET", "/api/v1/operations/" + op + "?wait=true&timeout=60s", null);
        assertThat(done.body().path("status").asString()).isEqualTo("completed");
        assertThat(call("GET", "/api/v1/operations?instance=" + n, null).body().path("total").asInt()).isEqualTo(1);
        call("DELETE", "/api/v1/instances/" + n + "?wait=true", null);
    }

    @Test
    @DisplayName("a mutating call's answer comes whole, with its length, once its audit record can be read; a problem too")
    void answeredWholeAfterItsAuditRecord() throws Exception {
        String n = name("answered");
        String body = "{\"name\":\"" + n + "\",\"image\":\"devswarm/base\"}";
        ApiClient.Response accepted = call("POST", "/api/v1/instances", body);
        ApiClient.Response taken = call("POST", "/api/v1/instances", body);
        try {
            assertThat(accepted.status()).isEqualTo(202);
            assertThat(taken.status()).isEqualTo(409);
            for (ApiClient.Response r : List.of(accepted, taken)) {
                assertThat(r.headers()).doesNotContainKey("transfer-encoding");
                assertThat(r.headers().get("content-length")).singleElement().satisfies(length -> assertThat(Integer.parseInt(length)).isPositive());
            }
            var audit = call("GET", "/api/v1/audit?action=POST%20/api/v1/instances&target=" + n, null).body().path("items");
            assertThat(audit.valueStream().map(e -> e.path("result").asString()).toList()).containsExactlyInAnyOrder("202", "409");
        } finally {
            // the create may still run, and a delete then is refused as busy and would leave its container behind
            call("GET", "/api/v1/operations/" + accepted.body().path("operation").path("id").asString() + "?wait=true", null);
            assertThat(call("DELETE", "/api/v1/instances/" + n + "?wait=true", null).status()).isEqualTo(200);
        }
    }

    @Test
    @DisplayName("bad input is problem+json naming the field, and creates nothing")
    void badInput() throws Exception {
        long before = call("GET", "/api/v1/instances", null).body().path("total").asLong();

        ApiClient.Response badName = call("POST", "/api/v1/instances", "{\"name\":\"" + "x".repeat(64) + "\",\"image\":\"devswarm/base\"}");
        assertThat(badName.status()).isEqualTo(422);
        assertThat(badName.contentType()).startsWith("application/problem+json");
        assertThat(fields(badName)).containsExactly("name");

        ApiClient.Response noImage = call("POST", "/api/v1/instances", "{\"name\":\"ok-name\"}");
        assertThat(fields(noImage)).containsExactly("image");

        ApiClient.Response absurd = call("POST", "/api/v1/instances",
                "{\"name\":\"ok-name\",\"image\":\"x\",\"resources\":{\"cpu\":{\"cores\":-2},\"memory\":{\"max\":99999999}}}");
        assertThat(fields(absurd)).containsExactlyInAnyOrder("resources.cpu.cores", "resources.memory.max");

        ApiClient.Response unknownProvider = call("POST", "/api/v1/instances", "{\"name\":\"ok-name\",\"image\":\"x\",\"provider\":\"nimbus\"}");
        assertThat(unknownProvider.status()).isEqualTo(422);
        assertThat(fields(unknownProvider)).containsExactly("provider");

        ApiClient.Response wrongType = call("POST", "/api/v1/instances", "{\"name\":\"ok-name\",\"image\":\"x\",\"resources\":{\"cpu\":{\"cores\":\"lots\"}}}");
        assertThat(wrongType.status()).isEqualTo(400);
        assertThat(fields(wrongType)).containsExactly("resources.cpu.cores");

        ApiClient.Response notJson = call("POST", "/api/v1/instances", "{nope");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.body().toString()).doesNotContain("Exception").doesNotContain("at io.");

        ApiClient.Response badPage = call("GET", "/api/v1/instances?limit=0", null);
        assertThat(fields(badPage)).containsExactly("limit");

        assertThat(call("GET", "/api/v1/instances/no-such-thing", null).status()).isEqualTo(404);
        assertThat(call("POST", "/api/v1/instances/no-such-thing/start", null).status()).isEqualTo(404);
        assertThat(call("GET", "/api/v1/instances", null).body().path("total").asLong()).isEqualTo(before);
    }

    @Test
    @DisplayName("bad input deep in a body or a query is a 4xx naming the field, never a 500, and is still audited")
    void badInputNamesTheField() throws Exception {
        long before = call("GET", "/api/v1/instances", null).body().path("total").asLong();
        String create = "{\"name\":\"never-made\",\"image\":\"devswarm/base\",";
        Map<String, String> refused = new LinkedHashMap<>();
        refused.put(create + "\"command\":[\"sh\",null]}", "command[1]");
        refused.put(create + "\"env\":{\"FOO\":null}}", "env.FOO");
        refused.put(create + "\"metadata\":{\"team\":null}}", "metadata.team");
        refused.put(create + "\"network\":{\"exposedPorts\":[80,null]}}", "network.exposedPorts[1]");
        refused.put(create + "\"storage\":[null]}", "storage[0]");
        refused.put(create + "\"env\":{\"FOO\":\"a\\u0000b\"}}", "env.FOO");
        refused.put(create + "\"resources\":{\"cpu\":{\"cores\":\"NaN\"}}}", "resources.cpu.cores");
        refused.put(create + "\"resources\":{\"cpu\":{\"limit\":1}}}", "resources.cpu.limit");
        refused.put(create + "\"resources\":{\"memory\":{\"min\":1}}}", "resources.memory.min");
        refused.put(create + "\"owner\":\"" + "o".repeat(300) + "\"}", "owner");
        refused.put("{\"name\":\"never-made\",\"image\":\"Devswarm/Base:latest!\"}", "image");
        for (var r : refused.entrySet()) {
            ApiClient.Response answer = call("POST", "/api/v1/instances", r.getKey());
            assertThat(answer.status()).as(r.getKey()).isEqualTo(422);
            assertThat(fields(answer)).as(r.getKey()).containsExactly(r.getValue());
        }
        for (String fraction : List.of("{\"cpu\":{\"limit\":1.5}}", "{\"memory\":{\"min\":1.5}}")) {
            ApiClient.Response answer = call("POST", "/api/v1/instances", create + "\"resources\":" + fraction + "}");
            assertThat(answer.status()).as(fraction).isEqualTo(400);
            assertThat(fields(answer).getFirst()).as(fraction).startsWith("resources.");
        }
        assertThat(fields(call("POST", "/api/v1/instances/no-such-thing/exec", "{\"command\":[\"true\"],\"env\":{\"X\":null}}"))).containsExactly("env.X");
        ApiClient.Response scale = call("POST", "/api/v1/swarm/scale", "{\"pool\":\"never\",\"replicas\":1,\"template\":{\"image\":\"x\",\"env\":{\"A\":null}}}");
        assertThat(fields(scale)).containsExactly("template.env.A");
        for (String query : List.of("/api/v1/instances?name=a%00b", "/api/v1/operations?instance=a%00b", "/api/v1/audit?actor=a%00b")) {
            ApiClient.Response answer = call("GET", query, null);
            assertThat(answer.status()).as(query).isEqualTo(422);
            assertThat(fields(answer)).as(query).containsExactly(query.substring(query.indexOf('?') + 1, query.indexOf('=')));
        }
        for (String listing : List.of("/api/v1/instances", "/api/v1/operations", "/api/v1/audit", "/api/v1/instances/no-such-thing/executions")) {
            assertThat(fields(call("GET", listing + "?offset=-1", null))).as(listing).containsExactly("offset");
        }
        String user = name("keys");
        assertThat(fields(call("POST", "/api/v1/users/" + user + "/keys", "{\"name\":\"" + "k".repeat(300) + "\",\"publicKey\":\"" + publicKey() + "\"}")))
                .containsExactly("name");
        assertThat(fields(call("POST", "/api/v1/users/admin/api-keys", "{\"name\":\"" + "k".repeat(300) + "\"}"))).containsExactly("name");
        assertThat(fields(call("PUT", "/api/v1/users/" + "u".repeat(300) + "/secrets/TOKEN", "{\"value\":\"v\"}"))).containsExactly("user");
        assertThat(call("GET", "/api/v1/users/admin/api-keys", null).body().size()).isZero();

        // a sign-in as someone whose name does not fit the log is refused and recorded all the same
        String longName = "n".repeat(300);
        assertThat(new ApiClient(port, null).call("POST", "/api/v1/auth/login", "{\"username\":\"" + longName + "\",\"password\":\"wrong\"}").status())
                .isEqualTo(401);
        assertThat(call("GET", "/api/v1/audit?action=auth.login&actor=" + longName.substring(0, 254) + "%E2%80%A6", null).body().path("total").asInt())
                .isEqualTo(1);
        String longInstance = "i".repeat(300);
        assertThat(fields(call("POST", "/api/v1/instances", "{\"name\":\"" + longInstance + "\",\"image\":\"devswarm/base\"}"))).containsExactly("name");
        var audited = call("GET", "/api/v1/audit?action=POST%20/api/v1/instances&target=" + longInstance.substring(0, 254) + "%E2%80%A6", null).body();
        assertThat(audited.path("items").valueStream().map(e -> e.path("result").asString()).toList()).containsExactly("422");

        assertThat(call("GET", "/api/v1/instances", null).body().path("total").asLong()).isEqualTo(before);
        assertThat(containerOf("never")).isEmpty();
    }

    @Test
    @DisplayName("what is no API call at all is still problem+json: other content types, unknown paths and methods, URLs Tomcat refuses")
    void notAnApiCall() throws Exception {
        ApiClient admin = admin();
        for (String type : List.of("multipart/form-data", "multipart/form-data; boundary=x", "text/plain", "application/x-www-form-urlencoded")) {
            ApiClient.Raw answer = admin.raw("POST", "/api/v1/instances", type, "--x--");
            assertThat(answer.status()).as(type).isEqualTo(415);
            assertThat(answer.contentType()).as(type).startsWith("application/problem+json");
        }
        Map<String, Integer> odd = new LinkedHashMap<>();
        odd.put("GET /api/v1/no-such-route", 404);
        odd.put("GET /no-such-page", 404);
        odd.put("DELETE /api/v1/health", 405);
        odd.put("PATCH /api/v1/swarm/scale", 405);
        odd.put("GET /api/v1/instances/a%2Fb", 400);
        odd.put("GET /api/v1/instances/a%00b", 400);
        odd.put("GET /api/v1/instances/..;/x", 400);
        for (var o : odd.entrySet()) {
            String[] request = o.getKey().split(" ");
            ApiClient.Raw answer = admin.raw(request[0], request[1], null, null);
            assertThat(answer.status()).as(o.getKey()).isEqualTo(o.getValue());
            assertThat(answer.contentType()).as(o.getKey()).startsWith("application/problem+json");
            assertThat(answer.body()).as(o.getKey()).doesNotContain("Exception").doesNotContain("<html");
        }
        // a query string no URI class would build: straight to the socket
        String undecodable = rawHttp("GET /api/v1/instances?name=%ZZ HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + admin.token()
                + "\r\nConnection: close\r\n\r\n");
        assertThat(undecodable).startsWith("HTTP/1.1 400").contains("application/problem+json").doesNotContain("Exception");
    }

    private String rawHttp(String request) throws java.io.IOException {
        try (var socket = new java.net.Socket("127.0.0.1", port)) {
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private static String publicKey() throws Exception {
        Path dir = Files.createTempDirectory("key");
        HostCommand.run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", dir.resolve("id").toString());
        return Files.readString(dir.resolve("id.pub")).trim();
    }

    @Test
    @DisplayName("a refused request changes nothing: every route parses its parameters before it acts")
    void refusedRequestsChangeNothing() throws Exception {
        String n = name("kept");
        assertThat(call("POST", "/api/v1/instances?wait=true", "{\"name\":\"" + n + "\",\"image\":\"devswarm/base\"}").status()).isEqualTo(200);
        try {
            String container = docker("inspect", "-f", "{{.Id}}", containerOf(n));
            String volumes = docker("volume", "ls", "-q", "--filter", "name=" + n);
            long operations = call("GET", "/api/v1/operations?instance=" + n, null).body().path("total").asLong();
            String path = "/api/v1/instances/" + n;
            List<String[]> refused = List.of(
                    new String[] {"DELETE", path + "?timeout=-5s", "timeout"},
                    new String[] {"DELETE", path + "?wait=true&timeout=PT-5S", "timeout"},
                    new String[] {"DELETE", path + "?timeout=11m", "timeout"},
                    new String[] {"DELETE", path + "?priority=urgent", "priority"},
                    new String[] {"POST", path + "/stop?timeout=-5s", "timeout"},
                    new String[] {"POST", path + "/stop?wait=true&timeout=99999999999999999999s", "timeout"},
                    new String[] {"POST", path + "/stop?priority=urgent", "priority"},
                    new String[] {"POST", path + "/start?timeout=soon", "timeout"},
                    new String[] {"POST", path + "/restart?timeout=-5s", "timeout"},
                    new String[] {"POST", path + "/restart?priority=urgent", "priority"},
                    new String[] {"POST", path + "/recreate?timeout=-5s", "timeout"},
                    new String[] {"POST", path + "/recreate?priority=urgent", "priority"},
                    new String[] {"POST", path + "/exec?wait=true&timeout=-5s", "timeout"});
            for (String[] r : refused) {
                String body = r[1].contains("/exec") ? "{\"command\":[\"touch\",\"/workspace/ran\"]}" : null;
                ApiClient.Response answer = call(r[0], r[1], body);
                assertThat(answer.status()).as("%s %s", r[0], r[1]).isEqualTo(422);
                assertThat(fields(answer)).as("%s %s", r[0], r[1]).containsExactly(r[2]);
            }
            ApiClient.Response create = call("POST", "/api/v1/instances?timeout=-5s", "{\"name\":\"" + n + "-new\",\"image\":\"devswarm/base\"}");
            assertThat(fields(create)).containsExactly("timeout");
            assertThat(call("GET", path + "-new", null).status()).isEqualTo(404);
            assertThat(containerOf(n + "-new")).isEmpty();

            JsonNode after = call("GET", path, null).body();
            assertThat(after.path("status").asString()).isEqualTo("running");
            assertThat(call("GET", "/api/v1/operations?instance=" + n, null).body().path("total").asLong()).isEqualTo(operations);
            assertThat(docker("inspect", "-f", "{{.Id}} {{.State.Running}}", containerOf(n))).isEqualTo(container + " true");
            assertThat(volumes).isNotEmpty();
            assertThat(docker("volume", "ls", "-q", "--filter", "name=" + n)).isEqualTo(volumes);
            assertThat(docker("exec", containerOf(n), "ls", "/workspace")).doesNotContain("ran");
        } finally {
            assertThat(call("DELETE", "/api/v1/instances/" + n + "?wait=true", null).status()).isEqualTo(200);
        }
    }

    @Test
    @DisplayName("conflicts are 409 with a type per kind: a taken name, a lifecycle request while another runs, exec on a stopped instance, "
            + "what the provider cannot do")
    void conflicts() throws Exception {
        String n = name("dup");
        call("POST", "/api/v1/instances?wait=true", "{\"name\":\"" + n + "\",\"image\":\"devswarm/base\"}");
        ApiClient.Response dup = call("POST", "/api/v1/instances", "{\"name\":\"" + n + "\",\"image\":\"devswarm/base\"}");
        assertThat(dup.status()).isEqualTo(409);
        assertThat(dup.body().path("detail").asString()).contains("already taken");
        assertConflict(dup, "name-taken");
        assertConflict(call("GET", "/api/v1/instances/" + n + "/volumes/workspace/snapshots", null), "capability-missing");

        String stop = call("POST", "/api/v1/instances/" + n + "/stop", null).body().path("operation").path("id").asString();
        ApiClient.Response busy = call("POST", "/api/v1/instances/" + n + "/start", null);
        if (busy.status() == 202) { // the stop had already finished: the start ran; wait for it, not for a guessed time
            call("GET", "/api/v1/operations/" + busy.body().path("operation").path("id").asString() + "?wait=true&timeout=60s", null);
        } else {
            assertThat(busy.status()).isEqualTo(409);
            assertThat(busy.body().path("detail").asString()).contains("is busy");
            assertConflict(busy, "instance-busy");
        }
        call("GET", "/api/v1/operations/" + stop + "?wait=true&timeout=60s", null);
        assertThat(call("POST", "/api/v1/instances/" + n + "/stop?wait=true", null).status()).isEqualTo(200);
        ApiClient.Response exec = call("POST", "/api/v1/instances/" + n + "/exec", "{\"command\":[\"true\"]}");
        assertThat(exec.status()).isEqualTo(409);
        assertConflict(exec, "invalid-state");
        // held by an operation as the store shows it (no race with a real one): any lifecycle request is refused as busy
        Instance held = database.store().instances().update(database.store().instances().findByName(n).orElseThrow().withActiveOperation("op-elsewhere"));
        ApiClient.Response start = call("POST", "/api/v1/instances/" + n + "/start", null);
        assertConflict(start, "instance-busy");
        assertThat(start.body().path("detail").asString()).isEqualTo("instance '" + n + "' is busy: operation op-elsewhere is in progress");
        database.store().instances().update(held.withActiveOperation(null));
        call("DELETE", "/api/v1/instances/" + n + "?wait=true", null);
    }

    @Test
    @DisplayName("another installation on the engine: its instance and kept workspace of our names are never listed, mounted or removed, reconcile included")
    void anotherInstallationOnTheEngine() throws Exception {
        String n = name("twin"), kept = name("kept");
        InstanceHandle twin = new InstanceHandle("i-" + n, n, null, "admin");
        InstanceHandle keeper = new InstanceHandle("i-" + kept, kept, null, "admin"), keeperAgain = new InstanceHandle("i-again-" + kept, kept, null, "admin");
        try (Provider other = otherInstallation("inst-" + n)) {
            try {
                other.create(twin, InstanceSpec.of(n, "devswarm/base"));
                other.create(keeper, InstanceSpec.of(kept, "devswarm/base"));
                other.execute(keeper, ExecRequest.of("sh", "-c", "echo theirs > /workspace/theirs.txt"));
                other.delete(keeper, true);

                for (String mine : List.of(n, kept)) {
                    ApiClient.Response created = call("POST", "/api/v1/instances?wait=true", "{\"name\":\"" + mine + "\",\"image\":\"devswarm/base\"}");
                    assertThat(created.body().path("instance").path("status").asString()).as(created.body().toString()).isEqualTo("running");
                }
                ApiClient.Response ls = call("POST", "/api/v1/instances/" + kept + "/exec?wait=true", "{\"command\":[\"ls\",\"-A\",\"/workspace\"]}");
                String executionId = ls.body().path("operation").path("result").path("executionId").asString();
                assertThat(call("GET", "/api/v1/instances/" + kept + "/executions/" + executionId, null).body().path("stdout").asString()).isEmpty();

                Reconciler.Report report = plane.reconcileOnce(); // orphan grace 0s
                assertThat(report.orphansRemoved()).doesNotContain("docker/" + n, "docker/" + kept);
                assertThat(report.markedFailed()).doesNotContain(n, kept);
                for (String mine : List.of(n, kept)) {
                    assertThat(call("DELETE", "/api/v1/instances/" + mine + "?wait=true", null).status()).isEqualTo(200);
                }

                assertThat(other.get(twin)).get().extracting(ObservedInstance::state).isEqualTo(ObservedInstance.State.RUNNING);
                other.create(keeperAgain, InstanceSpec.of(kept, "devswarm/base"));
                assertThat(other.execute(keeperAgain, ExecRequest.of("cat", "/workspace/theirs.txt")).stdout()).isEqualTo("theirs\n");
            } finally {
                for (String mine : List.of(n, kept)) call("DELETE", "/api/v1/instances/" + mine + "?wait=true", null);
                for (InstanceHandle h : List.of(twin, keeperAgain, keeper)) other.delete(h, false);
            }
        }
    }

    /** The Docker provider as another installation on the same engine has it. */
    private static Provider otherInstallation(String installationId) {
        ProviderFactory docker = ServiceLoader.load(ProviderFactory.class).stream().map(ServiceLoader.Provider::get)
                .filter(f -> f.name().equals("docker")).findFirst().orElseThrow();
        return docker.create(new ProviderContext(installationId, Clock.systemUTC(), Map.of()));
    }

    @Test
    @DisplayName("reconciler on Docker: an orphan container is removed, a container deleted behind our back fails its instance")
    void reconcilerOnDocker() throws Exception {
        String n = name("drift");
        call("POST", "/api/v1/instances?wait=true", "{\"name\":\"" + n + "\",\"image\":\"devswarm/base\"}");
        String installation = docker("inspect", "-f", "{{index .Config.Labels \"devswarm.installation\"}}", containerOf(n));
        String orphan = name("orphan");
        docker("run", "-d", "--name", "devswarm-" + orphan, "--label", "devswarm.managed=true", "--label", "devswarm.installation=" + installation,
                "--label", "devswarm.instance=i-" + orphan, "--label", "devswarm.name=" + orphan, "devswarm/base");
        docker("rm", "-f", containerOf(n));

        Reconciler.Report report = plane.reconcileOnce();
        assertThat(report.orphansRemoved()).contains("docker/" + orphan);
        assertThat(report.markedFailed()).contains(n);
        assertThat(docker("ps", "-aq", "--filter", "name=devswarm-" + orphan)).isEmpty();
        JsonNode failed = call("GET", "/api/v1/instances/" + n, null).body();
        assertThat(failed.path("status").asString()).isEqualTo("failed");
        assertThat(failed.path("statusReason").asString()).contains("resources vanished");
        call("DELETE", "/api/v1/instances/" + n + "?wait=true", null);
    }

    @Test
    @DisplayName("reconciler on Docker: a killed container is started again and the status says why; with restart policy never it stays failed")
    void killedContainer() throws Exception {
        String n = name("killed");
        String never = name("never");
        call("POST", "/api/v1/instances?wait=true", "{\"name\":\"" + n + "\",\"image\":\"devswarm/base\"}");
        ApiClient.Response created = call("POST", "/api/v1/instances?wait=true", "{\"name\":\"" + never + "\",\"image\":\"devswarm/base\",\"restartPolicy\":\"never\"}");
        assertThat(created.body().path("instance").path("restartPolicy").asString()).isEqualTo("never");
        try {
            docker("kill", containerOf(n));
            docker("kill", containerOf(never));
            Reconciler.Report report = plane.reconcileOnce();
            assertThat(report.restarted()).contains(n);
            assertThat(report.markedFailed()).contains(never);
            JsonNode ops = call("GET", "/api/v1/operations?instance=" + n, null).body().path("items");
            String restart = ops.get(0).path("id").asString();
            assertThat(ops.get(0).path("type").asString()).isEqualTo("start");
            assertThat(call("GET", "/api/v1/operations/" + restart + "?wait=true&timeout=60s", null).body().path("status").asString()).isEqualTo("completed");
            JsonNode back = call("GET", "/api/v1/instances/" + n, null).body();
            assertThat(back.path("status").asString()).isEqualTo("running");
            assertThat(back.path("statusReason").asString()).contains("stopped while it should run").contains("137");
            assertThat(docker("inspect", "-f", "{{.State.Running}}", containerOf(n))).isEqualTo("true");

            JsonNode dead = call("GET", "/api/v1/instances/" + never, null).body();
            assertThat(dead.path("status").asString()).isEqualTo("failed");
            assertThat(dead.path("statusReason").asString()).contains("restart policy is never");
            assertThat(docker("inspect", "-f", "{{.State.Running}}", containerOf(never))).isEqualTo("false");
            assertThat(fields(call("POST", "/api/v1/instances", "{\"name\":\"x-1\",\"image\":\"devswarm/base\",\"restartPolicy\":\"sometimes\"}")))
                    .containsExactly("restartPolicy");
        } finally {
            call("DELETE", "/api/v1/instances/" + n + "?wait=true", null);
            call("DELETE", "/api/v1/instances/" + never + "?wait=true", null);
        }
    }

    @Test
    @DisplayName("a create that fails at start leaves no container behind, and the reconciler keeps it failed")
    void failedCreateLeavesNothingHalfMade() throws Exception {
        String n = name("broken");
        // the engine makes the container, then cannot start it: a scratch directory over a file of the image
        ApiClient.Response created = call("POST", "/api/v1/instances?wait=true", "{\"name\":\"" + n + "\",\"image\":\"devswarm/base\",\"storage\":["
                + "{\"volumeName\":\"workspace\",\"mountPath\":\"/workspace\"},{\"volumeName\":\"scratch\",\"persistent\":false,\"mountPath\":\"/etc/passwd\"}]}");
        assertThat(created.body().path("operation").path("status").asString()).as(created.body().toString()).isEqualTo("failed");
        assertThat(containerOf(n)).isEmpty();
        plane.reconcileOnce();
        JsonNode failed = call("GET", "/api/v1/instances/" + n, null).body();
        assertThat(failed.path("status").asString()).isEqualTo("failed");
        assertThat(failed.path("statusReason").asString()).startsWith("create failed");
        assertThat(call("DELETE", "/api/v1/instances/" + n + "?wait=true", null).status()).isEqualTo(200);
        assertThat(docker("volume", "ls", "-q", "--filter", "name=" + n)).isEmpty();
    }

    @Test
    @DisplayName("pools scale up to name-0..N-1 and down from the highest ordinal")
    void poolScaling() throws Exception {
        String pool = name("pool");
        ApiClient.Response up = call("POST", "/api/v1/swarm/scale?wait=true", "{\"pool\":\"" + pool + "\",\"replicas\":2,\"template\":{\"image\":\"devswarm/base\"}}");
        assertThat(up.body().path("operation").path("result").toString())
                .isEqualTo("{\"created\":[\"" + pool + "-0\",\"" + pool + "-1\"],\"deleting\":[],\"busy\":[]}");
        // the members' creates run after the scale operation ends: a busy member would be skipped by the scale-down
        for (int i = 0; i < 600 && call("GET", "/api/v1/instances?pool=" + pool + "&status=running", null).body().path("total").asInt() < 2; i++) Thread.sleep(100);
        assertThat(call("GET", "/api/v1/instances?pool=" + pool + "&status=running", null).body().path("total").asInt()).isEqualTo(2);
        ApiClient.Response down = call("POST", "/api/v1/swarm/scale?wait=true", "{\"pool\":\"" + pool + "\",\"replicas\":0,\"keepVolumes\":false}");
        assertThat(down.body().path("operation").path("result").path("deleting").toString()).isEqualTo("[\"" + pool + "-1\",\"" + pool + "-0\"]");
        ApiClient.Response status = call("GET", "/api/v1/swarm/status", null);
        assertThat(status.body().path("providers").get(0).path("type").asString()).isEqualTo("docker");
    }

    @Test
    @DisplayName("SSH keys: added per user, checked, unique across users, listed and removed")
    void sshKeys() throws Exception {
        Path dir = Files.createTempDirectory("keys");
        HostCommand.run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "carol@laptop", "-f", dir.resolve("id").toString());
        String pub = Files.readString(dir.resolve("id.pub")).trim();
        String user = name("carol");
        ApiClient.Response added = call("POST", "/api/v1/users/" + user + "/keys", JSON.writeValueAsString(java.util.Map.of("publicKey", pub)));
        assertThat(added.status()).isEqualTo(201);
        assertThat(added.body().path("fingerprint").asString()).isEqualTo(HostCommand.run("ssh-keygen", "-lf", dir.resolve("id.pub").toString()).split(" ")[1]);
        assertThat(added.body().path("name").asString()).isEqualTo("carol@laptop");
        ApiClient.Response again = call("POST", "/api/v1/users/someone-else/keys", JSON.writeValueAsString(java.util.Map.of("publicKey", pub)));
        assertThat(again.status()).isEqualTo(409);
        assertConflict(again, "already-exists");
        ApiClient.Response bad = call("POST", "/api/v1/users/" + user + "/keys", "{\"publicKey\":\"ssh-ed25519 not-base64!\"}");
        assertThat(bad.status()).isEqualTo(422);
        assertThat(fields(bad)).containsExactly("publicKey");
        assertThat(call("GET", "/api/v1/users/" + user + "/keys", null).body().size()).isEqualTo(1);
        String id = added.body().path("id").asString();
        assertThat(call("DELETE", "/api/v1/users/someone-else/keys/" + id, null).status()).isEqualTo(404);
        assertThat(call("DELETE", "/api/v1/users/" + user + "/keys/" + id, null).status()).isEqualTo(204);
        assertThat(call("GET", "/api/v1/users/" + user + "/keys", null).body().size()).isZero();
    }

    @Test
    @DisplayName("an instance shows the ssh command, the gateway's port and its host key")
    void sshAccessInView() throws Exception {
        String n = name("reach");
        call("POST", "/api/v1/instances?wait=true", "{\"name\":\"" + n + "\",\"image\":\"devswarm/base\"}");
        JsonNode ssh = call("GET", "/api/v1/instances/" + n, null).body().path("ssh");
        assertThat(ssh.path("command").asString()).isEqualTo("ssh -p " + gateway.port() + " " + n + "@127.0.0.1");
        assertThat(ssh.path("port").asInt()).isEqualTo(gateway.port());
        assertThat(ssh.path("hostKey").asString()).isEqualTo(gateway.hostKey()).startsWith("ssh-ed25519 ");
        assertThat(ssh.path("hostKeyFingerprint").asString()).isEqualTo(gateway.hostKeyFingerprint()).startsWith("SHA256:");
        call("DELETE", "/api/v1/instances/" + n + "?wait=true", null);
    }

    @Test
    @DisplayName("status shows activity: last active, inactivity, time to auto-stop and what kept it awake")
    void activityInStatus() throws Exception {
        String n = name("idle");
        call("POST", "/api/v1/instances?wait=true", "{\"name\":\"" + n + "\",\"image\":\"devswarm/base\",\"idleTimeoutMinutes\":5}");
        call("POST", "/api/v1/instances/" + n + "/exec?wait=true", "{\"command\":[\"true\"]}");
        JsonNode i = call("GET", "/api/v1/instances/" + n, null).body();
        assertThat(i.path("awakeReason").asString()).isEqualTo("exec");
        assertThat(i.path("inactivitySeconds").asLong()).isLessThan(30);
        assertThat(i.path("autoStopInSeconds").asLong()).isBetween(250L, 300L);
        assertThat(i.path("lastActiveAt").asString()).isNotBlank();
        call("POST", "/api/v1/instances/" + n + "/stop?wait=true", null);
        JsonNode stopped = call("GET", "/api/v1/instances/" + n, null).body();
        assertThat(stopped.has("autoStopInSeconds")).isFalse();
        assertThat(stopped.has("awakeReason")).as("a stopped instance is kept awake by nothing").isFalse();
        call("DELETE", "/api/v1/instances/" + n + "?wait=true", null);
    }

    @Test
    @DisplayName("the OpenAPI document, the docs UI, health and providers are served")
    void discovery() throws Exception {
        ApiClient.Response openapi = call("GET", "/api/v1/openapi.json", null);
        assertThat(openapi.status()).isEqualTo(200);
        assertThat(openapi.body().path("paths").has("/api/v1/instances")).isTrue();
        assertThat(openapi.body().path("paths").has("/api/v1/swarm/scale")).isTrue();
        assertThat(call("GET", "/api/v1/docs", null).status()).isIn(200, 302);
        assertThat(call("GET", "/api/v1/health", null).body().path("providers").path("docker").asString()).isEqualTo("healthy");
        ApiClient.Response providers = call("GET", "/api/v1/providers/docker", null);
        assertThat(providers.body().path("capabilities").path("supportsExecStream").asBoolean()).isTrue();
        // the flags the API has always shown, each now whether the provider implements that feature
        assertThat(providers.body().path("capabilities").properties()).extracting(e -> e.getKey() + "=" + e.getValue())
                .containsExactly("supportsLiveResize=true", "supportsSuspend=false", "supportsSnapshots=false", "supportsVolumeExtension=false",
                        "supportsMultiRegion=false", "supportsExecStream=true", "supportsPortForward=true", "regions=[]");
        assertThat(call("GET", "/api/v1/providers/nimbus", null).status()).isEqualTo(404);
    }

    @Test
    @DisplayName("without OIDC only devswarm's own issuer counts: its signing key in another issuer's name is refused")
    void ownIssuerOnly() {
        String issuer = call("GET", "/api/v1/auth/status", null).body().path("issuer").asString();
        Keyring.Key key = Keyring.loadOrCreate(home.resolve("jwt-signing.keyring")).current();
        String adminId = call("GET", "/api/v1/users/admin", null).body().path("id").asString();
        assertThat(new ApiClient(port, ApiClient.signed(key, issuer, "admin", adminId)).call("GET", "/api/v1/auth/status", null).status()).isEqualTo(200);
        ApiClient.Response other = new ApiClient(port, ApiClient.signed(key, "urn:devswarm:someone-else", "admin", adminId)).call("GET", "/api/v1/auth/status", null);
        assertThat(other.status()).isEqualTo(401);
        assertThat(other.contentType()).startsWith("application/problem+json");
    }
}
