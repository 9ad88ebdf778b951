package io.devswarm.store;

import io.devswarm.core.controller.Ids;
import io.devswarm.core.model.AlreadyExistsException;
import io.devswarm.core.model.DesiredState;
import io.devswarm.core.model.Instance;
import io.devswarm.core.model.InstanceSpec;
import io.devswarm.core.model.InstanceStatus;
import io.devswarm.core.model.NameTakenException;
import io.devswarm.core.model.NetworkInfo;
import io.devswarm.core.model.StaleWriteException;
import io.devswarm.core.operation.Operation;
import io.devswarm.core.secrets.SecretScope;
import io.devswarm.core.store.InstanceQuery;
import io.devswarm.core.store.InstanceStore;
import io.devswarm.core.store.Page;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

final class JdbcInstanceStore implements InstanceStore {
    private static final String COLUMNS = "id, name, provider, status, status_reason, desired_state, owner, owner_id, pool, active_operation, spec, network, "
            + "created_at, updated_at, last_active, version";

    private final Jdbc jdbc;
    private final Json json;
    private final JdbcOperationStore operations;
    private final JdbcSecretStore secrets;
    private final ParsedDocuments<InstanceSpec> specs;
    private final ParsedDocuments<NetworkInfo> networks;

    JdbcInstanceStore(Jdbc jdbc, Json json) {
        this.jdbc = jdbc;
        this.json = json;
        this.specs = new ParsedDocuments<>(text -> json.read(text, InstanceSpec.class));
        this.networks = new ParsedDocuments<>(text -> json.read(text, NetworkInfo.class));
        this.operations = new JdbcOperationStore(jdbc, json);
        this.secrets = new JdbcSecretStore(jdbc);
    }

    @Override
    public void insert(Instance instance, Operation create, Instant runsHereUntil) {
        try {
            jdbc.inTransaction(c -> {
                jdbc.update(c, "INSERT INTO instances (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", params(instance, instance.version()));
                store(c, create, runsHereUntil);
                return null;
            });
        } catch (AlreadyExistsException e) {
            throw new NameTakenException(instance.name());
        }
    }

    @Override
    public Instance claim(Instance instance, Operation operation, Instant runsHereUntil) {
        return jdbc.inTransaction(c -> {
            Instance stored = write(c, instance, " AND active_operation IS NULL");
            store(c, operation, runsHereUntil);
            return stored;
        });
    }

    private void store(Connection c, Operation operation, Instant runsHereUntil) throws SQLException {
        operations.insert(c, operation);
        if (runsHereUntil != null) OperationSchedule.lease(jdbc, c, operation, runsHereUntil);
    }

    @Override
    public Optional<Instance> findById(String id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM instances WHERE id = ?", this::map, id).stream().findFirst();
    }

    @Override
    public Optional<Instance> findByName(String name) {
        return jdbc.query("SELECT " + COLUMNS + " FROM instances WHERE name = ?", this::map, name).stream().findFirst();
    }

    @Override
    public Optional<Instance> findByIdOrName(String idOrName) {
        // most calls name the instance: a string not shaped like an instance id is only looked up as a name
        if (!Ids.isShaped(Ids.INSTANCE, idOrName)) return findByName(idOrName);
        // an id wins over a name that happens to look like one. Two indexed lookups, not one UNION:
        // H2 keeps no parsed plan of a UNION, and parsing it on every call cost more than both lookups
        return jdbc.withConnection(c -> {
            List<Instance> byId = jdbc.query(c, "SELECT " + COLUMNS + " FROM instances WHERE id = ?", this::map, idOrName);
            return (byId.isEmpty() ? jdbc.query(c, "SELECT " + COLUMNS + " FROM instances WHERE name = ?", this::map, idOrName) : byId).stream().findFirst();
        });
    }

    @Override
    public Page<Instance> list(InstanceQuery q) {
        StringBuilder where = new StringBuilder(" WHERE 1=1");
        List<Object> params = new ArrayList<>();
        if (q.provider() != null) { where.append(" AND provider = ?"); params.add(q.provider()); }
        if (q.status() != null) { where.append(" AND status = ?"); params.add(q.status().name()); }
        if (q.pool() != null) { where.append(" AND pool = ?"); params.add(q.pool()); }
        if (q.ownerId() != null) { where.append(" AND owner_id = ?"); params.add(q.ownerId()); }
        if (q.nameContains() != null) { where.append(" AND name LIKE ?"); params.add("%" + q.nameContains().replace("%", "").replace("_", "\\_") + "%"); }
        return jdbc.withConnection(c -> {
            long total = jdbc.query(c, "SELECT COUNT(*) FROM instances" + where, rs -> rs.getLong(1), params.toArray()).getFirst();
            List<Object> paged = new ArrayList<>(params);
            paged.add(q.limit());
            paged.add(q.offset());
            List<Instance> items = jdbc.query(c, "SELECT " + COLUMNS + " FROM instances" + where + " ORDER BY name LIMIT ? OFFSET ?", this::map, paged.toArray());
            return new Page<>(items, total, q.offset(), q.limit());
        });
    }

    @Override
    public List<Instance> listByProvider(String provider) {
        return jdbc.query("SELECT " + COLUMNS + " FROM instances WHERE provider = ?", this::map, provider);
    }

    @Override
    public Instance update(Instance instance) {
        return jdbc.withConnection(c -> write(c, instance, ""));
    }

    @Override
    public Instance update(Instance instance, Operation operation) {
        return jdbc.inTransaction(c -> {
            // the operation's row first, as everywhere: two transactions never wait on each other's rows in opposite orders
            operations.updateFenced(c, operation);
            return write(c, instance, "");
        });
    }

    /** Writes every column if the stored version matches; {@code guard} adds a further condition. */
    private Instance write(Connection c, Instance i, String guard) throws SQLException {
        Instant now = Instant.now();
        long next = i.version() + 1;
        int n = jdbc.update(c, "UPDATE instances SET status = ?, status_reason = ?, desired_state = ?, owner = ?, owner_id = ?, pool = ?, active_operation = ?, "
                        + "spec = ?, network = ?, updated_at = ?, last_active = ?, version = ? WHERE id = ? AND version = ?" + guard,
                i.status().name(), i.statusReason(), i.desiredState().name(), i.owner(), i.ownerId(), i.pool(), i.activeOperation(), json.write(i.spec()),
                json.write(i.network()), now, i.lastActive(), next, i.id(), i.version());
        if (n == 0) {
            throw new StaleWriteException("instance '" + i.name() + "' was changed by another request; reload and try again");
        }
        return new Instance(i.id(), i.name(), i.provider(), i.status(), i.statusReason(), i.desiredState(), i.createdAt(), now, i.lastActive(), i.spec(),
                i.network(), i.owner(), i.ownerId(), i.pool(), i.activeOperation(), next);
    }

    @Override
    public void delete(String id) {
        jdbc.update("DELETE FROM instances WHERE id = ?", id);
    }

    @Override
    public void delete(String id, Operation ended) {
        jdbc.inTransaction(c -> {
            operations.updateFenced(c, ended);
            secrets.deleteScope(c, SecretScope.INSTANCE, id);
            jdbc.update(c, "DELETE FROM instances WHERE id = ?", id);
            return null;
        });
    }

    @Override
    public Map<InstanceStatus, Integer> countByStatus() {
        Map<InstanceStatus, Integer> out = new EnumMap<>(InstanceStatus.class);
        jdbc.query("SELECT status, COUNT(*) FROM instances GROUP BY status", rs -> out.put(InstanceStatus.valueOf(rs.getString(1)), rs.getInt(2)));
        return out;
    }

    @Override
    public Map<String, Integer> countByProvider() {
        Map<String, Integer> out = new LinkedHashMap<>();
        jdbc.query("SELECT provider, COUNT(*) FROM instances GROUP BY provider", rs -> out.put(rs.getString(1), rs.getInt(2)));
        return out;
    }

    private Object[] params(Instance i, long version) {
        return new Object[] {i.id(), i.name(), i.provider(), i.status().name(), i.statusReason(), i.desiredState().name(), i.owner(), i.ownerId(),
                i.pool(), i.activeOperation(), json.write(i.spec()), json.write(i.network()), i.createdAt(), i.updatedAt(), i.lastActive(), version};
    }

    private Instance map(ResultSet rs) throws SQLException {
        return new Instance(rs.getString("id"), rs.getString("name"), rs.getString("provider"), InstanceStatus.valueOf(rs.getString("status")),
                rs.getString("status_reason"), DesiredState.valueOf(rs.getString("desired_state")), Jdbc.instant(rs, "created_at"),
                Jdbc.instant(rs, "updated_at"), Jdbc.instant(rs, "last_active"), specs.get(rs.getString("spec")),
                Optional.ofNullable(networks.get(rs.getString("network"))).orElse(NetworkInfo.NONE), rs.getString("owner"),
                rs.getString("owner_id"), rs.getString("pool"), rs.getString("active_operation"), rs.getLong("version"));
    }
}
