package io.devswarm.server.auth;

import io.devswarm.core.access.Caller;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;

/** A verified bearer token, as the {@link Caller} the core's access policy reasons about. */
final class CallerAuthentication extends AbstractAuthenticationToken {
    private final Caller caller;
    private final Jwt jwt;

    CallerAuthentication(Caller caller, Jwt jwt) {
        super(caller.roles().stream().map(r -> new SimpleGrantedAuthority("ROLE_" + r.name())).toList());
        this.caller = caller;
        this.jwt = jwt;
        setAuthenticated(true);
    }

    @Override
    public Object getCredentials() {
        return ""; // the token is not kept where toString() or a log could reach it
    }

    @Override
    public Caller getPrincipal() {
        return caller;
    }

    @Override
    public String getName() {
        return caller.username();
    }

    Jwt jwt() {
        return jwt;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CallerAuthentication other && other.caller.equals(caller) && other.jwt.getTokenValue().equals(jwt.getTokenValue());
    }

    @Override
    public int hashCode() {
        return caller.hashCode();
    }

}
