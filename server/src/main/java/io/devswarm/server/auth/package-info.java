/**
 * Who is calling: devswarm's own bearer tokens (signed with keys from a keyring file, signed out by id), an
 * external OIDC issuer's tokens mapped to roles, sign-in by password or API key with its throttle, short-lived
 * instance tokens, and the Spring Security filter chain that turns a token into the core's
 * {@link io.devswarm.core.access.Caller}. What a caller may then do is decided by the core's
 * {@link io.devswarm.core.access.AccessPolicy}, not here.
 */
package io.devswarm.server.auth;
