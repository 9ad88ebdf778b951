package io.devswarm.store;

import io.devswarm.core.audit.AuditEvent;
import io.devswarm.core.audit.AuditQuery;
import io.devswarm.core.store.AuditLog;
import io.devswarm.core.store.Page;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

final class JdbcAuditLog implements AuditLog {
    private static final String COLUMNS = "id, at, actor, action, target, result, source";

    private final Jdbc jdbc;

    JdbcAuditLog(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void append(AuditEvent e) {
        jdbc.update("INSERT INTO audit_log (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?)", e.id(), e.at(), e.actor(), e.action(), e.target(), e.result(), e.source());
    }

    @Override
    public Page<AuditEvent> list(AuditQuery q) {
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        List<Object> params = new ArrayList<>();
        if (q.actor() != null) {
            where.append(" AND actor = ?");
            params.add(q.actor());
        }
        if (q.actionPrefix() != null) {
            where.append(" AND action LIKE ?");
            params.add(q.actionPrefix().replace("%", "\\%").replace("_", "\\_") + "%");
        }
        if (q.target() != null) {
            where.append(" AND target = ?");
            params.add(q.target());
        }
        if (q.since() != null) {
            where.append(" AND at >= ?");
            params.add(q.since());
        }
        long total = jdbc.count("SELECT COUNT(*) FROM audit_log" + where, params.toArray());
        List<Object> paged = new ArrayList<>(params);
        paged.add(q.limit());
        paged.add(q.offset());
        List<AuditEvent> items = jdbc.query("SELECT " + COLUMNS + " FROM audit_log" + where + " ORDER BY at DESC, id DESC LIMIT ? OFFSET ?", this::map,
                paged.toArray());
        return new Page<>(items, total, q.offset(), q.limit());
    }

    private AuditEvent map(ResultSet rs) throws SQLException {
        return new AuditEvent(rs.getString("id"), Jdbc.instant(rs, "at"), rs.getString("actor"), rs.getString("action"), rs.getString("target"),
                rs.getString("result"), rs.getString("source"));
    }
}
