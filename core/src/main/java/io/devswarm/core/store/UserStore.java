package io.devswarm.core.store;

import io.devswarm.core.access.ApiKey;
import io.devswarm.core.access.User;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Users, their API keys, and the ids of tokens signed out before they expire. */
public interface UserStore {
    /** A username already taken is a conflict. The id is the user's for good: never given to another. */
    void insert(User user);

    Optional<User> find(String username);

    /**
     * The user as stored now and whether their token {@code tokenId} was signed out: what every
     * request with a user's token needs, in one read. Empty when there is no such user.
     */
    Optional<TokenUser> findTokenUser(String username, String tokenId);

    /** A token's user as stored now, and whether the token was signed out. */
    record TokenUser(User user, boolean signedOut) {}

    List<User> list();

    /** Replaces hash and roles (never the id); false when there is no such user. */
    boolean update(User user);

    /**
     * Removes the user with their API keys and SSH keys; false when there was none. Their tokens
     * stop working with the row: each names the user's id, which no later user gets.
     */
    boolean delete(String username);

    long count();

    void insertApiKey(ApiKey key);

    Optional<ApiKey> findApiKeyByHash(String keyHash);

    List<ApiKey> listApiKeys(String username);

    boolean deleteApiKey(String username, String id);

    /** Records a signed-out token until its own expiry (then it is rejected as expired anyway). */
    void revokeToken(String tokenId, Instant expiresAt);

    boolean isTokenRevoked(String tokenId);

    /** Forgets revocations of tokens that have expired; returns how many. */
    int purgeRevokedTokens(Instant now);
}
