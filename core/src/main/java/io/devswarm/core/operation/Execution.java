package io.devswarm.core.operation;

import java.time.Instant;
import java.util.List;

/**
 * One command run inside an instance, kept as history (seed 004 executions). Only the names of
 * environment variables are kept, never their values.
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
        boolean timedOut,
        boolean truncated,
        Instant startedAt,
        Instant completedAt,
        long durationMs) {

    public Execution {
        command = List.copyOf(command);
        envNames = envNames == null ? List.of() : List.copyOf(envNames);
    }
}
