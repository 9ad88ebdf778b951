package io.devswarm.server.keys;

import io.devswarm.core.access.AccessPolicy;
import io.devswarm.core.access.Caller;
import io.devswarm.core.access.PublicKeys;
import io.devswarm.core.access.SshKey;
import io.devswarm.core.controller.Ids;
import io.devswarm.core.model.NotFoundException;
import io.devswarm.core.store.Store;
import io.devswarm.server.users.Username;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** A user's SSH public keys: what lets them through the gateway into the instances they own. */
@RestController
@RequestMapping("/api/v1/users/{user}/keys")
@Tag(name = "ssh keys")
class KeyController {
    private final Store store;
    private final Clock clock;

    KeyController(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    record AddKey(String name, String publicKey) {}

    record KeyView(String id, String username, String name, String fingerprint, String publicKey, Instant createdAt) {
        static KeyView of(SshKey k) {
            return new KeyView(k.id(), k.username(), k.name(), k.fingerprint(), k.publicKey(), k.createdAt());
        }
    }

    @PostMapping
    @Operation(summary = "Add an OpenSSH public key for the user (a key belongs to one user: 409 if taken)")
    ResponseEntity<KeyView> add(@AuthenticationPrincipal Caller caller, @PathVariable @Username String user, @RequestBody AddKey body) {
        AccessPolicy.requireKeyChange(caller, user);
        PublicKeys.Parsed parsed = PublicKeys.parse(body.publicKey());
        String name = body.name() != null && !body.name().isBlank() ? body.name() : parsed.comment();
        SshKey key = new SshKey(Ids.next("key"), user, name, parsed.canonical(), PublicKeys.fingerprint(parsed), clock.instant());
        store.sshKeys().insert(key);
        return ResponseEntity.status(HttpStatus.CREATED).body(KeyView.of(key));
    }

    @GetMapping
    List<KeyView> list(@AuthenticationPrincipal Caller caller, @PathVariable @Username String user) {
        AccessPolicy.requireKeyRead(caller, user);
        return store.sshKeys().list(user).stream().map(KeyView::of).toList();
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> remove(@AuthenticationPrincipal Caller caller, @PathVariable @Username String user, @PathVariable String id) {
        AccessPolicy.requireKeyChange(caller, user);
        boolean mine = store.sshKeys().list(user).stream().anyMatch(k -> k.id().equals(id));
        if (!mine || !store.sshKeys().delete(id)) throw new NotFoundException("key", id);
        return ResponseEntity.noContent().build();
    }
}
