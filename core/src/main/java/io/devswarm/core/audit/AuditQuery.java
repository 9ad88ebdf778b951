package io.devswarm.core.audit;

import java.time.Instant;

/** Filters for reading the audit log, newest first; null means any. */
public record AuditQuery(String actor, String actionPrefix, String target, Instant since, int offset, int limit) {
    public AuditQuery {
        if (offset < 0) throw new IllegalArgumentException("offset < 0");
        if (limit < 1 || limit > 1000) throw new IllegalArgumentException("limit must be 1..1000");
    }
}
