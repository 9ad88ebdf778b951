package io.devswarm.server.auth;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.authentication;

import io.devswarm.core.access.Caller;
import io.devswarm.core.access.Role;
import java.time.Instant;
import java.util.Set;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

/**
 * The server's own filter chain ({@link SecurityConfiguration}) in a web slice, and callers
 * signed in to it. A caller is the {@link CallerAuthentication} a verified token becomes, so
 * everything after the token's check runs as in the server: which routes need a caller, 401 and
 * 403 as problem+json, the audit filter, and the {@link Caller} each route is given.
 */
@TestConfiguration(proxyBeanMethods = false)
@Import(SecurityConfiguration.class)
public class SliceSecurity {

    /** Signs the request in as {@code username} (whose id is {@code us-<username>}) with these roles. */
    public static RequestPostProcessor as(String username, Role... roles) {
        return as(Caller.user(username, "us-" + username, Set.of(roles)));
    }

    /** Signs the request in as {@code caller}, as a token of devswarm's own would. */
    public static RequestPostProcessor as(Caller caller) {
        Instant now = Instant.now();
        Jwt jwt = Jwt.withTokenValue("slice-token").header("alg", "HS256").subject(caller.username()).issuer("urn:devswarm:slice").issuedAt(now)
                .expiresAt(now.plusSeconds(300)).build();
        return authentication(new CallerAuthentication(caller, jwt));
    }
}
