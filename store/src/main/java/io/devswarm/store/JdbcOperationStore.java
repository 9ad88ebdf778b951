package io.devswarm.store;

import io.devswarm.core.operation.LeaseLostException;
import io.devswarm.core.operation.Operation;
import io.devswarm.core.operation.OperationPayload;
import io.devswarm.core.operation.OperationStatus;
import io.devswarm.core.operation.OperationType;
import io.devswarm.core.operation.Priority;
import io.devswarm.core.store.OperationStore;
import io.devswarm.core.store.Page;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

final class JdbcOperationStore implements OperationStore {
    private static final String COLUMNS = "id, type, status, priority, instance_id, instance_name, payload, attempts, max_attempts, error, result, "
            + "created_at, started_at, completed_at, worker";

    private final Jdbc jdbc;
    private final Json json;

    JdbcOperationStore(Jdbc jdbc, Json json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    @Override
    public void insert(Operation op) {
        jdbc.withConnection(c -> {
            insert(c, op);
            return null;
        });
    }

    void insert(Connection c, Operation op) throws SQLException {
        jdbc.update(c, "INSERT INTO operations (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", op.id(), op.type().name(), op.status().name(),
                op.priority().name(), op.instanceId(), op.instanceName(), payload(op), op.attempts(), op.maxAttempts(), op.error(),
                json.write(op.result()), op.createdAt(), op.startedAt(), op.completedAt(), op.worker());
    }

    @Override
    public Optional<Operation> find(String id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM operations WHERE id = ?", this::map, id).stream().findFirst();
    }

    @Override
    public boolean update(Operation op) {
        return jdbc.withConnection(c -> update(c, op));
    }

    /** Writes {@code op} over the stored one while that is at the same attempt and not ended (the attempt fences a run that lost its lease). */
    boolean update(Connection c, Operation op) throws SQLException {
        return jdbc.update(c, "UPDATE operations SET status = ?, error = ?, result = ?, started_at = ?, completed_at = ?, worker = ? "
                        + "WHERE id = ? AND attempts = ? AND status IN ('PENDING', 'PROCESSING')",
                op.status().name(), op.error(), json.write(op.result()), op.startedAt(), op.completedAt(), op.worker(), op.id(), op.attempts()) == 1;
    }

    /** As {@link #update(Connection, Operation)}, throwing when fenced off, so that the transaction it is part of writes nothing. */
    void updateFenced(Connection c, Operation op) throws SQLException {
        if (!update(c, op)) throw new LeaseLostException(op);
    }

    @Override
    public boolean start(Operation current, Operation started) {
        return jdbc.update("UPDATE operations SET status = ?, attempts = ?, started_at = ?, completed_at = NULL, worker = ? "
                        + "WHERE id = ? AND status = ? AND attempts = ?", started.status().name(), started.attempts(), started.startedAt(), started.worker(),
                current.id(), current.status().name(), current.attempts()) == 1;
    }

    @Override
    public Page<Operation> list(String instanceId, String ownerId, OperationStatus status, int offset, int limit) {
        StringBuilder where = new StringBuilder(" WHERE 1=1");
        List<Object> params = new ArrayList<>();
        if (instanceId != null) { where.append(" AND instance_id = ?"); params.add(instanceId); }
        if (ownerId != null) { where.append(" AND instance_id IN (SELECT id FROM instances WHERE owner_id = ?)"); params.add(ownerId); }
        if (status != null) { where.append(" AND status = ?"); params.add(status.name()); }
        return jdbc.withConnection(c -> {
            long total = jdbc.query(c, "SELECT COUNT(*) FROM operations" + where, rs -> rs.getLong(1), params.toArray()).getFirst();
            List<Object> paged = new ArrayList<>(params);
            paged.add(limit);
            paged.add(offset);
            var items = jdbc.query(c, "SELECT " + COLUMNS + " FROM operations" + where + " ORDER BY created_at DESC, id LIMIT ? OFFSET ?", this::map,
                    paged.toArray());
            return new Page<>(items, total, offset, limit);
        });
    }

    private String payload(Operation op) {
        return op.payload() instanceof OperationPayload.None ? null : json.write(op.payload());
    }

    private Operation map(ResultSet rs) throws SQLException {
        OperationType type = OperationType.valueOf(rs.getString("type"));
        return new Operation(rs.getString("id"), type, OperationStatus.valueOf(rs.getString("status")), Priority.valueOf(rs.getString("priority")),
                rs.getString("instance_id"), rs.getString("instance_name"), json.readPayload(type, rs.getString("payload")), rs.getInt("attempts"),
                rs.getInt("max_attempts"), rs.getString("error"), json.readResult(type, rs.getString("result")), Jdbc.instant(rs, "created_at"),
                Jdbc.instant(rs, "started_at"), Jdbc.instant(rs, "completed_at"), rs.getString("worker"));
    }
}
