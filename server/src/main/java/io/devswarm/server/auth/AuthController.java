package io.devswarm.server.auth;

import io.devswarm.core.access.AccessPolicy;
import io.devswarm.core.access.Caller;
import io.devswarm.core.access.Role;
import io.devswarm.core.access.User;
import io.devswarm.core.audit.AuditEvent;
import io.devswarm.core.controller.Ids;
import io.devswarm.core.model.InvalidStateException;
import io.devswarm.core.store.Store;
import io.devswarm.server.system.DevswarmProperties;
import io.devswarm.server.system.ProblemHandler;
import io.devswarm.server.users.Accounts;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Sign in (password or API key), sign out, who am I, and signing-key rotation. */
@RestController
@RequestMapping("/api/v1/auth")
@Tag(name = "auth")
class AuthController {
    private final Accounts accounts;
    private final TokenService tokens;
    private final LoginThrottle throttle;
    private final Store store;
    private final DevswarmProperties props;
    private final Clock clock;

    AuthController(Accounts accounts, TokenService tokens, Store store, DevswarmProperties props, Clock clock) {
        this.accounts = accounts;
        this.tokens = tokens;
        this.store = store;
        this.props = props;
        this.clock = clock;
        this.throttle = new LoginThrottle(props.auth().loginAttempts(), props.auth().loginWindow(), clock);
    }

    /** Spring logs request bodies at DEBUG: toString must not carry the credentials. */
    @CompleteCredentials
    record Login(String username, String password, String apiKey) {
        /** Whether this sign-in is by API key; otherwise it is by username and password. */
        boolean byKey() {
            return apiKey != null && !apiKey.isBlank();
        }

        @Override
        public String toString() {
            return "Login[username=" + username + "]";
        }
    }

    record TokenView(String token, String tokenType, Instant expiresAt, String username, List<String> roles) {
        @Override
        public String toString() {
            return "TokenView[username=" + username + ", expiresAt=" + expiresAt + "]";
        }
    }

    @PostMapping("/login")
    @Operation(summary = "Exchange a username and password, or an API key, for a bearer token", security = {})
    ResponseEntity<?> login(@Valid @RequestBody Login body, HttpServletRequest request) {
        boolean byKey = body.byKey();
        String source = request.getRemoteAddr();
        String who = byKey ? "api-key:" + body.apiKey().substring(0, Math.min(8, body.apiKey().length())) : body.username();
        String userKey = "user:" + who;
        LoginThrottle.Admission admission = throttle.begin("addr:" + source, userKey);
        if (!admission.admitted()) {
            long wait = seconds(admission.retryAfter());
            audit(who, "denied: too many attempts", source);
            ProblemDetail p = ProblemHandler.problem(HttpStatus.TOO_MANY_REQUESTS, "rate-limited", "Too many requests",
                    "too many failed sign-ins; try again in " + wait + " s");
            return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS).header(HttpHeaders.RETRY_AFTER, Long.toString(wait)).body(p);
        }
        Optional<User> user = byKey ? accounts.checkApiKey(body.apiKey()) : accounts.checkPassword(body.username(), body.password());
        if (user.isEmpty()) {
            audit(who, "denied: bad credentials", source);
            ProblemDetail p = ProblemHandler.problem(HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized",
                    byKey ? "unknown API key" : "wrong username or password");
            return ResponseEntity.status(HttpStatus.UNAUTHORIZED).body(p);
        }
        throttle.succeeded(admission.attempt(), userKey);
        audit(user.get().username(), "success", source);
        TokenService.Issued issued = tokens.issue(user.get().username(), user.get().id(), user.get().roles(), null,
                props.auth().tokenTtl());
        return ResponseEntity.ok(new TokenView(issued.token(), "Bearer", issued.expiresAt(), user.get().username(),
                user.get().roles().stream().map(Role::id).sorted().toList()));
    }

    @PostMapping("/logout")
    @Operation(summary = "Sign this token out: it stops working at once, on every server")
    ResponseEntity<Void> logout() {
        CallerAuthentication auth = (CallerAuthentication) SecurityContextHolder.getContext().getAuthentication();
        if (!tokens.issuer().equals(auth.jwt().getClaimAsString("iss")) || auth.jwt().getId() == null) {
            throw new InvalidStateException("this token comes from " + auth.jwt().getClaimAsString("iss") + "; sign out there");
        }
        tokens.revoke(auth.jwt());
        return ResponseEntity.noContent().build();
    }

    record Status(String username, List<String> roles, String instance, String issuer, Instant expiresAt) {}

    @GetMapping("/status")
    @Operation(summary = "Who this token is: user, roles, instance scope, issuer and expiry")
    Status status(@AuthenticationPrincipal Caller caller) {
        CallerAuthentication auth = (CallerAuthentication) SecurityContextHolder.getContext().getAuthentication();
        return new Status(caller.username(), caller.roles().stream().map(Role::id).sorted().toList(), caller.instanceScope(),
                auth.jwt().getClaimAsString("iss"), auth.jwt().getExpiresAt());
    }

    record Rotated(String keyId) {}

    @PostMapping("/keys/rotate")
    @Operation(summary = "Sign new tokens with a fresh key; tokens signed with the previous keys stay valid until they expire")
    Rotated rotate(@AuthenticationPrincipal Caller caller) {
        AccessPolicy.requireRole(caller, Role.ADMIN);
        return new Rotated(tokens.rotate());
    }

    private void audit(String actor, String result, String source) {
        store.audit().append(new AuditEvent(Ids.next("au"), clock.instant(), actor, "auth.login", actor, result, source));
    }

    private static long seconds(Duration d) {
        return Math.max(1, (d.toMillis() + 999) / 1000);
    }
}
