package io.devswarm.server.auth;

import io.devswarm.core.access.AccessPolicy;
import io.devswarm.core.access.Caller;
import io.devswarm.core.controller.SwarmController;
import io.devswarm.core.model.Instance;
import io.devswarm.core.model.InvalidSpecException;
import io.devswarm.server.system.DevswarmProperties;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Instance tokens (seed 001 §6.1.3): short-lived, for automation inside one instance. They read
 * that instance and its history, exec in it, stop and restart it, and nothing else.
 */
@RestController
@Tag(name = "instances")
class InstanceTokenController {
    private final TokenService tokens;
    private final SwarmController controller;
    private final DevswarmProperties props;

    InstanceTokenController(TokenService tokens, SwarmController controller, DevswarmProperties props) {
        this.tokens = tokens;
        this.controller = controller;
        this.props = props;
    }

    record Request(Long ttlSeconds) {}

    record TokenView(String token, String instance, Instant expiresAt) {
        @Override
        public String toString() {
            return "TokenView[instance=" + instance + ", expiresAt=" + expiresAt + "]";
        }
    }

    @PostMapping("/api/v1/instances/{id}/tokens")
    @Operation(summary = "Make a short-lived token scoped to this instance (owner, orchestrator or admin)")
    ResponseEntity<TokenView> create(@AuthenticationPrincipal Caller caller, @PathVariable String id, @RequestBody(required = false) Request body) {
        Instance instance = AccessPolicy.manageable(caller, controller.find(id), id);
        Duration max = props.auth().instanceTokenTtl();
        Duration ttl = body == null || body.ttlSeconds() == null ? max : Duration.ofSeconds(body.ttlSeconds());
        if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(max) > 0) {
            throw new InvalidSpecException("ttlSeconds", "must be between 1 and " + max.toSeconds());
        }
        TokenService.Issued issued = tokens.issue(caller.username(), caller.userId(), Set.of(), instance.id(), ttl);
        return ResponseEntity.status(HttpStatus.CREATED).body(new TokenView(issued.token(), instance.name(), issued.expiresAt()));
    }
}
