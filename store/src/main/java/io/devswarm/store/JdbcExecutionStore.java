package io.devswarm.store;

import io.devswarm.core.operation.Execution;
import io.devswarm.core.store.ExecutionStore;
import io.devswarm.core.store.Page;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import tools.jackson.core.type.TypeReference;

final class JdbcExecutionStore implements ExecutionStore {
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};
    private static final String COLUMNS = "id, instance_id, operation_id, command, env_names, exit_code, stdout, stderr, timed_out, truncated, "
            + "with_secrets, started_at, completed_at, duration_ms";

    private final Jdbc jdbc;
    private final Json json;

    JdbcExecutionStore(Jdbc jdbc, Json json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    @Override
    public void insert(Execution e) {
        jdbc.update("INSERT INTO executions (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", e.id(), e.instanceId(), e.operationId(),
                json.write(e.command()), json.write(e.envNames()), e.exitCode(), e.stdout(), e.stderr(), e.timedOut(), e.truncated(), e.withSecrets(),
                e.startedAt(), e.completedAt(), e.durationMs());
    }

    @Override
    public Optional<Execution> find(String id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM executions WHERE id = ?", this::map, id).stream().findFirst();
    }

    @Override
    public Page<Execution> listForInstance(String instanceId, int offset, int limit) {
        long total = jdbc.count("SELECT COUNT(*) FROM executions WHERE instance_id = ?", instanceId);
        var items = jdbc.query("SELECT " + COLUMNS + " FROM executions WHERE instance_id = ? ORDER BY started_at DESC, id LIMIT ? OFFSET ?", this::map,
                instanceId, limit, offset);
        return new Page<>(items, total, offset, limit);
    }

    private Execution map(ResultSet rs) throws SQLException {
        return new Execution(rs.getString("id"), rs.getString("instance_id"), rs.getString("operation_id"), json.read(rs.getString("command"), STRINGS),
                json.read(rs.getString("env_names"), STRINGS), rs.getInt("exit_code"), rs.getString("stdout"), rs.getString("stderr"), null,
                rs.getBoolean("timed_out"), rs.getBoolean("truncated"), rs.getBoolean("with_secrets"), Jdbc.instant(rs, "started_at"), Jdbc.instant(rs, "completed_at"),
                rs.getLong("duration_ms"));
    }
}
