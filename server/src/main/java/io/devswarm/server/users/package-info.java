/**
 * Users and their credentials: accounts with hashed passwords and roles, API keys kept as digests, the
 * username rule every feature that names a user applies, and the first start that makes an admin when there
 * is no user at all.
 */
package io.devswarm.server.users;
