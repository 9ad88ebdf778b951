package io.devswarm.core.audit;

import io.devswarm.core.model.Texts;
import java.time.Instant;

/**
 * One entry of the append-only audit log.
 *
 * @param actor  username, "instance-token:<id>", or "anonymous" for a refused sign-in
 * @param action what was asked: "POST /api/v1/instances/{id}/stop", "auth.login", "ssh.login"
 * @param target the instance, user or secret acted on, when there is one
 * @param result "success", "denied", "failed" or an HTTP status
 * @param source the client's address
 */
public record AuditEvent(String id, Instant at, String actor, String action, String target, String result, String source) {
    /** The most the log keeps of a text; source (an address) keeps {@link #MAX_SOURCE}. */
    public static final int MAX_TEXT = 255;
    public static final int MAX_SOURCE = 64;

    /**
     * What a caller wrote (a name in a path or body, a username at sign-in) is recorded as far as the
     * log keeps it, NUL shown as U+FFFD: a refused request is recorded like any other, never lost
     * because its input did not fit.
     */
    public AuditEvent {
        actor = Texts.fit(actor, MAX_TEXT);
        action = Texts.fit(action, MAX_TEXT);
        target = Texts.fit(target, MAX_TEXT);
        result = Texts.fit(result, MAX_TEXT);
        source = Texts.fit(source, MAX_SOURCE);
    }
}
