package io.devswarm.core.store;

import io.devswarm.core.operation.Operation;
import io.devswarm.core.operation.OperationStatus;
import java.util.Optional;

public interface OperationStore {
    void insert(Operation operation);

    Optional<Operation> find(String id);

    void update(Operation operation);

    /** Newest first; null filters mean any. */
    Page<Operation> list(String instanceId, OperationStatus status, int offset, int limit);
}
