package io.devswarm.core.store;

import io.devswarm.core.secrets.Secret;
import io.devswarm.core.secrets.SecretScope;
import java.util.List;
import java.util.Optional;

/** Encrypted secrets; this store never sees a value in clear. */
public interface SecretStore {
    /** Inserts, or replaces the ciphertext of the secret with the same scope, scope id and name. */
    void put(Secret secret);

    Optional<Secret> find(SecretScope scope, String scopeId, String name);

    List<Secret> list(SecretScope scope, String scopeId);

    /**
     * In one read: the global secrets, the user secrets of the owner {@code ownerId} (may be null;
     * none once that user is deleted, even if another now has their name) and those of {@code instanceId}.
     */
    List<Secret> listForInstance(String ownerId, String instanceId);

    /** Every secret not sealed with {@code keyId}: what a key rotation must re-encrypt. */
    List<Secret> listNotSealedWith(String keyId);

    /** Replaces the ciphertext if the secret still holds {@code expectedKeyId}; false if it changed meanwhile. */
    boolean reseal(String id, String expectedKeyId, String keyId, byte[] ciphertext);

    boolean delete(SecretScope scope, String scopeId, String name);

    /** Drops the secrets of a deleted instance or user. */
    int deleteScope(SecretScope scope, String scopeId);
}
