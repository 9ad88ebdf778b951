package io.devswarm.core.store;

import io.devswarm.core.operation.Execution;
import java.util.Optional;

public interface ExecutionStore {
    void insert(Execution execution);

    Optional<Execution> find(String id);

    /** Newest first. */
    Page<Execution> listForInstance(String instanceId, int offset, int limit);
}
