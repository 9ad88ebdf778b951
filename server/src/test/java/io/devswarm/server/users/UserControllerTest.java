package io.devswarm.server.users;

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
import io.devswarm.core.store.Store;
import io.devswarm.server.system.WebSlice;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

@WebSlice(UserController.class)
@DisplayName("users: a request refused for its body names each field and changes no account")
class UserControllerTest {
    private static final RequestPostProcessor ADMIN = as("root", Role.ADMIN);
    private static final String PASSWORD = "correct horse battery";
    private static final User ADA = new User("us-ada", "ada", "{argon2}hash", Set.of(Role.DEVELOPER), Instant.EPOCH);

    @Autowired
    MockMvcTester mvc;

    @Autowired
    Store store;

    @MockitoBean
    Accounts accounts;

    private MvcTestResult send(String method, String path, RequestPostProcessor caller, String json) {
        return mvc.method(HttpMethod.valueOf(method)).uri(path).with(caller).contentType(MediaType.APPLICATION_JSON).content(json)
                .exchange();
    }

    @Test
    @DisplayName("a new user with a bad name, a short password and no roles: all three named, in field order")
    void newUserAllWrong() {
        invalid(send("POST", "/api/v1/users", ADMIN, "{\"username\":\"no one\",\"password\":\"short\",\"roles\":[]}"),
                "password: must be at least 12 characters", "roles: must name at least one role", "username: " + Username.MESSAGE);
        invalid(send("POST", "/api/v1/users", ADMIN, "{}"), "password: must be at least 12 characters", "roles: is required", "username: " + Username.MESSAGE);
        invalid(send("POST", "/api/v1/users", ADMIN, "{\"username\":\"bob\",\"password\":\"" + "p".repeat(1025) + "\",\"roles\":[\"developer\"]}"),
                "password: must be at most 1024 characters");
        verifyNoInteractions(accounts);
    }

    @Test
    @DisplayName("a role that does not exist is named by its place in the list, and makes no user")
    void unknownRole() {
        invalid(send("POST", "/api/v1/users", ADMIN, "{\"username\":\"bob\",\"password\":\"" + PASSWORD + "\",\"roles\":[\"developer\",\"wizard\"]}"),
                "roles[1]: must be one of admin, developer, orchestrator, auditor, viewer");
        verifyNoInteractions(accounts);
    }

    @Test
    @DisplayName("a valid new user is made with the roles named")
    void newUser() {
        User bob = new User("us-bob", "bob", "{argon2}hash", Set.of(Role.DEVELOPER), Instant.EPOCH);
        when(accounts.create("bob", PASSWORD, Set.of(Role.DEVELOPER))).thenReturn(bob);
        MvcTestResult made = send("POST", "/api/v1/users", ADMIN, "{\"username\":\"bob\",\"password\":\"" + PASSWORD + "\",\"roles\":[\"developer\"]}");
        assertThat(made).hasStatus(201).bodyJson().extractingPath("$.id").isEqualTo("us-bob");
    }

    @Test
    @DisplayName("who may not make users gets 403 whatever the body: access is checked before the body")
    void accessBeforeBody() {
        problem(send("POST", "/api/v1/users", as("ada", Role.DEVELOPER), "{\"username\":\"no one\"}"), 403, "forbidden");
        verifyNoInteractions(accounts);
    }

    @Test
    @DisplayName("a change to no roles is 422 naming roles, and changes nothing")
    void noRoles() {
        when(store.users().find("ada")).thenReturn(Optional.of(ADA));
        invalid(send("PUT", "/api/v1/users/ada", ADMIN, "{\"roles\":[]}"), "roles: must name at least one role");
        verifyNoInteractions(accounts);
    }

    @Test
    @DisplayName("a user's own new password: the current one is checked first, then the new one's length")
    void ownPassword() {
        when(store.users().find("ada")).thenReturn(Optional.of(ADA));
        RequestPostProcessor ada = as("ada", Role.DEVELOPER);
        invalid(send("PUT", "/api/v1/users/ada", ada, "{\"password\":\"short\",\"currentPassword\":\"wrong\"}"), "currentPassword: does not match");
        when(accounts.checkPassword("ada", PASSWORD)).thenReturn(Optional.of(ADA));
        invalid(send("PUT", "/api/v1/users/ada", ada, "{\"password\":\"short\",\"currentPassword\":\"" + PASSWORD + "\"}"),
                "password: must be at least 12 characters");
        verify(accounts).checkPassword("ada", "wrong");
        verify(accounts).checkPassword("ada", PASSWORD);
        verifyNoMoreInteractions(accounts);
    }
}
