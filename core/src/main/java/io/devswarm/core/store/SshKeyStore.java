package io.devswarm.core.store;

import io.devswarm.core.access.SshKey;
import java.util.List;
import java.util.Optional;

/** The SSH public keys of users; a key (by fingerprint) belongs to one user. */
public interface SshKeyStore {
    /** Stores the key; a fingerprint already registered is a conflict. */
    void insert(SshKey key);

    Optional<SshKey> findByFingerprint(String fingerprint);

    /** All keys, or one user's when {@code username} is not null. */
    List<SshKey> list(String username);

    /** Removes the key; false when there was none with this id. */
    boolean delete(String id);
}
