/**
 * Secrets at three scopes, global, a user's and an instance's, as the API sets, lists and reveals them;
 * sealing, layering and key rotation are the core's {@link io.devswarm.core.secrets.SecretService}.
 */
package io.devswarm.server.secrets;
