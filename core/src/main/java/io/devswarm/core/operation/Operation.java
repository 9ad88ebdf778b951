package io.devswarm.core.operation;

import io.devswarm.core.model.Texts;
import java.time.Instant;

/**
 * A persisted request to change the swarm (seed 004 task). It is created pending, picked by a
 * worker (processing), retried on transient failures while {@code attempts < maxAttempts}, and
 * ends completed (with a result) or failed (with an error a user can act on).
 *
 * @param instanceId  the instance acted on; null for pool-level operations
 * @param result      what the operation produced (execution id and exit code, names created...); null until it completes
 * @param worker      the scheduler instance that ran the last attempt
 */
public record Operation(
        String id,
        OperationType type,
        OperationStatus status,
        Priority priority,
        String instanceId,
        String instanceName,
        OperationPayload payload,
        int attempts,
        int maxAttempts,
        String error,
        OperationResult result,
        Instant createdAt,
        Instant startedAt,
        Instant completedAt,
        String worker) {

    /** The most of an error kept (its column's size): a provider's long message must not fail the write of the end. */
    public static final int MAX_ERROR = 4096;

    public Operation {
        error = Texts.fit(error, MAX_ERROR);
        payload = payload == null ? OperationPayload.NONE : payload;
        priority = priority == null ? Priority.DEFAULT : priority;
    }

    public Operation started(Instant at, String byWorker) {
        return new Operation(id, type, OperationStatus.PROCESSING, priority, instanceId, instanceName, payload, attempts + 1, maxAttempts, error,
                result, createdAt, startedAt == null ? at : startedAt, null, byWorker);
    }

    public Operation retrying(String why) {
        return new Operation(id, type, OperationStatus.PENDING, priority, instanceId, instanceName, payload, attempts, maxAttempts, why, result,
                createdAt, startedAt, null, worker);
    }

    public Operation completed(Instant at, OperationResult output) {
        return new Operation(id, type, OperationStatus.COMPLETED, priority, instanceId, instanceName, payload, attempts, maxAttempts, null, output,
                createdAt, startedAt, at, worker);
    }

    public Operation failed(Instant at, String why) {
        return new Operation(id, type, OperationStatus.FAILED, priority, instanceId, instanceName, payload, attempts, maxAttempts, why, result,
                createdAt, startedAt, at, worker);
    }
}
