package io.devswarm.core.controller;

import io.devswarm.core.model.Instance;
import io.devswarm.core.operation.Operation;
import java.time.Instant;

/**
 * Where persisted operations go to be executed. The implementation must survive a restart:
 * an operation submitted (or running) when the process died runs again on some server, and
 * it retries after the delay an {@link OperationRunner.Outcome.Retry} asks for.
 */
public interface OperationQueue {
    /** Schedules the stored operation to run now, ordered by its priority. Idempotent per operation id. */
    void submit(Operation operation);

    /**
     * A place to run one operation on this server at once, reserved before the operation is stored,
     * or null when none is free (then store it pending and {@link #submit} it). The default has none.
     */
    default LocalRun reserve() {
        return null;
    }

    /**
     * A reserved place to run one operation here at once. The caller stores the operation as
     * started by this server, with {@link #runsHereUntil()} as its lease (see
     * {@link io.devswarm.core.store.InstanceStore#claim}), and then calls {@link #run} once; or,
     * if it stored nothing, {@link #release} once. Nothing is left between the store's transaction
     * and the provider call: no start to store, no schedule to write, no instance to read back.
     */
    interface LocalRun {
        /** Until when the operation is this server's to run; any server's after that (this one died). */
        Instant runsHereUntil();

        /** Runs {@code started}, stored as started here with its lease, from {@code claimed} (its instance as stored with it). */
        void run(Operation started, Instance claimed);

        /** Frees the place: nothing was stored. */
        void release();
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
