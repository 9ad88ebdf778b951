package io.devswarm.server.auth;

import io.devswarm.core.access.Caller;
import io.devswarm.core.access.Owners;
import io.devswarm.core.access.Role;
import io.devswarm.server.system.DevswarmProperties;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;

/** Turns an external issuer's token into a caller: the configured claim names the user, another claim the roles. */
final class OidcRoles {
    private final DevswarmProperties.Oidc oidc;

    OidcRoles(DevswarmProperties.Oidc oidc) {
        this.oidc = oidc;
    }

    Caller caller(Jwt jwt) {
        String username = jwt.getClaimAsString(oidc.usernameClaim());
        if (username == null || username.isBlank()) username = jwt.getSubject();
        if (username == null || username.isBlank()) throw new InvalidBearerTokenException("the token names no user (claim " + oidc.usernameClaim() + " or sub)");
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String value : values(jwt.getClaim(oidc.rolesClaim()))) {
            String mapped = oidc.roleMapping().getOrDefault(value, value);
            for (Role r : Role.values()) if (r.id().equals(mapped.toLowerCase(Locale.ROOT))) roles.add(r);
        }
        return Caller.user(username, Owners.named(username), roles);
    }

    private static List<String> values(Object claim) {
        List<String> out = new ArrayList<>();
        if (claim instanceof Collection<?> c) c.forEach(v -> out.add(String.valueOf(v)));
        else if (claim instanceof String s) out.addAll(List.of(s.trim().split("\\s+")));
        return out;
    }
}
