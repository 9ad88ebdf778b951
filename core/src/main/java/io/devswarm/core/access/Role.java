package io.devswarm.core.access;

import io.devswarm.core.model.InvalidSpecException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a user may do, after seed 002's access matrix (its agent names in brackets). The
 * rules themselves live in {@link AccessPolicy}.
 */
public enum Role {
    /** [devops] everything, including revealing secrets and managing users. */
    ADMIN,
    /** [dev-worker] their own instances and keys; connection info, no service secrets. */
    DEVELOPER,
    /** [dev-orchestrator] reads everything, creates and manages instances for others, manages public keys; no secrets. */
    ORCHESTRATOR,
    /** [security-auditor] the audit log, operations and command history; changes nothing, sees no secrets. */
    AUDITOR,
    /** [clientele] instance status only. */
    VIEWER;

    /** The lower-case name the API and tokens use. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role parse(String field, String value) {
        for (Role r : values()) if (r.id().equalsIgnoreCase(value == null ? "" : value.strip())) return r;
        throw new InvalidSpecException(field, "must be one of " + Arrays.stream(values()).map(Role::id).collect(Collectors.joining(", ")));
    }
}
