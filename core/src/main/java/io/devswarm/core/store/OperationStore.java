package io.devswarm.core.store;

import io.devswarm.core.operation.Operation;
import io.devswarm.core.operation.OperationStatus;
import java.util.Optional;

public interface OperationStore {
    void insert(Operation operation);

    Optional<Operation> find(String id);

    /**
     * Stores {@code operation} only if the stored one is still at {@code operation.attempts()} and
     * not ended: the attempt number fences off a server that lost its lease (see
     * {@link io.devswarm.core.operation.LeaseLostException}). False when nothing was written.
     */
    boolean update(Operation operation);

    /**
     * Stores {@code started} only if the stored operation still has {@code current}'s status and
     * attempt count: of two workers that read the same operation, exactly one starts it.
     */
    boolean start(Operation current, Operation started);

    /** Newest first; null filters mean any. */
    default Page<Operation> list(String instanceId, OperationStatus status, int offset, int limit) {
        return list(instanceId, null, status, offset, limit);
    }

    /** As {@link #list(String, OperationStatus, int, int)}, limited to instances owned by {@code ownerId} when it is not null. */
    Page<Operation> list(String instanceId, String ownerId, OperationStatus status, int offset, int limit);
}
