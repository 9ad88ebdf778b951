package io.devswarm.server.auth;

import static io.devswarm.server.auth.SliceSecurity.as;
import static io.devswarm.server.system.Problems.invalid;
import static io.devswarm.server.system.Problems.problem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.verifyNoMoreInteractions;
import static org.mockito.Mockito.when;

import io.devswarm.core.access.Role;
import io.devswarm.core.access.User;
import io.devswarm.server.system.WebSlice;
import io.devswarm.server.users.Accounts;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

@WebSlice(AuthController.class)
@DisplayName("sign-in: a request missing what its way in needs names the field, checks no credential and counts no attempt")
class AuthControllerTest {
    private static final User ADA = new User("us-ada", "ada", "{argon2}hash", Set.of(Role.DEVELOPER), Instant.EPOCH);

    @Autowired
    MockMvcTester mvc;

    @MockitoBean
    Accounts accounts;

    private MvcTestResult login(MediaType type, String body) {
        return mvc.post().uri("/api/v1/auth/login").contentType(type).content(body).exchange();
    }

    private MvcTestResult login(String json) {
        return login(MediaType.APPLICATION_JSON, json);
    }

    @Test
    @DisplayName("without an API key, the username and the password are each required")
    void incomplete() {
        invalid(login("{}"), "password: is required", "username: is required (or give apiKey)");
        invalid(login("{\"username\":\"ada\"}"), "password: is required");
        invalid(login("{\"username\":\" \",\"password\":\"x\",\"apiKey\":\" \"}"), "username: is required (or give apiKey)");
        verifyNoInteractions(accounts);
    }

    @Test
    @DisplayName("a body that is no JSON is 400, another content type 415: no credential checked")
    void unreadable() {
        problem(login("{\"username\":"), 400, "malformed");
        assertThat(login(MediaType.TEXT_PLAIN, "ada")).hasStatus(415);
        verifyNoInteractions(accounts);
    }

    @Test
    @DisplayName("an API key needs nothing else, and an unknown one is 401")
    void byKey() {
        assertThat(problem(login("{\"apiKey\":\"dsk_unknown\"}"), 401, "unauthorized").path("detail").asString()).isEqualTo("unknown API key");
        verify(accounts).checkApiKey("dsk_unknown");
        verifyNoMoreInteractions(accounts);
    }

    @Test
    @DisplayName("refused bodies use up no sign-in attempts: the right password still signs in, with a token from the real token service")
    void refusedBodiesAreNoAttempts() {
        for (int i = 0; i < 10; i++) invalid(login("{\"username\":\"ada\"}"), "password: is required");
        when(accounts.checkPassword("ada", "correct horse battery")).thenReturn(Optional.of(ADA));
        MvcTestResult signedIn = login("{\"username\":\"ada\",\"password\":\"correct horse battery\"}");
        assertThat(signedIn).hasStatusOk().bodyJson().extractingPath("$.tokenType").isEqualTo("Bearer");
        assertThat(signedIn).bodyJson().extractingPath("$.username").isEqualTo("ada");
    }

    @Test
    @DisplayName("who am I needs a caller: 401 without one, the caller's name and roles with one")
    void status() {
        problem(mvc.get().uri("/api/v1/auth/status").exchange(), 401, "unauthorized");
        assertThat(mvc.get().uri("/api/v1/auth/status").with(as("ada", Role.DEVELOPER)).exchange()).hasStatusOk().bodyJson().extractingPath("$.roles")
                .asArray().containsExactly("developer");
    }
}
