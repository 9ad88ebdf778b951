package io.devswarm.store;

import io.devswarm.core.access.SshKey;
import io.devswarm.core.model.AlreadyExistsException;
import io.devswarm.core.store.SshKeyStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

final class JdbcSshKeyStore implements SshKeyStore {
    private static final String COLUMNS = "id, username, name, public_key, fingerprint, created_at";

    private final Jdbc jdbc;

    JdbcSshKeyStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void insert(SshKey k) {
        try {
            jdbc.update("INSERT INTO ssh_keys (" + COLUMNS + ") VALUES (?,?,?,?,?,?)", k.id(), k.username(), k.name(), k.publicKey(), k.fingerprint(),
                    k.createdAt());
        } catch (AlreadyExistsException e) {
            throw new AlreadyExistsException("this key (" + k.fingerprint() + ") is already registered; a key belongs to one user");
        }
    }

    @Override
    public Optional<SshKey> findByFingerprint(String fingerprint) {
        return jdbc.query("SELECT " + COLUMNS + " FROM ssh_keys WHERE fingerprint = ?", this::map, fingerprint).stream().findFirst();
    }

    @Override
    public List<SshKey> list(String username) {
        return username == null ? jdbc.query("SELECT " + COLUMNS + " FROM ssh_keys ORDER BY username, created_at", this::map)
                : jdbc.query("SELECT " + COLUMNS + " FROM ssh_keys WHERE username = ? ORDER BY created_at", this::map, username);
    }

    @Override
    public boolean delete(String id) {
        return jdbc.update("DELETE FROM ssh_keys WHERE id = ?", id) == 1;
    }

    private SshKey map(ResultSet rs) throws SQLException {
        return new SshKey(rs.getString("id"), rs.getString("username"), rs.getString("name"), rs.getString("public_key"), rs.getString("fingerprint"),
                Jdbc.instant(rs, "created_at"));
    }
}
