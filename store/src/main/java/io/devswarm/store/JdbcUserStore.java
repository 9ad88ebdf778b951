package io.devswarm.store;

import io.devswarm.core.access.ApiKey;
import io.devswarm.core.access.Role;
import io.devswarm.core.access.User;
import io.devswarm.core.model.AlreadyExistsException;
import io.devswarm.core.store.UserStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

final class JdbcUserStore implements UserStore {
    private static final String USER_COLUMNS = "id, username, password_hash, roles, created_at";
    private static final String KEY_COLUMNS = "id, username, name, key_hash, prefix, created_at";

    private final Jdbc jdbc;

    JdbcUserStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void insert(User u) {
        try {
            jdbc.update("INSERT INTO users (" + USER_COLUMNS + ") VALUES (?,?,?,?,?)", u.id(), u.username(), u.passwordHash(), roles(u.roles()), u.createdAt());
        } catch (AlreadyExistsException e) {
            throw new AlreadyExistsException("user '" + u.username() + "' already exists");
        }
    }

    @Override
    public Optional<User> find(String username) {
        return jdbc.query("SELECT " + USER_COLUMNS + " FROM users WHERE username = ?", this::user, username).stream().findFirst();
    }

    @Override
    public Optional<TokenUser> findTokenUser(String username, String tokenId) {
        return jdbc.query("SELECT " + USER_COLUMNS + ", (SELECT COUNT(*) FROM revoked_tokens WHERE token_id = ?) AS revoked FROM users WHERE username = ?",
                rs -> new TokenUser(user(rs), rs.getLong("revoked") > 0), tokenId, username).stream().findFirst();
    }

    @Override
    public List<User> list() {
        return jdbc.query("SELECT " + USER_COLUMNS + " FROM users ORDER BY username", this::user);
    }

    @Override
    public boolean update(User u) {
        return jdbc.update("UPDATE users SET password_hash = ?, roles = ? WHERE username = ?", u.passwordHash(), roles(u.roles()), u.username()) == 1;
    }

    @Override
    public boolean delete(String username) {
        return jdbc.inTransaction(c -> {
            jdbc.update(c, "DELETE FROM api_keys WHERE username = ?", username);
            jdbc.update(c, "DELETE FROM ssh_keys WHERE username = ?", username);
            return jdbc.update(c, "DELETE FROM users WHERE username = ?", username) == 1;
        });
    }

    @Override
    public long count() {
        return jdbc.count("SELECT COUNT(*) FROM users");
    }

    @Override
    public void insertApiKey(ApiKey k) {
        jdbc.update("INSERT INTO api_keys (" + KEY_COLUMNS + ") VALUES (?,?,?,?,?,?)", k.id(), k.username(), k.name(), k.keyHash(), k.prefix(), k.createdAt());
    }

    @Override
    public Optional<ApiKey> findApiKeyByHash(String keyHash) {
        return jdbc.query("SELECT " + KEY_COLUMNS + " FROM api_keys WHERE key_hash = ?", this::apiKey, keyHash).stream().findFirst();
    }

    @Override
    public List<ApiKey> listApiKeys(String username) {
        return jdbc.query("SELECT " + KEY_COLUMNS + " FROM api_keys WHERE username = ? ORDER BY created_at", this::apiKey, username);
    }

    @Override
    public boolean deleteApiKey(String username, String id) {
        return jdbc.update("DELETE FROM api_keys WHERE username = ? AND id = ?", username, id) == 1;
    }

    @Override
    public void revokeToken(String tokenId, Instant expiresAt) {
        try {
            jdbc.update("INSERT INTO revoked_tokens (token_id, expires_at) VALUES (?,?)", tokenId, expiresAt);
        } catch (AlreadyExistsException alreadyRevoked) {
            // signing out twice is signing out
        }
    }

    @Override
    public boolean isTokenRevoked(String tokenId) {
        return jdbc.count("SELECT COUNT(*) FROM revoked_tokens WHERE token_id = ?", tokenId) > 0;
    }

    @Override
    public int purgeRevokedTokens(Instant now) {
        return jdbc.update("DELETE FROM revoked_tokens WHERE expires_at < ?", now);
    }

    private static String roles(Collection<Role> roles) {
        return roles.stream().sorted().map(Role::id).collect(Collectors.joining(","));
    }

    private User user(ResultSet rs) throws SQLException {
        String stored = rs.getString("roles");
        Set<Role> roles = stored.isBlank() ? Set.of()
                : Arrays.stream(stored.split(",")).map(r -> Role.parse("roles", r)).collect(Collectors.toCollection(() -> EnumSet.noneOf(Role.class)));
        return new User(rs.getString("id"), rs.getString("username"), rs.getString("password_hash"), roles, Jdbc.instant(rs, "created_at"));
    }

    private ApiKey apiKey(ResultSet rs) throws SQLException {
        return new ApiKey(rs.getString("id"), rs.getString("username"), rs.getString("name"), rs.getString("key_hash"), rs.getString("prefix"),
                Jdbc.instant(rs, "created_at"));
    }
}
