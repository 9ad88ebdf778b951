package io.devswarm.server.users;

import io.devswarm.core.access.ApiKey;
import io.devswarm.core.access.Role;
import io.devswarm.core.access.User;
import io.devswarm.core.controller.Ids;
import io.devswarm.core.model.InvalidStateException;
import io.devswarm.core.store.Store;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

/** Users and their credentials: passwords (hashed) and API keys (only a digest kept). */
@Component
public class Accounts {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Store store;
    private final PasswordEncoder encoder;
    private final Clock clock;
    /** Checked against when the user does not exist, so a wrong name takes as long as a wrong password. */
    private final String decoyHash;

    Accounts(Store store, PasswordEncoder encoder, Clock clock) {
        this.store = store;
        this.encoder = encoder;
        this.clock = clock;
        this.decoyHash = encoder.encode(randomToken(16));
    }

    public Optional<User> checkPassword(String username, String password) {
        Optional<User> user = username == null ? Optional.empty() : store.users().find(username);
        String hash = user.map(User::passwordHash).filter(h -> h != null && !h.isBlank()).orElse(decoyHash);
        boolean matches = password != null && encoder.matches(password, hash);
        return matches && user.isPresent() ? user : Optional.empty();
    }

    public Optional<User> checkApiKey(String key) {
        if (key == null || key.isBlank()) return Optional.empty();
        return store.users().findApiKeyByHash(sha256(key)).flatMap(k -> store.users().find(k.username()));
    }

    /** A new user. Its caller vouches for the username, password and roles: the API by {@link UserController.NewUser}'s constraints. */
    User create(String username, String password, Set<Role> roles) {
        User user = new User(Ids.next("us"), username, encoder.encode(password), roles, clock.instant());
        store.users().insert(user);
        return user;
    }

    /** Null leaves the password or the roles as they are; what is given meets {@link UserController.UserChange}'s constraints. */
    User update(User existing, String newPassword, Set<Role> newRoles) {
        if (newRoles != null && existing.roles().contains(Role.ADMIN) && !newRoles.contains(Role.ADMIN)) requireAnotherAdmin(existing.username());
        User updated = new User(existing.id(), existing.username(), newPassword == null ? existing.passwordHash() : encoder.encode(newPassword),
                newRoles == null ? existing.roles() : newRoles, existing.createdAt());
        store.users().update(updated);
        return updated;
    }

    boolean delete(User user) {
        if (user.roles().contains(Role.ADMIN)) requireAnotherAdmin(user.username());
        return store.users().delete(user.username());
    }

    /** A new API key: returned once in clear, stored as a digest. */
    NewApiKey createApiKey(String username, String name) {
        String key = "dsk_" + randomToken(32);
        ApiKey stored = new ApiKey(Ids.next("ak"), username, name, sha256(key), key.substring(0, 8), clock.instant());
        store.users().insertApiKey(stored);
        return new NewApiKey(stored, key);
    }

    record NewApiKey(ApiKey stored, String key) {}

    static String randomToken(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private void requireAnotherAdmin(String username) {
        boolean another = store.users().list().stream().anyMatch(u -> !u.username().equals(username) && u.roles().contains(Role.ADMIN));
        if (!another) throw new InvalidStateException("'" + username + "' is the last admin; make another admin first");
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
