package io.devswarm.core.store;

import io.devswarm.core.audit.AuditEvent;
import io.devswarm.core.audit.AuditQuery;

/** The audit log: append and read, nothing else; there is no update or delete. */
public interface AuditLog {
    void append(AuditEvent event);

    Page<AuditEvent> list(AuditQuery query);
}
