package io.devswarm.core.controller;

import io.devswarm.core.model.Instance;
import io.devswarm.core.operation.Operation;

/**
 * Where persisted operations go to be executed. The implementation must survive a restart:
 * an operation submitted (or running) when the process died runs again on some server, and
 * it retries after the delay an {@link OperationRunner.Outcome.Retry} asks for.
 */
public interface OperationQueue {
    /** Schedules the stored operation to run now, ordered by its priority. Idempotent per operation id. */
    void submit(Operation operation);

    /**
     * As {@link #submit(Operation)} for an operation that has just claimed {@code claimed} (the
     * record as the claim stored it): a queue that runs the operation on this server may hand it to
     * the runner, which then need not read it back. The default ignores it.
     */
    default void submit(Operation operation, Instance claimed) {
        submit(operation);
    }

    /**
     * Runs a stored operation that may run at most once (a command) now, on this server if it can,
     * without a durable schedule: durability buys such an operation nothing, as it is never run again
     * after a crash (the reconciler marks it interrupted instead), and it keeps the schedule's
     * database round trips off an interactive call. The default schedules it like any other.
     */
    default void submitAtMostOnce(Operation operation) {
        submit(operation);
    }

    /** Runs a reconcile pass soon, besides the periodic ones. The default leaves it to those. */
    default void requestReconcile() {}
}
