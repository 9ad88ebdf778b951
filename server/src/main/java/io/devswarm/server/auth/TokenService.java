package io.devswarm.server.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.devswarm.core.access.Caller;
import io.devswarm.core.access.Owners;
import io.devswarm.core.access.Role;
import io.devswarm.core.controller.Ids;
import io.devswarm.core.secrets.Keyring;
import io.devswarm.core.store.UserStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.MappedJwtClaimSetConverter;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;

/**
 * devswarm's own tokens: HS256 JWTs signed with a key from a 0600 keyring file in
 * {@code $DEVSWARM_HOME}, named by "kid". Rotation makes a new signing key while older ones keep
 * verifying, so nobody is signed out mid-request; signed-out tokens are refused by id.
 */
final class TokenService {
    static final String ROLES = "roles";
    static final String INSTANCE = "instance";
    /** The user's id: a token outlives no user, even if another is later given the same name. */
    static final String USER_ID = "uid";
    /** How many retired signing keys still verify: tokens live hours, rotations are rarer. */
    private static final int RETIRED_KEYS_KEPT = 2;

    /** A token just made; the string is shown to its owner once and kept nowhere. */
    record Issued(String token, String id, Instant expiresAt) {}

    private final String issuer;
    private final Path keyringFile;
    private final UserStore users;
    private final Clock clock;
    private volatile Keyring keyring;

    TokenService(String issuer, Path keyringFile, UserStore users, Clock clock) {
        this.issuer = issuer;
        this.keyringFile = keyringFile;
        this.users = users;
        this.clock = clock;
        this.keyring = Keyring.loadOrCreate(keyringFile);
    }

    String issuer() {
        return issuer;
    }

    /** A token for a user, or with {@code instanceId} an instance token scoped to that instance, made by that user. */
    Issued issue(String username, String userId, Set<Role> roles, String instanceId, Duration ttl) {
        Instant now = clock.instant();
        Instant expires = now.plus(ttl);
        String id = Ids.next("tok");
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(issuer).subject(username).jwtID(id).issueTime(Date.from(now))
                .expirationTime(Date.from(expires)).claim(USER_ID, userId).claim(ROLES, roles.stream().map(Role::id).sorted().toList());
        if (instanceId != null) claims.claim(INSTANCE, instanceId);
        Keyring.Key key = keyring.current();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(key.id()).type(JOSEObjectType.JWT).build(), claims.build());
        try {
            jwt.sign(new MACSigner(key.material()));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a token: " + e.getMessage(), e);
        }
        return new Issued(jwt.serialize(), id, expires);
    }

    /** Verifies signature (by kid), issuer and expiry, remembering tokens that passed ({@link RecentTokens}); {@link #callerOf} then asks who it is now. */
    JwtDecoder decoder() {
        return new RecentTokens(verifier(), validator(), this::keys);
    }

    /** Parses and verifies a token in full, every time. */
    JwtDecoder verifier() {
        DefaultJWTProcessor<com.nimbusds.jose.proc.SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector((header, context) -> {
            // no key for another algorithm: Nimbus then refuses the token as bad (401); an exception here
            // would be an error of the server (500, with a stack trace in the log per request)
            if (!JWSAlgorithm.HS256.equals(header.getAlgorithm())) return List.of();
            return key(header.getKeyID()).map(k -> List.of(new SecretKeySpec(k.material(), "HmacSHA256"))).orElse(List.of());
        });
        processor.setJWTClaimsSetVerifier((claims, context) -> { }); // Spring's validators below
        NimbusJwtDecoder decoder = new NimbusJwtDecoder(processor);
        // our issuer is a URN: Spring's default turns "iss" into a URL, which for "urn:" means a failed
        // protocol-handler class lookup (and its exception) on every request
        decoder.setClaimSetConverter(MappedJwtClaimSetConverter.withDefaults(Map.of(JwtClaimNames.ISS, iss -> iss == null ? null : iss.toString())));
        decoder.setJwtValidator(validator());
        return decoder;
    }

    /** Our issuer, and expiry with no skew: we are the clock. */
    OAuth2TokenValidator<Jwt> validator() {
        JwtTimestampValidator timestamps = new JwtTimestampValidator(Duration.ZERO);
        timestamps.setClock(clock);
        return new DelegatingOAuth2TokenValidator<>(timestamps, new JwtIssuerValidator(issuer));
    }

    /** The keys tokens verify with now; a new object after each rotation or reload. */
    Object keys() {
        return keyring;
    }

    /**
     * Who a verified token speaks for now: an instance token's instance scope, or the user with
     * their roles as stored now (not as at sign-in), read with whether the token was signed out.
     * A signed-out token is refused, and so is any token, instance tokens too, whose user was
     * deleted: the user's id must still be the one the token names. An OIDC user's instance token
     * has no account here to look up.
     */
    Caller callerOf(Jwt jwt) {
        String userId = jwt.getClaimAsString(USER_ID);
        String instance = jwt.getClaimAsString(INSTANCE);
        if (instance != null && Owners.nameOnly(userId) != null) {
            if (jwt.getId() != null && users.isTokenRevoked(jwt.getId())) throw signedOut();
            return new Caller(jwt.getSubject(), userId, Set.of(), instance);
        }
        UserStore.TokenUser holder = users.findTokenUser(jwt.getSubject(), jwt.getId()).filter(h -> h.user().id().equals(userId))
                .orElseThrow(() -> new InvalidBearerTokenException("the user this token was made for no longer exists; sign in again"));
        if (holder.signedOut()) throw signedOut();
        if (instance != null) return new Caller(holder.user().username(), userId, Set.of(), instance);
        return Caller.user(holder.user().username(), holder.user().id(), holder.user().roles());
    }

    private static InvalidBearerTokenException signedOut() {
        return new InvalidBearerTokenException("the token was signed out");
    }

    /** A key id we do not know may come from a rotation on another server sharing the keyring file: read it again. */
    private java.util.Optional<Keyring.Key> key(String id) {
        java.util.Optional<Keyring.Key> key = keyring.find(id);
        if (key.isPresent() || id == null) return key;
        synchronized (this) {
            keyring = Keyring.loadOrCreate(keyringFile);
            return keyring.find(id);
        }
    }

    void revoke(Jwt jwt) {
        users.revokeToken(jwt.getId(), jwt.getExpiresAt() == null ? clock.instant().plus(Duration.ofDays(1)) : jwt.getExpiresAt());
    }

    /** A new signing key from now on; the last few keep verifying what they signed. Returns the new key id. */
    synchronized String rotate() {
        Keyring next = keyring.rotated().trimmed(RETIRED_KEYS_KEPT);
        next.write(keyringFile);
        keyring = next;
        return next.current().id();
    }

    String currentKeyId() {
        return keyring.current().id();
    }
}
