package io.devswarm.store;

import io.devswarm.core.model.InstanceSpec;
import io.devswarm.core.store.Pool;
import io.devswarm.core.store.PoolStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

final class JdbcPoolStore implements PoolStore {
    private static final String COLUMNS = "name, provider, replicas, template, owner, owner_id, created_at, updated_at";

    private final Jdbc jdbc;
    private final Json json;

    JdbcPoolStore(Jdbc jdbc, Json json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    @Override
    public Optional<Pool> find(String name) {
        return jdbc.query("SELECT " + COLUMNS + " FROM pools WHERE name = ?", this::map, name).stream().findFirst();
    }

    @Override
    public void save(Pool p) {
        jdbc.inTransaction(c -> {
            int n = jdbc.update(c, "UPDATE pools SET provider = ?, replicas = ?, template = ?, owner = ?, owner_id = ?, updated_at = ? WHERE name = ?",
                    p.provider(), p.replicas(), json.write(p.template()), p.owner(), p.ownerId(), p.updatedAt(), p.name());
            if (n == 0) {
                jdbc.update(c, "INSERT INTO pools (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?)", p.name(), p.provider(), p.replicas(),
                        json.write(p.template()), p.owner(), p.ownerId(), p.createdAt(), p.updatedAt());
            }
            return null;
        });
    }

    @Override
    public List<Pool> list() {
        return jdbc.query("SELECT " + COLUMNS + " FROM pools ORDER BY name", this::map);
    }

    @Override
    public void delete(String name) {
        jdbc.update("DELETE FROM pools WHERE name = ?", name);
    }

    private Pool map(ResultSet rs) throws SQLException {
        return new Pool(rs.getString("name"), rs.getString("provider"), rs.getInt("replicas"), json.read(rs.getString("template"), InstanceSpec.class),
                rs.getString("owner"), rs.getString("owner_id"), Jdbc.instant(rs, "created_at"), Jdbc.instant(rs, "updated_at"));
    }
}
