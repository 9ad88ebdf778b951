package io.devswarm.server.instances;

import io.devswarm.core.access.AccessPolicy;
import io.devswarm.core.access.Caller;
import io.devswarm.core.model.Instance;
import io.devswarm.core.operation.Execution;
import java.time.Instant;
import java.util.List;

/**
 * A command in an instance's history as one caller may read it. Output of a command that ran with
 * secrets goes only to those who may read the instance's secrets: redaction finds exact values,
 * not {@code base64} or {@code rev} of them. Everyone else gets {@code outputWithheld} instead.
 */
record ExecutionView(
        String id,
        String instanceId,
        String operationId,
        List<String> command,
        List<String> envNames,
        int exitCode,
        String stdout,
        String stderr,
        String outputWithheld,
        boolean timedOut,
        boolean truncated,
        boolean withSecrets,
        Instant startedAt,
        Instant completedAt,
        long durationMs) {

    static final String WITHHELD = "the command ran with secrets in its environment: its output is shown only to the instance's owner and admins";

    static ExecutionView of(Execution e, Instance instance, Caller caller) {
        boolean shown = !e.withSecrets() || AccessPolicy.readsSecretsOf(caller, instance);
        return new ExecutionView(e.id(), e.instanceId(), e.operationId(), e.command(), e.envNames(), e.exitCode(), shown ? e.stdout() : null,
                shown ? e.stderr() : null, shown ? null : WITHHELD, e.timedOut(), e.truncated(), e.withSecrets(), e.startedAt(), e.completedAt(),
                e.durationMs());
    }
}
