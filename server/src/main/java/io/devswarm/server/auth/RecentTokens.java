package io.devswarm.server.auth;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * Remembers the tokens this server verified lately, by their exact text: a client calls again and
 * again with one token, and parsing it and checking its signature cost ~0.3 ms of every call once
 * the server had an idle moment. Expiry and issuer are checked again on each use, and a token
 * remembered under keys since replaced (a rotation, a reload) is verified again in full. Who the
 * token speaks for, and whether it was signed out, is still read on every call
 * ({@link TokenService#callerOf}). Only tokens that verified are kept, so made-up ones cannot
 * fill it.
 */
final class RecentTokens implements JwtDecoder {
    /** Enough for every client of a busy server; when full it starts over, which costs one full check per token. */
    static final int KEPT = 1024;

    private final JwtDecoder verifier;
    private final OAuth2TokenValidator<Jwt> validator;
    private final Supplier<?> keys;
    private final Map<String, Verified> verified = new ConcurrentHashMap<>();

    private record Verified(Jwt jwt, Object keys) {}

    /**
     * @param verifier  parses, verifies and validates a token
     * @param validator what {@code verifier} validates, asked again each time a remembered token is used
     * @param keys      the keys {@code verifier} verifies with now; compared by identity
     */
    RecentTokens(JwtDecoder verifier, OAuth2TokenValidator<Jwt> validator, Supplier<?> keys) {
        this.verifier = verifier;
        this.validator = validator;
        this.keys = keys;
    }

    @Override
    public Jwt decode(String token) throws JwtException {
        Object keysNow = keys.get();
        Verified seen = verified.get(token);
        if (seen != null) {
            if (seen.keys() == keysNow && !validator.validate(seen.jwt()).hasErrors()) return seen.jwt();
            verified.remove(token, seen); // the full check below refuses it with its own reason, or keeps it anew
        }
        Jwt jwt = verifier.decode(token);
        if (verified.size() >= KEPT) verified.clear();
        verified.put(token, new Verified(jwt, keysNow));
        return jwt;
    }
}
