package io.devswarm.core.secrets;

import java.time.Instant;

/**
 * A secret as stored: encrypted. The value exists in clear only inside {@link SecretService}.
 *
 * @param scopeId    "" for global, the username for user scope, the instance id for instance scope
 * @param name       the environment variable it becomes
 * @param keyId      which master key sealed it
 * @param ciphertext nonce followed by AES-GCM ciphertext and tag
 */
public record Secret(String id, SecretScope scope, String scopeId, String name, String keyId, byte[] ciphertext, Instant createdAt, Instant updatedAt,
                     String updatedBy) {}
