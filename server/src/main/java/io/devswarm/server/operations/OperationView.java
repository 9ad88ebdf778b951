package io.devswarm.server.operations;

import io.devswarm.core.operation.Operation;
import io.devswarm.core.operation.OperationPayload;
import io.devswarm.core.operation.OperationResult;
import java.time.Instant;
import java.util.Map;

/** An operation as the API shows it; exec payloads show the command, never env values. */
public record OperationView(
        String id,
        String type,
        String status,
        String priority,
        String instanceId,
        String instanceName,
        Map<String, Object> request,
        int attempts,
        int maxAttempts,
        String error,
        OperationResult result,
        Instant createdAt,
        Instant startedAt,
        Instant completedAt,
        String worker) {

    public static OperationView of(Operation o) {
        Map<String, Object> request = switch (o.payload()) {
            case OperationPayload.None n -> null;
            case OperationPayload.Delete d -> Map.of("keepVolumes", d.keepVolumes());
            case OperationPayload.Stop st -> Map.of("reason", st.reason());
            case OperationPayload.Start st -> Map.of("reason", st.reason());
            case OperationPayload.Recreate r -> Map.of("startEmpty", r.startEmpty());
            case OperationPayload.Exec e -> Map.of("command", e.request().command(), "envNames", e.request().env().keySet(), "timeoutSeconds",
                    e.request().timeout().toSeconds());
            case OperationPayload.Scale s -> Map.of("pool", s.pool(), "replicas", s.replicas(), "keepVolumes", s.keepVolumes());
        };
        return new OperationView(o.id(), o.type().name().toLowerCase(), o.status().name().toLowerCase(), o.priority().name().toLowerCase(), o.instanceId(),
                o.instanceName(), request, o.attempts(), o.maxAttempts(), o.error(), o.result(), o.createdAt(), o.startedAt(),
                o.completedAt(), o.worker());
    }
}
