package io.devswarm.core.access;

import io.devswarm.core.model.InvalidSpecException;
import java.time.Instant;

/**
 * A long-lived key a user exchanges for tokens (automation, CI). Only a hash is kept; the key is
 * shown once when made.
 *
 * @param keyHash SHA-256 of the key, hex
 * @param prefix  the key's first characters, to tell keys apart in lists
 */
public record ApiKey(String id, String username, String name, String keyHash, String prefix, Instant createdAt) {
    public static final int MAX_NAME = 255;

    public ApiKey {
        if (name != null && name.length() > MAX_NAME) throw new InvalidSpecException("name", "must be at most " + MAX_NAME + " characters");
    }
}
