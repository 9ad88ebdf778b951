package io.devswarm.core.operation;

import java.time.Instant;
import java.util.List;

/**
 * One command run inside an instance, kept as history (seed 004 executions). Only the names of
 * environment variables are kept, never their values.
 *
 * @param withSecrets whether secret values were in the command's environment: then its output may
 *                    carry them, encoded past any redaction, and only those who may read the
 *                    instance's secrets see it
 * @param outputWithheld why {@code stdout} and {@code stderr} are not shown to this reader; null when they are
 */
public record Execution(
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

    public Execution {
        command = List.copyOf(command);
        envNames = envNames == null ? List.of() : List.copyOf(envNames);
    }

    /** This execution without its output, saying why. */
    public Execution withheld(String why) {
        return new Execution(id, instanceId, operationId, command, envNames, exitCode, null, null, why, timedOut, truncated, withSecrets, startedAt,
                completedAt, durationMs);
    }
}
