/**
 * A user's SSH public keys: what lets them through the SSH gateway into the instances they own.
 */
package io.devswarm.server.keys;
