package io.devswarm.server.auth;

import io.devswarm.core.store.Store;
import io.devswarm.server.audit.AuditFilter;
import io.devswarm.server.system.DevswarmProperties;
import io.devswarm.server.system.ProblemResponses;
import io.devswarm.store.Database;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationManagerResolver;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;
import org.springframework.security.oauth2.server.resource.authentication.JwtIssuerAuthenticationManagerResolver;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Every /api/v1 call needs a bearer token except health, login and the OpenAPI document. Tokens
 * come from devswarm itself or, when configured, from an external OIDC issuer; the "iss" claim
 * says which verifies it. What a caller may then do is the core's {@link io.devswarm.core.access.AccessPolicy}.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    @Bean
    TokenService tokenService(DevswarmProperties props, Database database, Store store, Clock clock) {
        return new TokenService("urn:devswarm:" + database.installationId(), props.home().resolve("jwt-signing.keyring"), store.users(), clock);
    }

    /** Argon2id for new hashes; bcrypt hashes (imported users) still verify. */
    @Bean
    PasswordEncoder passwordEncoder() {
        return new DelegatingPasswordEncoder("argon2", Map.of("argon2", Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8(), "bcrypt",
                new BCryptPasswordEncoder()));
    }

    @Bean
    AuthenticationManagerResolver<HttpServletRequest> authenticationManagers(TokenService tokens, DevswarmProperties props) {
        JwtAuthenticationProvider own = new JwtAuthenticationProvider(tokens.decoder());
        own.setJwtAuthenticationConverter(jwt -> new CallerAuthentication(tokens.callerOf(jwt), jwt));
        AuthenticationManager ownManager = own::authenticate;
        DevswarmProperties.Oidc oidc = props.auth().oidc();
        // with one issuer there is nothing to choose: reading "iss" first would parse every token twice,
        // and our decoder refuses any other issuer anyway
        if (!oidc.enabled()) return request -> ownManager;
        AuthenticationManager oidcManager = oidcManager(oidc);
        return new JwtIssuerAuthenticationManagerResolver(issuer -> {
            if (tokens.issuer().equals(issuer)) return ownManager;
            if (oidc.issuerUri().equals(issuer)) return oidcManager;
            return null; // unknown issuer: 401
        });
    }

    private static AuthenticationManager oidcManager(DevswarmProperties.Oidc oidc) {
        // the issuer's discovery document and keys are fetched on first use, so its being down does not stop devswarm
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withIssuerLocation(oidc.issuerUri()).build();
        if (oidc.audience() != null && !oidc.audience().isBlank()) {
            decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(JwtValidators.createDefaultWithIssuer(oidc.issuerUri()),
                    new JwtClaimValidator<java.util.List<String>>("aud", aud -> aud != null && aud.contains(oidc.audience()))));
        }
        JwtAuthenticationProvider provider = new JwtAuthenticationProvider(decoder);
        OidcRoles roles = new OidcRoles(oidc);
        provider.setJwtAuthenticationConverter(jwt -> new CallerAuthentication(roles.caller(jwt), jwt));
        return provider::authenticate;
    }

    /**
     * No traces of every security filter, authentication and authorization: each request's own
     * observation (http.server.requests) stays, and wrapping a dozen filters in observations
     * cost more than the whole controller on a warm server.
     */
    @Bean
    SecurityObservationSettings securityObservations() {
        return SecurityObservationSettings.noObservations();
    }

    @Bean
    SecurityFilterChain api(HttpSecurity http, AuthenticationManagerResolver<HttpServletRequest> managers, Store store, Clock clock) throws Exception {
        http.csrf(c -> c.disable()) // bearer tokens only: no cookies, nothing for CSRF to ride on
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(c -> c.disable()) // no sessions: nothing to save a request in for after a sign-in
                .servletApi(s -> s.disable())
                .httpBasic(b -> b.disable())
                .formLogin(f -> f.disable())
                .logout(l -> l.disable())
                .authorizeHttpRequests(a -> a
                        .requestMatchers("/api/v1/health", "/api/v1/auth/login", "/api/v1/openapi.json", "/api/v1/openapi.json/**", "/api/v1/docs",
                                "/api/v1/docs/**", "/swagger-ui/**", "/actuator/health", "/actuator/health/**", "/error").permitAll()
                        .anyRequest().authenticated())
                .oauth2ResourceServer(o -> o.authenticationManagerResolver(managers)
                        .authenticationEntryPoint((request, response, e) -> {
                            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"devswarm\"");
                            String detail = request.getHeader(HttpHeaders.AUTHORIZATION) == null
                                    ? "this needs a bearer token: sign in with POST /api/v1/auth/login or `devswarm login`"
                                    : "the bearer token was refused: " + e.getMessage();
                            ProblemResponses.write(response, 401, "unauthorized", "Unauthorized", detail, request.getRequestURI());
                        })
                        .accessDeniedHandler((request, response, e) ->
                                ProblemResponses.write(response, 403, "forbidden", "Forbidden", e.getMessage(), request.getRequestURI())))
                // not a bean, so the servlet container does not run it a second time outside security
                .addFilterAfter(new AuditFilter(store.audit(), clock), BearerTokenAuthenticationFilter.class);
        return http.build();
    }

}
