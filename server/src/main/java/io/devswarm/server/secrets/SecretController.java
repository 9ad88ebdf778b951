package io.devswarm.server.secrets;

import io.devswarm.core.access.AccessPolicy;
import io.devswarm.core.access.Caller;
import io.devswarm.core.access.Role;
import io.devswarm.core.controller.SwarmController;
import io.devswarm.core.model.NotFoundException;
import io.devswarm.core.secrets.Secret;
import io.devswarm.core.secrets.SecretScope;
import io.devswarm.core.secrets.SecretService;
import io.devswarm.server.users.Username;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Secrets at three scopes: global (admin), a user's (that user or an admin), an instance's (its
 * owner or an admin). Listing shows names and dates, never values; a value comes back only with
 * reveal=true, to an admin, or to a user for their own user secrets.
 */
@RestController
@Tag(name = "secrets")
class SecretController {
    private final SecretService secrets;
    private final SwarmController controller;

    SecretController(SecretService secrets, SwarmController controller) {
        this.secrets = secrets;
        this.controller = controller;
    }

    record SecretView(String name, String scope, Instant createdAt, Instant updatedAt, String updatedBy, String value) {
        static SecretView of(Secret s, String value) {
            return new SecretView(s.name(), s.scope().name().toLowerCase(), s.createdAt(), s.updatedAt(), s.updatedBy(), value);
        }

        @Override
        public String toString() {
            return "SecretView[name=" + name + ", scope=" + scope + "]";
        }
    }

    /** Spring logs request bodies at DEBUG: toString must not carry the value. */
    record Value(String value) {
        @Override
        public String toString() {
            return "Value[****]";
        }
    }

    /** A scope the caller has been cleared for; {@code ownUserScope} lets a user reveal their own secrets. */
    private record Scope(SecretScope scope, String id, boolean ownUserScope) {}

    private Scope global(Caller caller) {
        AccessPolicy.requireRole(caller, Role.ADMIN);
        return new Scope(SecretScope.GLOBAL, "", false);
    }

    private Scope user(Caller caller, String user) {
        AccessPolicy.requireUserSecrets(caller, user);
        return new Scope(SecretScope.USER, user, user.equals(caller.username()));
    }

    private Scope instance(Caller caller, String id) {
        return new Scope(SecretScope.INSTANCE, AccessPolicy.secretsOf(caller, controller.find(id), id).id(), false);
    }

    @GetMapping("/api/v1/secrets")
    List<SecretView> listGlobal(@AuthenticationPrincipal Caller caller) {
        return list(global(caller));
    }

    @GetMapping("/api/v1/secrets/{name}")
    SecretView getGlobal(@AuthenticationPrincipal Caller caller, @PathVariable String name, @RequestParam(defaultValue = "false") boolean reveal) {
        return get(caller, global(caller), name, reveal);
    }

    @PutMapping("/api/v1/secrets/{name}")
    @Operation(summary = "Set a global secret: every instance gets it as an environment variable")
    SecretView putGlobal(@AuthenticationPrincipal Caller caller, @PathVariable String name, @RequestBody Value body) {
        return put(caller, global(caller), name, body);
    }

    @DeleteMapping("/api/v1/secrets/{name}")
    ResponseEntity<Void> deleteGlobal(@AuthenticationPrincipal Caller caller, @PathVariable String name) {
        return delete(global(caller), name);
    }

    record Rotation(String previousKeyId, String keyId, int reencrypted) {}

    @PostMapping("/api/v1/secrets/rotate-key")
    @Operation(summary = "Make a new master key and re-encrypt every secret with it (admin)")
    Rotation rotate(@AuthenticationPrincipal Caller caller) {
        AccessPolicy.requireRole(caller, Role.ADMIN);
        SecretService.Rotation r = secrets.rotate();
        return new Rotation(r.previousKeyId(), r.keyId(), r.resealed());
    }

    @GetMapping("/api/v1/users/{user}/secrets")
    List<SecretView> listUser(@AuthenticationPrincipal Caller caller, @PathVariable @Username String user) {
        return list(user(caller, user));
    }

    @GetMapping("/api/v1/users/{user}/secrets/{name}")
    SecretView getUser(@AuthenticationPrincipal Caller caller, @PathVariable @Username String user, @PathVariable String name,
                       @RequestParam(defaultValue = "false") boolean reveal) {
        return get(caller, user(caller, user), name, reveal);
    }

    @PutMapping("/api/v1/users/{user}/secrets/{name}")
    @Operation(summary = "Set a user secret: every instance the user owns gets it")
    SecretView putUser(@AuthenticationPrincipal Caller caller, @PathVariable @Username String user, @PathVariable String name, @RequestBody Value body) {
        return put(caller, user(caller, user), name, body);
    }

    @DeleteMapping("/api/v1/users/{user}/secrets/{name}")
    ResponseEntity<Void> deleteUser(@AuthenticationPrincipal Caller caller, @PathVariable @Username String user, @PathVariable String name) {
        return delete(user(caller, user), name);
    }

    @GetMapping("/api/v1/instances/{id}/secrets")
    List<SecretView> listInstance(@AuthenticationPrincipal Caller caller, @PathVariable String id) {
        return list(instance(caller, id));
    }

    @GetMapping("/api/v1/instances/{id}/secrets/{name}")
    SecretView getInstance(@AuthenticationPrincipal Caller caller, @PathVariable String id, @PathVariable String name,
                           @RequestParam(defaultValue = "false") boolean reveal) {
        return get(caller, instance(caller, id), name, reveal);
    }

    @PutMapping("/api/v1/instances/{id}/secrets/{name}")
    @Operation(summary = "Set an instance secret; new sessions and exec get it at once, the main process at the next create or recreate")
    SecretView putInstance(@AuthenticationPrincipal Caller caller, @PathVariable String id, @PathVariable String name, @RequestBody Value body) {
        return put(caller, instance(caller, id), name, body);
    }

    @DeleteMapping("/api/v1/instances/{id}/secrets/{name}")
    ResponseEntity<Void> deleteInstance(@AuthenticationPrincipal Caller caller, @PathVariable String id, @PathVariable String name) {
        return delete(instance(caller, id), name);
    }

    private List<SecretView> list(Scope s) {
        return secrets.list(s.scope(), s.id()).stream().map(x -> SecretView.of(x, null)).toList();
    }

    private SecretView get(Caller caller, Scope s, String name, boolean reveal) {
        if (reveal) AccessPolicy.requireReveal(caller, s.ownUserScope());
        Secret secret = secrets.find(s.scope(), s.id(), name).orElseThrow(() -> new NotFoundException("secret", name));
        return SecretView.of(secret, reveal ? secrets.reveal(secret) : null);
    }

    private SecretView put(Caller caller, Scope s, String name, Value body) {
        return SecretView.of(secrets.put(s.scope(), s.id(), name, body == null ? null : body.value(), caller.username()), null);
    }

    private ResponseEntity<Void> delete(Scope s, String name) {
        if (!secrets.delete(s.scope(), s.id(), name)) throw new NotFoundException("secret", name);
        return ResponseEntity.noContent().build();
    }
}
