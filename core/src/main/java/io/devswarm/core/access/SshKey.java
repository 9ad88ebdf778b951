package io.devswarm.core.access;

import io.devswarm.core.model.InvalidSpecException;
import java.time.Instant;

/**
 * A public key that lets {@code username} into the SSH gateway.
 *
 * @param publicKey   OpenSSH form: "ssh-ed25519 AAAA... comment"
 * @param fingerprint OpenSSH SHA256 form: "SHA256:..." (unique: a key belongs to one user)
 */
public record SshKey(String id, String username, String name, String publicKey, String fingerprint, Instant createdAt) {
    public static final int MAX_NAME = 255;
    public static final int MAX_PUBLIC_KEY = 16_384;

    public SshKey {
        if (name != null && name.length() > MAX_NAME) {
            throw new InvalidSpecException("name", "must be at most " + MAX_NAME + " characters (a key given no name is named by its comment)");
        }
    }
}
