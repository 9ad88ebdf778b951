package io.devswarm.core.controller;

import io.devswarm.core.operation.Operation;

/**
 * Where persisted operations go to be executed. The implementation must survive a restart:
 * an operation submitted (or running) when the process died runs again on some server, and
 * it retries after the delay an {@link OperationRunner.Outcome.Retry} asks for.
 */
public interface OperationQueue {
    /** Schedules the stored operation to run now, ordered by its priority. Idempotent per operation id. */
    void submit(Operation operation);
}
