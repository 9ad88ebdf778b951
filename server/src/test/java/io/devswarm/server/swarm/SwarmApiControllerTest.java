package io.devswarm.server.swarm;

import static io.devswarm.server.auth.SliceSecurity.as;
import static io.devswarm.server.system.Problems.invalid;
import static io.devswarm.server.system.Problems.problem;
import static org.mockito.Mockito.verifyNoInteractions;

import io.devswarm.core.access.Role;
import io.devswarm.core.controller.SwarmController;
import io.devswarm.server.operations.OperationResponses;
import io.devswarm.server.system.WebSlice;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

@WebSlice(SwarmApiController.class)
@DisplayName("scaling: a request refused for its body names the field and scales nothing")
class SwarmApiControllerTest {
    @Autowired
    MockMvcTester mvc;

    @MockitoBean
    SwarmController controller;

    @MockitoBean
    OperationResponses responses;

    private MvcTestResult scale(RequestPostProcessor caller, String query, String json) {
        return mvc.post().uri("/api/v1/swarm/scale" + query).with(caller).contentType(MediaType.APPLICATION_JSON).content(json).exchange();
    }

    @Test
    @DisplayName("a scale without replicas is 422 naming replicas; a bad timeout is named first, as before")
    void withoutReplicas() {
        RequestPostProcessor olga = as("olga", Role.ORCHESTRATOR);
        invalid(scale(olga, "", "{\"pool\":\"p\"}"), "replicas: is required");
        invalid(scale(olga, "?timeout=soon", "{\"pool\":\"p\"}"), "timeout: must be a wait from 0s to 10m, written like 90s, 5m or PT1M");
        verifyNoInteractions(controller, responses);
    }

    @Test
    @DisplayName("who may not scale gets 403 whatever the body")
    void accessBeforeBody() {
        problem(scale(as("ada", Role.DEVELOPER), "", "{\"pool\":\"p\"}"), 403, "forbidden");
        verifyNoInteractions(controller, responses);
    }
}
