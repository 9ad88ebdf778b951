package io.devswarm.server.instances;

import static io.devswarm.server.auth.SliceSecurity.as;
import static io.devswarm.server.system.Problems.invalid;
import static io.devswarm.server.system.Problems.problem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.verifyNoMoreInteractions;
import static org.mockito.Mockito.when;

import io.devswarm.core.access.Role;
import io.devswarm.core.controller.SwarmController;
import io.devswarm.core.model.Instance;
import io.devswarm.server.operations.OperationResponses;
import io.devswarm.server.system.WebSlice;
import io.devswarm.server.users.Username;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

@WebSlice(InstanceController.class)
@DisplayName("instances: a request refused for its body names the field and reaches no operation")
class InstanceControllerTest {
    private static final RequestPostProcessor ADMIN = as("ada", Role.ADMIN);

    @Autowired
    MockMvcTester mvc;

    @MockitoBean
    SwarmController controller;

    @MockitoBean
    OperationResponses responses;

    @MockitoBean
    InstanceViews views;

    private MvcTestResult post(String path, RequestPostProcessor caller, String json) {
        return mvc.post().uri(path).with(caller).contentType(MediaType.APPLICATION_JSON).content(json).exchange();
    }

    /** The instance "web" exists; only admins and auditors call it here, who may see any instance. */
    private void webExists() {
        when(controller.find("web")).thenReturn(mock(Instance.class));
    }

    /** The core was asked for "web" this many times and nothing else: no operation was made or run. */
    private void onlyLookedUp(int times) {
        verify(controller, times(times)).find("web");
        verifyNoMoreInteractions(controller);
        verifyNoInteractions(responses);
    }

    private void nothingReached() {
        verifyNoInteractions(controller, responses);
    }

    @Test
    @DisplayName("an exec without a command is 422 naming command, after the instance was only looked up")
    void execWithoutCommand() {
        webExists();
        invalid(post("/api/v1/instances/web/exec", ADMIN, "{\"command\":[]}"), "command: must be a non-empty list of strings");
        onlyLookedUp(1);
    }

    @Test
    @DisplayName("an exec's limits out of range are each named, in field order")
    void execLimits() {
        webExists();
        invalid(post("/api/v1/instances/web/exec", ADMIN, "{\"command\":[\"true\"],\"timeoutSeconds\":0,\"maxOutputBytes\":16777217}"),
                "maxOutputBytes: must be between 1 and 16777216", "timeoutSeconds: must be between 1 and 3600");
        invalid(post("/api/v1/instances/web/exec", ADMIN, "{\"command\":[\"true\"],\"timeoutSeconds\":3601}"), "timeoutSeconds: must be between 1 and 3600");
        onlyLookedUp(2);
    }

    @Test
    @DisplayName("who may not exec gets 403 whatever the body: access is checked before the body")
    void accessBeforeBody() {
        webExists();
        problem(post("/api/v1/instances/web/exec", as("audrey", Role.AUDITOR), "{\"command\":[]}"), 403, "forbidden");
        problem(post("/api/v1/instances", as("audrey", Role.AUDITOR), "{\"name\":\"web\",\"image\":\"img\",\"owner\":\"no one\"}"), 403, "forbidden");
        onlyLookedUp(1);
    }

    @Test
    @DisplayName("a create naming an owner that is no username is 422 naming owner, and creates nothing")
    void badOwner() {
        invalid(post("/api/v1/instances", ADMIN, "{\"name\":\"web\",\"image\":\"img\",\"owner\":\"no one\"}"), "owner: " + Username.MESSAGE);
        nothingReached();
    }

    @Test
    @DisplayName("a blank owner is no owner: the caller owns the instance")
    void blankOwner() {
        assertThat(post("/api/v1/instances", ADMIN, "{\"name\":\"web\",\"image\":\"img\",\"owner\":\" \"}")).hasStatusOk();
        verify(controller).create(argThat(request -> "ada".equals(request.owner()) && "us-ada".equals(request.ownerId())));
    }

    @Test
    @DisplayName("a body that is no JSON is 400, a null in the command 422 at its path, another content type 415: nothing looked up")
    void unreadable() {
        problem(post("/api/v1/instances/web/exec", ADMIN, "{\"command\":"), 400, "malformed");
        invalid(post("/api/v1/instances/web/exec", ADMIN, "{\"command\":[\"sh\",null]}"), "command[1]: must not be null");
        assertThat(mvc.post().uri("/api/v1/instances").with(ADMIN).contentType(MediaType.TEXT_PLAIN).content("web").exchange()).hasStatus(415);
        nothingReached();
    }

    @Test
    @DisplayName("without a token it is 401, before anything is read")
    void anonymous() {
        problem(mvc.post().uri("/api/v1/instances/web/exec").contentType(MediaType.APPLICATION_JSON).content("{\"command\":[]}").exchange(), 401,
                "unauthorized");
        nothingReached();
    }
}
