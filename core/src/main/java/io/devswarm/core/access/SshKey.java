package io.devswarm.core.access;

import java.time.Instant;

/**
 * A public key that lets {@code username} into the SSH gateway.
 *
 * @param publicKey   OpenSSH form: "ssh-ed25519 AAAA... comment"
 * @param fingerprint OpenSSH SHA256 form: "SHA256:..." (unique: a key belongs to one user)
 */
public record SshKey(String id, String username, String name, String publicKey, String fingerprint, Instant createdAt) {}
