package io.devswarm.server.secrets;

import static io.devswarm.server.auth.SliceSecurity.as;
import static io.devswarm.server.system.Problems.invalid;
import static io.devswarm.server.system.Problems.problem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import io.devswarm.core.access.Role;
import io.devswarm.core.controller.SwarmController;
import io.devswarm.core.secrets.Secret;
import io.devswarm.core.secrets.SecretScope;
import io.devswarm.core.secrets.SecretService;
import io.devswarm.server.system.WebSlice;
import io.devswarm.server.users.Username;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

@WebSlice(SecretController.class)
@DisplayName("secrets: a request refused for its user or its body names the field and seals nothing")
class SecretControllerTest {
    private static final RequestPostProcessor ADMIN = as("root", Role.ADMIN);

    @Autowired
    MockMvcTester mvc;

    @MockitoBean
    SecretService secrets;

    @MockitoBean
    SwarmController controller;

    private MvcTestResult put(String path, RequestPostProcessor caller, MediaType type, String body) {
        return mvc.put().uri(path).with(caller).contentType(type).content(body).exchange();
    }

    @Test
    @DisplayName("a user's secrets under a name that is no username: 422 naming user, on every route")
    void badUser() {
        String tooLong = "u".repeat(65);
        invalid(put("/api/v1/users/no!one/secrets/TOKEN", ADMIN, MediaType.APPLICATION_JSON, "{\"value\":\"v\"}"), "user: " + Username.MESSAGE);
        invalid(mvc.get().uri("/api/v1/users/" + tooLong + "/secrets").with(ADMIN).exchange(), "user: " + Username.MESSAGE);
        invalid(mvc.get().uri("/api/v1/users/" + tooLong + "/secrets/TOKEN").with(ADMIN).exchange(), "user: " + Username.MESSAGE);
        invalid(mvc.delete().uri("/api/v1/users/-x/secrets/TOKEN").with(ADMIN).exchange(), "user: " + Username.MESSAGE);
        verifyNoInteractions(secrets, controller);
    }

    @Test
    @DisplayName("a value holding NUL is 422 naming value; another content type 415: nothing sealed")
    void badBody() {
        invalid(put("/api/v1/users/ada/secrets/TOKEN", ADMIN, MediaType.APPLICATION_JSON, "{\"value\":\"a\\u0000b\"}"), "value: must not contain NUL (U+0000)");
        assertThat(put("/api/v1/secrets/TOKEN", ADMIN, MediaType.TEXT_PLAIN, "v")).hasStatus(415);
        problem(put("/api/v1/secrets/TOKEN", ADMIN, MediaType.APPLICATION_JSON, "{\"value\":"), 400, "malformed");
        verifyNoInteractions(secrets, controller);
    }

    @Test
    @DisplayName("another user's secrets are 403 for a developer, and nothing is sealed")
    void othersSecrets() {
        problem(put("/api/v1/users/bob/secrets/TOKEN", as("ada", Role.DEVELOPER), MediaType.APPLICATION_JSON, "{\"value\":\"v\"}"), 403, "forbidden");
        verifyNoInteractions(secrets);
    }

    @Test
    @DisplayName("a valid user secret goes to the secret service, scoped to that user")
    void userSecret() {
        Instant now = Instant.parse("2026-12-01T10:00:00Z");
        when(secrets.put(SecretScope.USER, "ada", "TOKEN", "v", "root"))
                .thenReturn(new Secret("se-1", SecretScope.USER, "ada", "TOKEN", "k1", new byte[0], now, now, "root"));
        MvcTestResult answer = put("/api/v1/users/ada/secrets/TOKEN", ADMIN, MediaType.APPLICATION_JSON, "{\"value\":\"v\"}");
        assertThat(answer).hasStatusOk().bodyJson().extractingPath("$.scope").isEqualTo("user");
    }
}
