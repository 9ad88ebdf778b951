package io.devswarm.server.audit;

import io.devswarm.core.access.AccessPolicy;
import io.devswarm.core.access.Caller;
import io.devswarm.core.access.Role;
import io.devswarm.core.audit.AuditEvent;
import io.devswarm.core.audit.AuditQuery;
import io.devswarm.core.model.InvalidSpecException;
import io.devswarm.core.store.Page;
import io.devswarm.core.store.Store;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The audit log, for admins and auditors. */
@RestController
@Tag(name = "audit")
class AuditController {
    private final Store store;

    AuditController(Store store) {
        this.store = store;
    }

    record AuditPage(List<AuditEvent> items, long total, int offset, int limit) {}

    @GetMapping("/api/v1/audit")
    @Operation(summary = "Audit log, newest first: every mutating call, sign-in and SSH login")
    AuditPage list(@AuthenticationPrincipal Caller caller, @RequestParam(required = false) String actor, @RequestParam(required = false) String action,
                   @RequestParam(required = false) String target, @RequestParam(required = false) String since,
                   @RequestParam(defaultValue = "0") int offset, @RequestParam(defaultValue = "100") int limit) {
        AccessPolicy.requireRole(caller, Role.ADMIN, Role.AUDITOR);
        if (offset < 0) throw new InvalidSpecException("offset", "must be >= 0");
        if (limit < 1 || limit > 1000) throw new InvalidSpecException("limit", "must be between 1 and 1000");
        Instant from = null;
        if (since != null) {
            try {
                from = Instant.parse(since);
            } catch (DateTimeParseException e) {
                throw new InvalidSpecException("since", "must be an ISO-8601 instant such as 2026-11-23T10:00:00Z");
            }
        }
        Page<AuditEvent> page = store.audit().list(new AuditQuery(actor, action, target, from, offset, limit));
        return new AuditPage(page.items(), page.total(), page.offset(), page.limit());
    }
}
