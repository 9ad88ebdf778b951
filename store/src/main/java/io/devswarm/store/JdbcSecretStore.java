package io.devswarm.store;

import io.devswarm.core.access.Owners;
import io.devswarm.core.secrets.Secret;
import io.devswarm.core.secrets.SecretScope;
import io.devswarm.core.store.SecretStore;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

final class JdbcSecretStore implements SecretStore {
    private static final String COLUMNS = "id, scope, scope_id, name, key_id, ciphertext, created_at, updated_at, updated_by";

    private final Jdbc jdbc;

    JdbcSecretStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void put(Secret s) {
        jdbc.inTransaction(c -> {
            int updated = jdbc.update(c, "UPDATE secrets SET key_id = ?, ciphertext = ?, updated_at = ?, updated_by = ? WHERE scope = ? AND scope_id = ? AND name = ?",
                    s.keyId(), s.ciphertext(), s.updatedAt(), s.updatedBy(), s.scope().name(), s.scopeId(), s.name());
            if (updated == 0) {
                jdbc.update(c, "INSERT INTO secrets (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?)", s.id(), s.scope().name(), s.scopeId(), s.name(), s.keyId(),
                        s.ciphertext(), s.createdAt(), s.updatedAt(), s.updatedBy());
            }
            return null;
        });
    }

    @Override
    public Optional<Secret> find(SecretScope scope, String scopeId, String name) {
        return jdbc.query("SELECT " + COLUMNS + " FROM secrets WHERE scope = ? AND scope_id = ? AND name = ?", this::map, scope.name(), scopeId, name)
                .stream().findFirst();
    }

    @Override
    public List<Secret> list(SecretScope scope, String scopeId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM secrets WHERE scope = ? AND scope_id = ? ORDER BY name", this::map, scope.name(), scopeId);
    }

    @Override
    public List<Secret> listForInstance(String ownerId, String instanceId) {
        // user secrets are kept by username: the owner's name is read through their id, so a later user of that name gets none of theirs
        String nameOnly = Owners.nameOnly(ownerId);
        return jdbc.query("SELECT " + COLUMNS + " FROM secrets WHERE scope = 'GLOBAL' OR (scope = 'INSTANCE' AND scope_id = ?) "
                        + "OR (scope = 'USER' AND scope_id = COALESCE((SELECT username FROM users WHERE id = ?), ?))",
                this::map, instanceId, ownerId == null ? "" : ownerId, nameOnly == null ? "" : nameOnly);
    }

    @Override
    public List<Secret> listNotSealedWith(String keyId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM secrets WHERE key_id <> ? ORDER BY id", this::map, keyId);
    }

    @Override
    public boolean reseal(String id, String expectedKeyId, String keyId, byte[] ciphertext) {
        return jdbc.update("UPDATE secrets SET key_id = ?, ciphertext = ? WHERE id = ? AND key_id = ?", keyId, ciphertext, id, expectedKeyId) == 1;
    }

    @Override
    public boolean delete(SecretScope scope, String scopeId, String name) {
        return jdbc.update("DELETE FROM secrets WHERE scope = ? AND scope_id = ? AND name = ?", scope.name(), scopeId, name) == 1;
    }

    @Override
    public int deleteScope(SecretScope scope, String scopeId) {
        return jdbc.withConnection(c -> deleteScope(c, scope, scopeId));
    }

    /** As {@link #deleteScope(SecretScope, String)}, on {@code c}: part of the caller's transaction. */
    int deleteScope(Connection c, SecretScope scope, String scopeId) throws SQLException {
        return jdbc.update(c, "DELETE FROM secrets WHERE scope = ? AND scope_id = ?", scope.name(), scopeId);
    }

    private Secret map(ResultSet rs) throws SQLException {
        return new Secret(rs.getString("id"), SecretScope.valueOf(rs.getString("scope")), rs.getString("scope_id"), rs.getString("name"), rs.getString("key_id"),
                rs.getBytes("ciphertext"), Jdbc.instant(rs, "created_at"), Jdbc.instant(rs, "updated_at"), rs.getString("updated_by"));
    }
}
