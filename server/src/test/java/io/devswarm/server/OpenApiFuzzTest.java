package io.devswarm.server;

import static io.devswarm.core.testing.HostCommand.docker;
import static org.assertj.core.api.Assertions.assertThat;

import io.devswarm.core.operation.OperationStatus;
import io.devswarm.core.provider.Labels;
import io.devswarm.core.secrets.Keyring;
import io.devswarm.core.store.Store;
import io.devswarm.core.testing.HostCommand;
import io.devswarm.store.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Bad input for every operation of the server's own OpenAPI document ({@link BadInputs}), sent
 * over real HTTP to a server on H2 and the real Docker engine. Fails on any 5xx, on an error that
 * is not problem+json, on a stack trace in a body, and on anything a refused request created or
 * changed: rows of instances, operations, pools, users, keys and secrets, the spec of the instance
 * it aimed at, containers and volumes on the engine. Seeded: rerun a failure with
 * {@code -Ddevswarm.fuzz.seed=<seed>}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"server.address=127.0.0.1", "devswarm.ssh.enabled=false", "devswarm.reconcile-interval=1h", "devswarm.orphan-grace=1h"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("OpenAPI-driven fuzzing: bad input gets a 4xx problem, and changes nothing")
class OpenApiFuzzTest {
    private static final long SEED = Long.getLong("devswarm.fuzz.seed", 24_06L);
    private static final String TARGET = "fuzz-target";
    private static final String USER = "fuzz-user";
    private static final String SECRET = "FUZZ_SECRET";
    private static final List<String> STACK_TRACES = List.of("Exception", "\tat ", "at io.devswarm.", "at org.", "at java.", "<html", "<!doctype");

    @LocalServerPort
    int port;

    @Autowired
    Database database;

    @Autowired
    Store store;

    private ApiClient admin;
    private String publicKey;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("devswarm.home", () -> Infra.tempHome("devswarm-fuzz"));
    }

    @BeforeAll
    void world() throws Exception {
        HostCommand.requireDocker();
        admin = ApiClient.firstStartAdmin(port, home());
        Path keys = Files.createTempDirectory("fuzz-key");
        HostCommand.run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", keys.resolve("id").toString());
        publicKey = Files.readString(keys.resolve("id.pub")).trim();
        ok(admin.call("POST", "/api/v1/users", "{\"username\":\"" + USER + "\",\"password\":\"correct horse battery\",\"roles\":[\"viewer\"]}"), 201);
        ok(admin.call("POST", "/api/v1/users/admin/keys", "{\"publicKey\":\"" + publicKey + "\"}"), 201);
        ok(admin.call("POST", "/api/v1/instances?wait=true", "{\"name\":\"" + TARGET + "\",\"image\":\"devswarm/base\"}"), 200);
        ok(admin.call("POST", "/api/v1/swarm/scale?wait=true", "{\"pool\":\"fuzz-pool\",\"replicas\":0,\"template\":{\"image\":\"devswarm/base\"}}"), 200);
        ok(admin.call("PUT", "/api/v1/secrets/" + SECRET, "{\"value\":\"v\"}"), 200);
    }

    @AfterAll
    void removeTarget() {
        if (admin != null) admin.call("DELETE", "/api/v1/instances/" + TARGET + "?wait=true", null);
    }

    @Test
    @DisplayName("every operation × bounded bad inputs: no 5xx, no stack trace, only problem+json, nothing made or changed by a refusal")
    void fuzz() throws Exception {
        List<BadInputs.Probe> probes = new BadInputs(admin.call("GET", "/api/v1/openapi.json", null).body(), SEED, this::validPathValue, bases(), badTokens())
                .probes();
        assertThat(probes).as("a few thousand requests").hasSizeBetween(2_000, 6_000);
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < probes.size(); i++) {
            BadInputs.Probe probe = probes.get(i);
            List<String> before = probe.mutating() ? census() : null;
            ApiClient caller = probe.token() == null ? admin : new ApiClient(port, probe.token());
            ApiClient.Raw answer = caller.raw(probe.method(), probe.path(), probe.contentType(), probe.body());
            String why = judge(answer, before);
            if (why != null) failures.add("#" + i + " " + probe + "\n    -> " + answer.status() + " " + answer.contentType() + ": " + why);
        }
        failures.addAll(leftovers());
        // the first few in full: a report of hundreds is cut short by the tools that show it
        assertThat(failures.stream().limit(30).toList()).as("%d of %d requests failed; seed %d (rerun with -Ddevswarm.fuzz.seed=%d)", failures.size(),
                probes.size(), SEED, SEED).isEmpty();
    }

    /** Why the answer is wrong, or null. */
    private String judge(ApiClient.Raw answer, List<String> before) throws SQLException {
        if (answer.status() >= 500) return "a server error: " + abbreviated(answer.body());
        for (String trace : STACK_TRACES) {
            if (answer.body().contains(trace)) return "the body shows \"" + trace + "\": " + abbreviated(answer.body());
        }
        if (answer.status() < 400) return null;
        if (!answer.contentType().startsWith("application/problem+json")) return "not problem+json: " + abbreviated(answer.body());
        if (before != null) {
            List<String> after = census();
            if (!after.equals(before)) return "a refused request changed " + before + " into " + after;
        }
        return null;
    }

    /** What a refused request must leave as it was: row counts, and the spec of the instance most requests aim at. */
    private List<String> census() throws SQLException {
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(
                "SELECT (SELECT COUNT(*) FROM instances), (SELECT COUNT(*) FROM operations), (SELECT COUNT(*) FROM pools), (SELECT COUNT(*) FROM users), "
                        + "(SELECT COUNT(*) FROM api_keys), (SELECT COUNT(*) FROM ssh_keys), (SELECT COUNT(*) FROM secrets), "
                        + "(SELECT spec FROM instances WHERE name = '" + TARGET + "')")) {
            r.next();
            return List.of("instances=" + r.getLong(1), "operations=" + r.getLong(2), "pools=" + r.getLong(3), "users=" + r.getLong(4),
                    "apiKeys=" + r.getLong(5), "sshKeys=" + r.getLong(6), "secrets=" + r.getLong(7), "target=" + r.getString(8));
        }
    }

    /**
     * Once the operations that accepted requests started have ended: the only instance is the
     * target, and the engine holds nothing of this installation that is not the target's.
     */
    private List<String> leftovers() throws Exception {
        List<String> found = new ArrayList<>();
        for (int i = 0; i < 600 && unfinished() > 0; i++) Thread.sleep(100); // waits for a condition, asserts nothing
        if (unfinished() > 0) found.add(unfinished() + " operations did not end: " + store.operations().list(null, OperationStatus.PROCESSING, 0, 5).items());
        var instances = store.instances().listByProvider("docker");
        if (instances.size() != 1) found.add("instances besides the target: " + instances.stream().map(x -> x.name()).toList());
        String targetId = store.instances().findByName(TARGET).map(x -> x.id()).orElse("(gone)");
        String installation = "label=" + Labels.INSTALLATION + "=" + database.installationId();
        String format = "{{.Label \"" + Labels.INSTANCE + "\"}}";
        Set<String> owners = new TreeSet<>(lines(docker("ps", "-a", "--filter", installation, "--format", format)));
        owners.addAll(lines(docker("volume", "ls", "--filter", installation, "--format", format)));
        owners.remove(targetId);
        if (!owners.isEmpty()) found.add("containers or volumes on the engine for instances " + owners + " (the target is " + targetId + ")");
        return found;
    }

    private long unfinished() {
        return store.operations().list(null, OperationStatus.PENDING, 0, 1).total() + store.operations().list(null, OperationStatus.PROCESSING, 0, 1).total();
    }

    /** Valid bodies, each of which changes nothing lasting (or is refused as a conflict) when sent as it is. */
    private Map<String, String> bases() {
        return Map.ofEntries(
                Map.entry("CreateInstance", "{\"name\":\"" + TARGET + "\",\"image\":\"devswarm/base\"}"), // a taken name: 409
                Map.entry("UpdateInstance", "{\"idleTimeoutMinutes\":30}"),
                Map.entry("Exec", "{\"command\":[\"true\"],\"timeoutSeconds\":5}"), // an exec that hangs ends within the wait for leftovers
                Map.entry("Recreate", "{\"image\":\"devswarm/base\"}"),
                Map.entry("ScaleBody", "{\"pool\":\"fuzz-pool\",\"replicas\":0}"),
                Map.entry("NewUser", "{\"username\":\"" + USER + "\",\"password\":\"correct horse battery\",\"roles\":[\"viewer\"]}"), // taken: 409
                Map.entry("UserChange", "{\"roles\":[\"viewer\"]}"),
                Map.entry("Value", "{\"value\":\"v\"}"),
                Map.entry("AddKey", "{\"name\":\"k\",\"publicKey\":\"" + publicKey + "\"}"), // admin's key: 409
                Map.entry("NewApiKey", "{\"name\":\"k\"}"),
                Map.entry("Request", "{\"ttlSeconds\":60}"),
                Map.entry("Login", "{\"username\":\"fuzz-nobody\",\"password\":\"not the password\"}"));
    }

    /** "{path template} {parameter}" → a value that exists, so that only the one bad input is wrong. */
    private String validPathValue(String key) {
        String[] at = key.split(" ");
        String template = at[0];
        return switch (at[1]) {
            case "user" -> USER;
            case "name" -> template.startsWith("/api/v1/providers") ? "docker" : SECRET;
            case "volume" -> "workspace";
            case "keyId" -> "ak-none";
            case "executionId" -> "ex-none";
            case "id" -> template.startsWith("/api/v1/operations") ? "op-none" : template.contains("/keys/") ? "key-none" : TARGET;
            default -> "x";
        };
    }

    /** Tokens every route must refuse with 401: malformed, of other algorithms, signed with another key or in another issuer's name. */
    private List<String> badTokens() {
        String[] parts = admin.token().split("\\.");
        List<String> tokens = new ArrayList<>(List.of("garbage", "a.b.c", parts[0] + "." + parts[1] + ".", parts[0] + "." + parts[1] + "." + parts[2] + "x"));
        for (String alg : List.of("none", "RS256", "ES256", "HS512")) {
            String header = Base64.getUrlEncoder().withoutPadding().encodeToString(("{\"alg\":\"" + alg + "\",\"typ\":\"JWT\"}").getBytes());
            tokens.add(header + "." + parts[1] + "." + parts[2]);
        }
        String issuer = admin.call("GET", "/api/v1/auth/status", null).body().path("issuer").asString();
        // the admin's real id: only the key or the issuer is wrong
        String adminId = admin.call("GET", "/api/v1/users/admin", null).body().path("id").asString();
        tokens.add(ApiClient.signed(Keyring.newKey(), issuer, "admin", adminId));
        tokens.add(ApiClient.signed(Keyring.loadOrCreate(home().resolve("jwt-signing.keyring")).current(), "urn:devswarm:elsewhere", "admin", adminId));
        return tokens;
    }

    private static Path home() {
        return Path.of(Infra.tempHome("devswarm-fuzz"));
    }

    private static List<String> lines(String text) {
        return Arrays.stream(text.split("\n")).map(String::trim).filter(l -> !l.isEmpty()).toList();
    }

    private static String abbreviated(String body) {
        return body.length() > 400 ? body.substring(0, 400) + "…" : body;
    }

    private static void ok(ApiClient.Response r, int expected) {
        assertThat(r.status()).as(r.body().toString()).isEqualTo(expected);
    }
}
