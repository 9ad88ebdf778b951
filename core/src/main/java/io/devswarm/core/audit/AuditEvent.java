package io.devswarm.core.audit;

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
public record AuditEvent(String id, Instant at, String actor, String action, String target, String result, String source) {}
