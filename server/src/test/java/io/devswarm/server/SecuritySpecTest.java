package io.devswarm.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import io.devswarm.core.provider.ProviderRegistry;
import io.devswarm.core.secrets.Keyring;
import io.devswarm.core.testing.InMemoryProvider;
import io.devswarm.store.Database;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Who may do what, through real HTTP with real tokens: devswarm's own, instance tokens, and an
 * external OIDC issuer running in the test. Instances live on an in-memory provider: this is
 * about the API's gates, not the substrate (SecretsOnDockerTest covers secrets on a real engine).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"server.address=127.0.0.1", "devswarm.ssh.enabled=false", "devswarm.default-provider=memory", "devswarm.reconcile-interval=1h",
                "devswarm.auth.login-attempts=3", "devswarm.auth.oidc.roles-claim=groups",
                "devswarm.auth.oidc.role-mapping.devswarm-orchestrators=orchestrator", "devswarm.auth.oidc.audience=devswarm"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(OutputCaptureExtension.class)
@DisplayName("security: tokens, roles, instance tokens, OIDC")
class SecuritySpecTest {
    private static final String PASSWORD = "correct horse battery";
    private static MockOAuth2Server oidc;

    @TestConfiguration
    static class MemoryProvider {
        @Bean(destroyMethod = "close")
        @Primary
        ProviderRegistry memoryRegistry(Database database, Clock clock) {
            return ProviderRegistry.of(clock, new InMemoryProvider("memory", database.installationId(), clock));
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("devswarm.home", () -> Infra.tempHome("devswarm-security"));
        registry.add("devswarm.auth.oidc.issuer-uri", () -> oidc().issuerUrl("corp").toString());
    }

    private static synchronized MockOAuth2Server oidc() {
        if (oidc == null) {
            oidc = new MockOAuth2Server();
            oidc.start();
        }
        return oidc;
    }

    @LocalServerPort
    int port;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    private final Map<String, ApiClient> callers = new LinkedHashMap<>();
    private ApiClient admin;

    @BeforeAll
    void users() {
        admin = ApiClient.firstStartAdmin(port, Path.of(Infra.tempHome("devswarm-security")));
        for (var u : List.of(List.of("dana", "developer"), List.of("dave", "developer"), List.of("olga", "orchestrator"), List.of("audrey", "auditor"),
                List.of("vic", "viewer"))) {
            ok(admin.call("POST", "/api/v1/users", json(Map.of("username", u.get(0), "password", PASSWORD, "roles", List.of(u.get(1))))), 201);
        }
        ok(admin.call("POST", "/api/v1/instances?wait=true", json(Map.of("name", "mine", "image", "img", "owner", "dana"))), 200);
        ok(admin.call("POST", "/api/v1/instances?wait=true", json(Map.of("name", "theirs", "image", "img", "owner", "dave"))), 200);
        callers.put("admin", admin);
        callers.put("dev", new ApiClient(port, null).login("dana", PASSWORD));
        callers.put("orch", new ApiClient(port, null).login("olga", PASSWORD));
        callers.put("aud", new ApiClient(port, null).login("audrey", PASSWORD));
        callers.put("view", new ApiClient(port, null).login("vic", PASSWORD));
        callers.put("tok", new ApiClient(port, ok(callers.get("dev").call("POST", "/api/v1/instances/mine/tokens", "{}"), 201).body().path("token").asString()));
        callers.put("anon", new ApiClient(port, null));
    }

    @AfterAll
    void stopIssuer() {
        if (oidc != null) oidc.shutdown();
    }

    /**
     * Every endpoint × every caller. Allowed callers are sent a request that passes the gate and
     * then fails validation (422) where the call would otherwise change state, so the rows do
     * not disturb each other. dev owns "mine", not "theirs"; tok is an instance token for "mine".
     */
    static Stream<Arguments> matrix() {
        return Stream.of(
                row("GET", "/api/v1/health", "/api/v1/health", null, "admin=200 dev=200 orch=200 aud=200 view=200 tok=200 anon=200"),
                row("POST", "/api/v1/auth/login", "/api/v1/auth/login", "{}", "admin=422 dev=422 orch=422 aud=422 view=422 tok=422 anon=422"),
                row("GET", "/api/v1/auth/status", "/api/v1/auth/status", null, "admin=200 dev=200 orch=200 aud=200 view=200 tok=200 anon=401"),
                row("POST", "/api/v1/auth/logout", "/api/v1/auth/logout", null, "anon=401"),
                row("POST", "/api/v1/auth/keys/rotate", "/api/v1/auth/keys/rotate", null, "admin=200 dev=403 orch=403 aud=403 view=403 tok=403 anon=401"),
                row("GET", "/api/v1/instances", "/api/v1/instances", null, "admin=200 dev=200 orch=200 aud=200 view=200 tok=200 anon=401"),
                row("POST", "/api/v1/instances", "/api/v1/instances", "{\"name\":\"bad name!\",\"image\":\"img\"}",
                        "admin=422 dev=422 orch=422 aud=403 view=403 tok=403 anon=401"),
                row("GET", "/api/v1/instances/{id}", "/api/v1/instances/mine", null, "admin=200 dev=200 orch=200 aud=200 view=200 tok=200 anon=401"),
                row("GET", "/api/v1/instances/{id}", "/api/v1/instances/theirs", null, "admin=200 dev=404 orch=200 aud=200 view=200 tok=404 anon=401"),
                row("PUT", "/api/v1/instances/{id}", "/api/v1/instances/theirs", "{\"resources\":{\"cpu\":{\"cores\":-1}}}",
                        "admin=422 dev=404 orch=422 aud=403 view=403 tok=404 anon=401"),
                row("PATCH", "/api/v1/instances/{id}", "/api/v1/instances/mine", "{\"resources\":{\"cpu\":{\"cores\":-1}}}",
                        "admin=422 dev=422 orch=422 aud=403 view=403 tok=403 anon=401"),
                row("DELETE", "/api/v1/instances/{id}", "/api/v1/instances/theirs?priority=bogus", null,
                        "admin=422 dev=404 orch=422 aud=403 view=403 tok=404 anon=401"),
                row("POST", "/api/v1/instances/{id}/start", "/api/v1/instances/mine/start?priority=bogus", null,
                        "admin=422 dev=422 orch=422 aud=403 view=403 tok=422 anon=401"),
                row("POST", "/api/v1/instances/{id}/stop", "/api/v1/instances/theirs/stop?priority=bogus", null,
                        "admin=422 dev=404 orch=422 aud=403 view=403 tok=404 anon=401"),
                row("POST", "/api/v1/instances/{id}/restart", "/api/v1/instances/mine/restart?priority=bogus", null,
                        "admin=422 dev=422 orch=422 aud=403 view=403 tok=422 anon=401"),
                row("POST", "/api/v1/instances/{id}/recreate", "/api/v1/instances/mine/recreate?priority=bogus", "{}",
                        "admin=422 dev=422 orch=422 aud=403 view=403 tok=403 anon=401"),
                row("POST", "/api/v1/instances/{id}/exec", "/api/v1/instances/mine/exec", "{\"command\":[]}",
                        "admin=422 dev=422 orch=422 aud=403 view=403 tok=422 anon=401"),
                row("POST", "/api/v1/instances/{id}/exec", "/api/v1/instances/theirs/exec", "{\"command\":[]}",
                        "admin=422 dev=404 orch=422 aud=403 view=403 tok=404 anon=401"),
                row("GET", "/api/v1/instances/{id}/executions", "/api/v1/instances/mine/executions", null,
                        "admin=200 dev=200 orch=200 aud=200 view=403 tok=200 anon=401"),
                row("GET", "/api/v1/instances/{id}/executions/{executionId}", "/api/v1/instances/theirs/executions/ex-none", null,
                        "admin=404 dev=404 orch=404 aud=404 view=403 tok=404 anon=401"),
                row("POST", "/api/v1/instances/{id}/tokens", "/api/v1/instances/mine/tokens", "{\"ttlSeconds\":0}",
                        "admin=422 dev=422 orch=422 aud=403 view=403 tok=403 anon=401"),
                row("GET", "/api/v1/instances/{id}/secrets", "/api/v1/instances/mine/secrets", null,
                        "admin=200 dev=200 orch=403 aud=403 view=403 tok=403 anon=401"),
                row("GET", "/api/v1/instances/{id}/secrets", "/api/v1/instances/theirs/secrets", null,
                        "admin=200 dev=404 orch=403 aud=403 view=403 tok=404 anon=401"),
                row("GET", "/api/v1/instances/{id}/secrets/{name}", "/api/v1/instances/mine/secrets/NONE", null,
                        "admin=404 dev=404 orch=403 aud=403 view=403 tok=403 anon=401"),
                row("PUT", "/api/v1/instances/{id}/secrets/{name}", "/api/v1/instances/mine/secrets/1BAD", "{\"value\":\"v\"}",
                        "admin=422 dev=422 orch=403 aud=403 view=403 tok=403 anon=401"),
                row("DELETE", "/api/v1/instances/{id}/secrets/{name}", "/api/v1/instances/mine/secrets/NONE", null,
                        "admin=404 dev=404 orch=403 aud=403 view=403 tok=403 anon=401"),
                row("GET", "/api/v1/instances/{id}/volumes/{volume}/snapshots", "/api/v1/instances/mine/volumes/workspace/snapshots", null,
                        "admin=409 dev=409 orch=409 aud=409 view=403 tok=409 anon=401"),
                row("GET", "/api/v1/instances/{id}/volumes/{volume}/snapshots", "/api/v1/instances/theirs/volumes/workspace/snapshots", null,
                        "admin=409 dev=404 orch=409 aud=409 view=403 tok=404 anon=401"),
                row("POST", "/api/v1/instances/{id}/volumes/{volume}/snapshots", "/api/v1/instances/mine/volumes/workspace/snapshots", null,
                        "admin=409 dev=409 orch=409 aud=403 view=403 tok=403 anon=401"),
                row("GET", "/api/v1/operations", "/api/v1/operations", null, "admin=200 dev=200 orch=200 aud=200 view=403 tok=200 anon=401"),
                row("GET", "/api/v1/operations/{id}", "/api/v1/operations/op-none", null, "admin=404 dev=404 orch=404 aud=404 view=403 tok=404 anon=401"),
                row("GET", "/api/v1/swarm/status", "/api/v1/swarm/status", null, "admin=200 dev=200 orch=200 aud=200 view=200 tok=403 anon=401"),
                row("POST", "/api/v1/swarm/scale", "/api/v1/swarm/scale", "{\"pool\":\"p\"}", "admin=422 dev=403 orch=422 aud=403 view=403 tok=403 anon=401"),
                row("GET", "/api/v1/providers", "/api/v1/providers", null, "admin=200 dev=200 orch=200 aud=200 view=200 tok=403 anon=401"),
                row("GET", "/api/v1/providers/{name}", "/api/v1/providers/memory", null, "admin=200 dev=200 orch=200 aud=200 view=200 tok=403 anon=401"),
                row("POST", "/api/v1/providers/{name}/validate", "/api/v1/providers/memory/validate", null,
                        "admin=200 dev=403 orch=200 aud=403 view=403 tok=403 anon=401"),
                row("GET", "/api/v1/users", "/api/v1/users", null, "admin=200 dev=403 orch=403 aud=403 view=403 tok=403 anon=401"),
                row("POST", "/api/v1/users", "/api/v1/users", "{\"username\":\"x\"}", "admin=422 dev=403 orch=403 aud=403 view=403 tok=403 anon=401"),
                row("GET", "/api/v1/users/{user}", "/api/v1/users/dana", null, "admin=200 dev=200 orch=404 aud=404 view=404 tok=403 anon=401"),
                row("PUT", "/api/v1/users/{user}", "/api/v1/users/dana", "{\"password\":\"short\",\"currentPassword\":\"" + PASSWORD + "\"}",
                        "admin=422 dev=422 orch=404 aud=404 view=404 tok=403 anon=401"),
                row("DELETE", "/api/v1/users/{user}", "/api/v1/users/nobody", null, "admin=404 dev=403 orch=403 aud=403 view=403 tok=403 anon=401"),
                row("GET", "/api/v1/users/{user}/api-keys", "/api/v1/users/dana/api-keys", null, "admin=200 dev=200 orch=404 aud=404 view=404 tok=403 anon=401"),
                row("POST", "/api/v1/users/{user}/api-keys", "/api/v1/users/dave/api-keys", "{}", "admin=201 dev=404 orch=404 aud=404 view=404 tok=403 anon=401"),
                row("DELETE", "/api/v1/users/{user}/api-keys/{keyId}", "/api/v1/users/dana/api-keys/ak-none", null,
                        "admin=404 dev=404 orch=404 aud=404 view=404 tok=403 anon=401"),
                row("GET", "/api/v1/users/{user}/keys", "/api/v1/users/dana/keys", null, "admin=200 dev=200 orch=200 aud=200 view=403 tok=403 anon=401"),
                row("POST", "/api/v1/users/{user}/keys", "/api/v1/users/dave/keys", "{\"publicKey\":\"junk\"}",
                        "admin=422 dev=403 orch=422 aud=403 view=403 tok=403 anon=401"),
                row("DELETE", "/api/v1/users/{user}/keys/{id}", "/api/v1/users/dana/keys/k-none", null,
                        "admin=404 dev=404 orch=404 aud=403 view=403 tok=403 anon=401"),
                row("GET", "/api/v1/users/{user}/secrets", "/api/v1/users/dana/secrets", null, "admin=200 dev=200 orch=403 aud=403 view=403 tok=403 anon=401"),
                row("GET", "/api/v1/users/{user}/secrets/{name}", "/api/v1/users/dave/secrets/NONE", null,
                        "admin=404 dev=403 orch=403 aud=403 view=403 tok=403 anon=401"),
                row("PUT", "/api/v1/users/{user}/secrets/{name}", "/api/v1/users/dana/secrets/1BAD", "{\"value\":\"v\"}",
                        "admin=422 dev=422 orch=403 aud=403 view=403 tok=403 anon=401"),
                row("DELETE", "/api/v1/users/{user}/secrets/{name}", "/api/v1/users/dana/secrets/NONE", null,
                        "admin=404 dev=404 orch=403 aud=403 view=403 tok=403 anon=401"),
                row("GET", "/api/v1/secrets", "/api/v1/secrets", null, "admin=200 dev=403 orch=403 aud=403 view=403 tok=403 anon=401"),
                row("GET", "/api/v1/secrets/{name}", "/api/v1/secrets/NONE", null, "admin=404 dev=403 orch=403 aud=403 view=403 tok=403 anon=401"),
                row("PUT", "/api/v1/secrets/{name}", "/api/v1/secrets/1BAD", "{\"value\":\"v\"}", "admin=422 dev=403 orch=403 aud=403 view=403 tok=403 anon=401"),
                row("DELETE", "/api/v1/secrets/{name}", "/api/v1/secrets/NONE", null, "admin=404 dev=403 orch=403 aud=403 view=403 tok=403 anon=401"),
                row("POST", "/api/v1/secrets/rotate-key", "/api/v1/secrets/rotate-key", null, "admin=200 dev=403 orch=403 aud=403 view=403 tok=403 anon=401"),
                row("GET", "/api/v1/audit", "/api/v1/audit", null, "admin=200 dev=403 orch=403 aud=200 view=403 tok=403 anon=401"));
    }

    private static Arguments row(String method, String pattern, String path, String body, String expected) {
        Map<String, Integer> statuses = new LinkedHashMap<>();
        for (String pair : expected.split(" ")) statuses.put(pair.split("=")[0], Integer.parseInt(pair.split("=")[1]));
        return Arguments.of(method + " " + path, method, pattern, path, body, statuses);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("matrix")
    @DisplayName("endpoint × role → status")
    void endpointByRole(String label, String method, String pattern, String path, String body, Map<String, Integer> expected) {
        Map<String, Integer> actual = new LinkedHashMap<>();
        expected.keySet().forEach(who -> actual.put(who, callers.get(who).call(method, path, body).status()));
        assertThat(actual).as(label).isEqualTo(expected);
    }

    @Test
    @DisplayName("the matrix covers every /api/v1 endpoint the server has")
    void matrixIsComplete() {
        Set<String> covered = new HashSet<>();
        matrix().forEach(a -> covered.add(a.get()[1] + " " + a.get()[2]));
        List<String> missing = new ArrayList<>();
        mappings.getHandlerMethods().keySet().forEach(info -> {
            for (String p : info.getPatternValues()) {
                if (!p.startsWith("/api/v1/") || p.startsWith("/api/v1/openapi.json") || p.startsWith("/api/v1/docs")) continue;
                for (var m : info.getMethodsCondition().getMethods()) if (!covered.contains(m.name() + " " + p)) missing.add(m.name() + " " + p);
            }
        });
        assertThat(missing).isEmpty();
    }

    @Test
    @DisplayName("a developer lists only their own instances and creates only for themselves; a viewer sees status, not connection details")
    void visibility() {
        ApiClient dev = callers.get("dev");
        assertThat(dev.call("GET", "/api/v1/instances", null).body().path("items").valueStream().map(i -> i.path("name").asString()).toList())
                .containsExactly("mine");
        assertThat(dev.call("POST", "/api/v1/instances", json(Map.of("name", "for-dave", "image", "img", "owner", "dave"))).status()).isEqualTo(403);
        var mine = ok(dev.call("POST", "/api/v1/instances?wait=true", json(Map.of("name", "dana-2", "image", "img"))), 200);
        assertThat(mine.body().path("instance").path("owner").asString()).isEqualTo("dana");
        ok(dev.call("DELETE", "/api/v1/instances/dana-2?wait=true", null), 200);

        var seen = callers.get("view").call("GET", "/api/v1/instances/mine", null).body();
        assertThat(seen.path("status").asString()).isEqualTo("running");
        assertThat(seen.has("image")).isFalse();
        assertThat(seen.has("networkInfo")).isFalse();
        assertThat(seen.has("env")).isFalse();
        assertThat(callers.get("orch").call("GET", "/api/v1/instances/mine", null).body().has("image")).isTrue();
    }

    @Test
    @DisplayName("an instance token reaches its own instance only, and expires")
    void instanceTokens() throws Exception {
        ApiClient tok = callers.get("tok");
        assertThat(tok.call("GET", "/api/v1/instances", null).body().path("items").valueStream().map(i -> i.path("name").asString()).toList())
                .containsExactly("mine");
        assertThat(tok.call("GET", "/api/v1/auth/status", null).body().path("instance").asString()).startsWith("i-");
        // JWT times are whole seconds: 3 s leaves at least 2 for the first call, wherever in a second it is issued
        String shortLived = ok(admin.call("POST", "/api/v1/instances/mine/tokens", "{\"ttlSeconds\":3}"), 201).body().path("token").asString();
        ApiClient brief = new ApiClient(port, shortLived);
        assertThat(brief.call("GET", "/api/v1/instances/mine", null).status()).isEqualTo(200);
        ApiClient signingOut = new ApiClient(port, ok(admin.call("POST", "/api/v1/instances/mine/tokens", "{\"ttlSeconds\":60}"), 201).body().path("token").asString());
        assertThat(signingOut.call("POST", "/api/v1/auth/logout", null).status()).isEqualTo(204);
        var signedOut = signingOut.call("GET", "/api/v1/instances/mine", null);
        assertThat(signedOut.status()).isEqualTo(401);
        assertThat(signedOut.body().path("detail").asString()).contains("signed out");
        Thread.sleep(4100);
        var expired = brief.call("GET", "/api/v1/instances/mine", null);
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.body().path("detail").asString()).contains("expired");
    }

    @Test
    @DisplayName("logout ends that token at once and no other; a deleted user's tokens stop working")
    void logout() {
        ApiClient first = new ApiClient(port, null).login("dave", PASSWORD);
        ApiClient second = new ApiClient(port, null).login("dave", PASSWORD);
        assertThat(first.call("POST", "/api/v1/auth/logout", null).status()).isEqualTo(204);
        var signedOut = first.call("GET", "/api/v1/auth/status", null);
        assertThat(signedOut.status()).isEqualTo(401);
        assertThat(signedOut.body().path("detail").asString()).contains("signed out");
        assertThat(second.call("GET", "/api/v1/auth/status", null).status()).isEqualTo(200);

        ok(admin.call("POST", "/api/v1/users", json(Map.of("username", "temp", "password", PASSWORD, "roles", List.of("viewer")))), 201);
        ApiClient temp = new ApiClient(port, null).login("temp", PASSWORD);
        ok(admin.call("DELETE", "/api/v1/users/temp", null), 204);
        var gone = temp.call("GET", "/api/v1/auth/status", null);
        assertThat(gone.status()).isEqualTo(401);
        assertThat(gone.body().path("detail").asString()).contains("no longer exists");
    }

    @Test
    @DisplayName("deleting a user ends their tokens, API keys and instance tokens; a new user of that name inherits none of their instances")
    void deletedUserLeavesNothingToTheirName() throws Exception {
        ok(admin.call("POST", "/api/v1/users", json(Map.of("username", "gone", "password", PASSWORD, "roles", List.of("developer")))), 201);
        ApiClient first = new ApiClient(port, null).login("gone", PASSWORD);
        String key = ok(first.call("POST", "/api/v1/users/gone/api-keys", "{}"), 201).body().path("key").asString();
        ok(first.call("POST", "/api/v1/instances?wait=true", json(Map.of("name", "gone-box", "image", "img"))), 200);
        ok(first.call("POST", "/api/v1/instances/gone-box/exec?wait=true", json(Map.of("command", List.of("echo", "hi")))), 200);
        ApiClient instanceToken = new ApiClient(port, ok(first.call("POST", "/api/v1/instances/gone-box/tokens", "{}"), 201).body().path("token").asString());
        assertThat(instanceToken.call("GET", "/api/v1/instances/gone-box", null).status()).isEqualTo(200);

        ok(admin.call("DELETE", "/api/v1/users/gone", null), 204);
        ok(admin.call("POST", "/api/v1/users", json(Map.of("username", "gone", "password", PASSWORD, "roles", List.of("developer")))), 201);
        // the old tokens name a user by name, and that name exists again: still refused
        for (ApiClient old : List.of(first, instanceToken)) {
            var refused = old.call("GET", "/api/v1/instances/gone-box", null);
            assertThat(refused.status()).isEqualTo(401);
            assertThat(refused.body().path("detail").asString()).contains("no longer exists");
        }
        assertThat(loginFromElsewhere(json(Map.of("apiKey", key))).statusCode()).isEqualTo(401);

        ApiClient second = new ApiClient(port, null).login("gone", PASSWORD);
        assertThat(second.call("GET", "/api/v1/instances", null).body().path("items").valueStream().map(i -> i.path("name").asString()).toList())
                .doesNotContain("gone-box");
        assertThat(second.call("GET", "/api/v1/operations", null).body().path("items").valueStream().map(o -> o.path("instanceName").asString()).toList())
                .doesNotContain("gone-box");
        for (String[] call : new String[][] {{"GET", "/api/v1/instances/gone-box", null}, {"POST", "/api/v1/instances/gone-box/stop", null},
                {"POST", "/api/v1/instances/gone-box/exec", "{\"command\":[\"true\"]}"}, {"GET", "/api/v1/instances/gone-box/executions", null},
                {"POST", "/api/v1/instances/gone-box/tokens", "{}"}, {"GET", "/api/v1/instances/gone-box/secrets", null},
                {"DELETE", "/api/v1/instances/gone-box", null}}) {
            assertThat(second.call(call[0], call[1], call[2]).status()).as(call[0] + " " + call[1]).isEqualTo(404);
        }
        var kept = ok(admin.call("GET", "/api/v1/instances/gone-box", null), 200).body();
        assertThat(kept.path("owner").asString()).isEqualTo("gone"); // the API still names the owner
        assertThat(kept.path("status").asString()).isEqualTo("running");
        ok(admin.call("DELETE", "/api/v1/instances/gone-box?wait=true", null), 200);
    }

    @Test
    @DisplayName("first start wrote the admin's password to a 0600 file; rotating the signing key signs out no one")
    void firstStartAndKeyRotation() throws Exception {
        Path home = Path.of(Infra.tempHome("devswarm-security"));
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(java.nio.file.Files.getPosixFilePermissions(home.resolve("admin-credentials"))))
                .isEqualTo("rw-------");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(java.nio.file.Files.getPosixFilePermissions(home.resolve("jwt-signing.keyring"))))
                .isEqualTo("rw-------");
        ApiClient before = new ApiClient(port, null).login("olga", PASSWORD);
        String newKey = ok(admin.call("POST", "/api/v1/auth/keys/rotate", null), 200).body().path("keyId").asString();
        ApiClient after = new ApiClient(port, null).login("olga", PASSWORD);
        assertThat(new String(Base64.getUrlDecoder().decode(after.token().split("\\.")[0]))).contains(newKey);
        assertThat(before.call("GET", "/api/v1/auth/status", null).status()).isEqualTo(200);
        assertThat(after.call("GET", "/api/v1/auth/status", null).status()).isEqualTo(200);
    }

    @Test
    @DisplayName("tampered, unsigned, wrongly signed and wrong-issuer tokens get 401")
    void tampering(CapturedOutput log) throws Exception {
        String token = callers.get("dev").token();
        String[] parts = token.split("\\.");
        for (String alg : List.of("RS256", "ES256", "PS256", "HS512", "EdDSA")) {
            String header = Base64.getUrlEncoder().withoutPadding().encodeToString(("{\"alg\":\"" + alg + "\",\"typ\":\"JWT\"}").getBytes());
            ApiClient.Response refused = new ApiClient(port, header + "." + parts[1] + "." + parts[2]).call("GET", "/api/v1/auth/status", null);
            assertThat(refused.status()).as(alg).isEqualTo(401);
            assertThat(refused.contentType()).as(alg).startsWith("application/problem+json");
        }
        assertThat(log.getAll()).as("a refused token is no error of the server").doesNotContain("Servlet.service()").doesNotContain("\tat ");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1])).replace("\"dana\"", "\"admin\"");
        String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes()) + "." + parts[2];
        assertThat(new ApiClient(port, forged).call("GET", "/api/v1/auth/status", null).status()).isEqualTo(401);

        String none = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes()) + "." + parts[1] + ".";
        assertThat(new ApiClient(port, none).call("GET", "/api/v1/auth/status", null).status()).isEqualTo(401);

        String issuer = callers.get("dev").call("GET", "/api/v1/auth/status", null).body().path("issuer").asString();
        String adminId = ok(admin.call("GET", "/api/v1/users/admin", null), 200).body().path("id").asString();
        assertThat(new ApiClient(port, ApiClient.signed(Keyring.newKey(), issuer, "admin", adminId)).call("GET", "/api/v1/auth/status", null).status()).isEqualTo(401);
        // the real signing key, but another issuer: still refused
        Keyring.Key real = Keyring.loadOrCreate(Path.of(Infra.tempHome("devswarm-security")).resolve("jwt-signing.keyring")).current();
        assertThat(new ApiClient(port, ApiClient.signed(real, issuer, "admin", adminId)).call("GET", "/api/v1/auth/status", null).status()).isEqualTo(200);
        assertThat(new ApiClient(port, ApiClient.signed(real, "urn:devswarm:someone-else", "admin", adminId)).call("GET", "/api/v1/auth/status", null).status()).isEqualTo(401);
    }

    @Test
    @DisplayName("failed sign-ins are limited: past the limit even the right password waits, with Retry-After")
    void loginRateLimit() {
        ok(admin.call("POST", "/api/v1/users", json(Map.of("username", "guessme", "password", PASSWORD, "roles", List.of("viewer")))), 201);
        ApiClient anon = callers.get("anon");
        for (int i = 0; i < 3; i++) {
            assertThat(anon.call("POST", "/api/v1/auth/login", json(Map.of("username", "guessme", "password", "wrong-" + i))).status()).isEqualTo(401);
        }
        var limited = anon.call("POST", "/api/v1/auth/login", json(Map.of("username", "guessme", "password", PASSWORD)));
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.headers().get("retry-after")).isNotEmpty();
        var created = admin.call("GET", "/api/v1/audit?action=POST%20/api/v1/users&target=guessme", null).body().path("items");
        assertThat(created.valueStream().map(e -> e.path("result").asString()).toList()).containsExactly("201");
        var audit = admin.call("GET", "/api/v1/audit?action=auth.login&actor=guessme", null).body().path("items");
        assertThat(audit.valueStream().map(e -> e.path("result").asString()).toList()).contains("denied: bad credentials", "denied: too many attempts");
    }

    @Test
    @DisplayName("an API key signs in as its user; only its digest is stored, and it is shown once")
    void apiKeys() {
        var made = ok(callers.get("dev").call("POST", "/api/v1/users/dana/api-keys", "{\"name\":\"ci\"}"), 201).body();
        String key = made.path("key").asString();
        assertThat(key).startsWith("dsk_");
        var login = callers.get("anon").call("POST", "/api/v1/auth/login", json(Map.of("apiKey", key)));
        assertThat(login.body().path("username").asString()).isEqualTo("dana");
        assertThat(callers.get("dev").call("GET", "/api/v1/users/dana/api-keys", null).body().toString()).doesNotContain(key);
    }

    @Test
    @DisplayName("tokens of the configured OIDC issuer are accepted and their groups mapped to roles; other issuers are not")
    void oidcTokens() throws Exception {
        oidc().enqueueCallback(new DefaultOAuth2TokenCallback("corp", "u-123", JOSEObjectType.JWT.getType(), List.of("devswarm"),
                Map.of("preferred_username", "oscar", "groups", List.of("devswarm-orchestrators", "unrelated")), 3600));
        String token = tokenFrom("corp");
        var status = new ApiClient(port, token).call("GET", "/api/v1/auth/status", null);
        assertThat(status.status()).isEqualTo(200);
        assertThat(status.body().path("username").asString()).isEqualTo("oscar");
        assertThat(status.body().path("roles").valueStream().map(r -> r.asString()).toList()).containsExactly("orchestrator");
        assertThat(new ApiClient(port, token).call("GET", "/api/v1/instances/theirs", null).status()).isEqualTo(200);

        oidc().enqueueCallback(new DefaultOAuth2TokenCallback("corp", "u-123", JOSEObjectType.JWT.getType(), List.of("another-app"),
                Map.of("preferred_username", "oscar", "groups", List.of("devswarm-orchestrators")), 3600));
        assertThat(new ApiClient(port, tokenFrom("corp")).call("GET", "/api/v1/auth/status", null).status()).isEqualTo(401);
        assertThat(new ApiClient(port, tokenFrom("elsewhere")).call("GET", "/api/v1/auth/status", null).status()).isEqualTo(401);
    }

    /** A sign-in from another loopback address: its failure does not use up the limit of 127.0.0.1, which the other tests sign in from. */
    private HttpResponse<String> loginFromElsewhere(String body) throws Exception {
        HttpClient elsewhere = HttpClient.newBuilder().localAddress(java.net.InetAddress.getByName("127.0.0.2")).build();
        return elsewhere.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/auth/login")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A client-credentials grant against the issuer's token endpoint, as any OIDC client would make. */
    private static String tokenFrom(String issuerId) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(oidc().tokenEndpointUrl(issuerId).toString()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=devswarm-cli&client_secret=s&scope=openid")).build();
        String body = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).body();
        return ApiClient.JSON.readTree(body).path("access_token").asString();
    }

    private static String json(Object value) {
        return ApiClient.JSON.writeValueAsString(value);
    }

    private static ApiClient.Response ok(ApiClient.Response r, int expected) {
        assertThat(r.status()).as(r.body().toString()).isEqualTo(expected);
        return r;
    }
}
