package io.devswarm.server.swarm;

import io.devswarm.core.controller.SwarmController;
import io.devswarm.core.model.SwarmStatus;
import io.devswarm.server.operations.OperationResponses;
import io.devswarm.server.operations.OperationResponses.AcceptedView;
import io.devswarm.server.operations.Timeouts;
import io.devswarm.server.system.RequestValidation;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.http.ResponseEntity;
import io.devswarm.core.access.AccessPolicy;
import io.devswarm.core.access.Caller;
import io.devswarm.core.access.Role;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Swarm-wide status and pool scaling (seed 001 Appendix B, seed 003 StatefulSet semantics). */
@RestController
@RequestMapping("/api/v1/swarm")
@Tag(name = "swarm")
class SwarmApiController {
    private final SwarmController controller;
    private final OperationResponses responses;

    SwarmApiController(SwarmController controller, OperationResponses responses) {
        this.controller = controller;
        this.responses = responses;
    }

    @GetMapping("/status")
    SwarmStatus status(@AuthenticationPrincipal Caller caller) {
        AccessPolicy.requireUser(caller);
        return controller.status();
    }

    /** POST /api/v1/swarm/scale; template is the create body, needed only for a new pool. */
    record ScaleBody(String pool, @NotNull(message = "is required") Integer replicas, ScaleTemplate template, String provider, Boolean keepVolumes) {}

    @PostMapping("/scale")
    @Operation(summary = "Set the size of a pool <pool>-0..<pool>-(N-1); scaling down removes the highest ordinals and keeps their volumes unless keepVolumes=false")
    ResponseEntity<AcceptedView> scale(@AuthenticationPrincipal Caller caller, @Valid @RequestBody ScaleBody body, BindingResult invalid,
                                       @RequestParam(defaultValue = "false") boolean wait, @RequestParam(required = false) String timeout) throws InterruptedException {
        AccessPolicy.requireRole(caller, Role.ADMIN, Role.ORCHESTRATOR);
        Duration waitFor = Timeouts.parse(timeout, Duration.ofMinutes(2));
        RequestValidation.requireValid(invalid);
        var request = new SwarmController.ScaleRequest(body.pool(), body.replicas(), body.template() == null ? null : body.template().toSpec(),
                body.provider(), body.keepVolumes() == null || body.keepVolumes(), null, null);
        return responses.answer(controller.scale(request), wait, waitFor);
    }
}
