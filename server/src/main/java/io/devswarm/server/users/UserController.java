package io.devswarm.server.users;

import io.devswarm.core.access.AccessPolicy;
import io.devswarm.core.access.ApiKey;
import io.devswarm.core.access.Caller;
import io.devswarm.core.access.ForbiddenException;
import io.devswarm.core.access.Role;
import io.devswarm.core.access.User;
import io.devswarm.core.model.InvalidSpecException;
import io.devswarm.core.model.NotFoundException;
import io.devswarm.core.secrets.SecretScope;
import io.devswarm.core.store.Store;
import io.devswarm.server.audit.AuditFilter;
import io.devswarm.server.system.RequestValidation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Users (admins manage them; everyone may read themselves and change their own password) and their API keys. */
@RestController
@RequestMapping("/api/v1/users")
@Tag(name = "users")
class UserController {
    private static final String ONE_ROLE = "must name at least one role";

    private final Accounts accounts;
    private final Store store;

    UserController(Accounts accounts, Store store) {
        this.accounts = accounts;
        this.store = store;
    }

    /** {@code id} is the user's for good: a user made later with this name gets another. */
    record UserView(String id, String username, List<String> roles, Instant createdAt) {
        static UserView of(User u) {
            return new UserView(u.id(), u.username(), u.roles().stream().map(Role::id).sorted().toList(), u.createdAt());
        }
    }

    record NewUser(@NotNull(message = Username.MESSAGE) @Username String username, @NotNull(message = Password.TOO_SHORT) @Password String password,
                   @NotNull(message = "is required") @Size(min = 1, message = ONE_ROLE) List<String> roles) {
        @Override
        public String toString() {
            return "NewUser[username=" + username + ", roles=" + roles + "]"; // Spring logs bodies at DEBUG
        }
    }

    /** Absent fields stay as they are. A user changing their own password gives the current one. */
    record UserChange(@Password String password, String currentPassword, @Size(min = 1, message = ONE_ROLE) List<String> roles) {
        @Override
        public String toString() {
            return "UserChange[roles=" + roles + "]";
        }
    }

    @PostMapping
    @Operation(summary = "Create a user (admin)")
    ResponseEntity<UserView> create(@AuthenticationPrincipal Caller caller, @Valid @RequestBody NewUser body, BindingResult invalid,
                                    jakarta.servlet.http.HttpServletRequest http) {
        http.setAttribute(AuditFilter.TARGET, body.username());
        AccessPolicy.requireRole(caller, Role.ADMIN);
        RequestValidation.requireValid(invalid);
        return ResponseEntity.status(HttpStatus.CREATED).body(UserView.of(accounts.create(body.username(), body.password(), roles(body.roles()))));
    }

    @GetMapping
    @Operation(summary = "All users (admin)")
    List<UserView> list(@AuthenticationPrincipal Caller caller) {
        AccessPolicy.requireRole(caller, Role.ADMIN);
        return store.users().list().stream().map(UserView::of).toList();
    }

    @GetMapping("/{user}")
    UserView get(@AuthenticationPrincipal Caller caller, @PathVariable String user) {
        return UserView.of(self(caller, user));
    }

    @PutMapping("/{user}")
    @Operation(summary = "Change roles (admin) or password (admin, or the user with their current password)")
    UserView update(@AuthenticationPrincipal Caller caller, @PathVariable String user, @Valid @RequestBody UserChange body, BindingResult invalid) {
        User existing = self(caller, user);
        boolean admin = caller.has(Role.ADMIN);
        if (body.roles() != null && !admin) throw new ForbiddenException("only an admin changes roles");
        if (body.password() != null && !admin && accounts.checkPassword(user, body.currentPassword()).isEmpty()) {
            throw new InvalidSpecException("currentPassword", "does not match");
        }
        RequestValidation.requireValid(invalid);
        return UserView.of(accounts.update(existing, body.password(), body.roles() == null ? null : roles(body.roles())));
    }

    @DeleteMapping("/{user}")
    @Operation(summary = "Delete a user with their API keys, SSH keys and user secrets (admin)")
    ResponseEntity<Void> delete(@AuthenticationPrincipal Caller caller, @PathVariable String user) {
        AccessPolicy.requireRole(caller, Role.ADMIN);
        User existing = store.users().find(user).orElseThrow(() -> new NotFoundException("user", user));
        accounts.delete(existing);
        store.secrets().deleteScope(SecretScope.USER, user);
        return ResponseEntity.noContent().build();
    }

    record ApiKeyView(String id, String name, String prefix, Instant createdAt, String key) {
        static ApiKeyView of(ApiKey k, String key) {
            return new ApiKeyView(k.id(), k.name(), k.prefix(), k.createdAt(), key);
        }

        @Override
        public String toString() {
            return "ApiKeyView[id=" + id + ", prefix=" + prefix + "]";
        }
    }

    record NewApiKey(String name) {}

    @PostMapping("/{user}/api-keys")
    @Operation(summary = "Make an API key (shown once) that signs in as this user")
    ResponseEntity<ApiKeyView> createKey(@AuthenticationPrincipal Caller caller, @PathVariable String user, @RequestBody(required = false) NewApiKey body) {
        self(caller, user);
        Accounts.NewApiKey made = accounts.createApiKey(user, body == null ? null : body.name());
        return ResponseEntity.status(HttpStatus.CREATED).body(ApiKeyView.of(made.stored(), made.key()));
    }

    @GetMapping("/{user}/api-keys")
    List<ApiKeyView> listKeys(@AuthenticationPrincipal Caller caller, @PathVariable String user) {
        self(caller, user);
        return store.users().listApiKeys(user).stream().map(k -> ApiKeyView.of(k, null)).toList();
    }

    @DeleteMapping("/{user}/api-keys/{keyId}")
    ResponseEntity<Void> deleteKey(@AuthenticationPrincipal Caller caller, @PathVariable String user, @PathVariable String keyId) {
        self(caller, user);
        if (!store.users().deleteApiKey(user, keyId)) throw new NotFoundException("api key", keyId);
        return ResponseEntity.noContent().build();
    }

    /** The user, if the caller is them or an admin; another user is 404 to non-admins. */
    private User self(Caller caller, String user) {
        AccessPolicy.requireUser(caller);
        if (!caller.has(Role.ADMIN) && !caller.username().equals(user)) throw new NotFoundException("user", user);
        return store.users().find(user).orElseThrow(() -> new NotFoundException("user", user));
    }

    private static Set<Role> roles(List<String> ids) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (int i = 0; i < ids.size(); i++) roles.add(Role.parse("roles[" + i + "]", ids.get(i)));
        return roles;
    }
}
