package io.devswarm.server.keys;

import static io.devswarm.server.auth.SliceSecurity.as;
import static io.devswarm.server.system.Problems.invalid;
import static io.devswarm.server.system.Problems.problem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;

import io.devswarm.core.access.Role;
import io.devswarm.core.store.Store;
import io.devswarm.server.system.WebSlice;
import io.devswarm.server.users.Username;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

@WebSlice(KeyController.class)
@DisplayName("SSH keys: a request refused for its user or its key names the field and stores no key")
class KeyControllerTest {
    private static final RequestPostProcessor ADMIN = as("root", Role.ADMIN);
    /** An Ed25519 key line as ssh-keygen writes it; the key itself is zeros, which only its format is checked for. */
    private static final String KEY = "ssh-ed25519 " + Base64.getEncoder().encodeToString(ByteBuffer.allocate(4 + 11 + 4 + 32).putInt(11)
            .put("ssh-ed25519".getBytes(StandardCharsets.US_ASCII)).putInt(32).array()) + " ada@laptop";

    @Autowired
    MockMvcTester mvc;

    @Autowired
    Store store;

    private MvcTestResult add(String user, RequestPostProcessor caller, String json) {
        return mvc.post().uri("/api/v1/users/" + user + "/keys").with(caller).contentType(MediaType.APPLICATION_JSON).content(json).exchange();
    }

    @Test
    @DisplayName("keys of a name that is no username: 422 naming user, on every route")
    void badUser() {
        invalid(add("no!one", ADMIN, "{\"publicKey\":\"" + KEY + "\"}"), "user: " + Username.MESSAGE);
        invalid(mvc.get().uri("/api/v1/users/" + "u".repeat(65) + "/keys").with(ADMIN).exchange(), "user: " + Username.MESSAGE);
        invalid(mvc.delete().uri("/api/v1/users/.x/keys/key-1").with(ADMIN).exchange(), "user: " + Username.MESSAGE);
        verifyNoInteractions(store.sshKeys());
    }

    @Test
    @DisplayName("a key missing or too long a name is refused by the core's rules, naming the field; nothing stored")
    void badKey() {
        invalid(add("ada", ADMIN, "{\"name\":\"laptop\"}"), "publicKey: is required");
        invalid(add("ada", ADMIN, "{\"name\":\"" + "k".repeat(256) + "\",\"publicKey\":\"" + KEY + "\"}"),
                "name: must be at most 255 characters (a key given no name is named by its comment)");
        verifyNoInteractions(store.sshKeys());
    }

    @Test
    @DisplayName("a developer adding a key for someone else gets 403 whatever the body")
    void othersKeys() {
        problem(add("bob", as("ada", Role.DEVELOPER), "{\"publicKey\":\"junk\"}"), 403, "forbidden");
        verifyNoInteractions(store.sshKeys());
    }

    @Test
    @DisplayName("a valid key is stored for the user, named by its comment")
    void added() {
        MvcTestResult answer = add("ada", as("ada", Role.DEVELOPER), "{\"publicKey\":\"" + KEY + "\"}");
        assertThat(answer).hasStatus(201).bodyJson().extractingPath("$.name").isEqualTo("ada@laptop");
        verify(store.sshKeys()).insert(argThat(key -> key.username().equals("ada") && key.fingerprint().startsWith("SHA256:")));
    }
}
