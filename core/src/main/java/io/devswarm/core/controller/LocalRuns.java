package io.devswarm.core.controller;

import io.devswarm.core.operation.Operation;
import io.devswarm.core.operation.OperationStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way an operation goes from its request to its run. The server that accepts an operation
 * runs it at once on a virtual thread when it has a free place, and keeps it scheduled a lease ahead
 * while it runs ({@link Scheduler#lease}); when the run ends, the schedule is released, or moved to
 * a retry. If this server dies, the lease runs out and any server's scheduler runs the operation again,
 * which the runner resumes idempotently. Without a free place, the operation is due at once on the
 * schedule, for whichever server picks it. This keeps the schedule's latency off the request path
 * without giving up durability.
 *
 * <p>A lifecycle request reserves its place before it is stored ({@link #enqueue}): the operation is
 * then stored as started here, with its lease, in the transaction that stores it, and runs with
 * nothing more to write before the provider call. A command (at most once) has no schedule at all:
 * it is never run again after a crash, and the reconciler marks it interrupted instead.
 */
final class LocalRuns implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LocalRuns.class);

    private final Scheduler scheduler;
    private final Function<OperationRunner.Job, Outcome> run;
    private final OperationWaiter waiter;
    private final Schedules schedules;
    private final Clock clock;
    private final Semaphore places;
    private final ExecutorService threads = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("devswarm-run-", 0).factory());
    private final ScheduledExecutorService leases = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("devswarm-lease").factory());
    /** Before the control plane starts, operations are stored and wait for the schedule: nothing runs here. */
    private volatile boolean started;

    LocalRuns(Scheduler scheduler, Function<OperationRunner.Job, Outcome> run, OperationWaiter waiter, Schedules schedules, Clock clock) {
        this.scheduler = scheduler;
        this.run = run;
        this.waiter = waiter;
        this.schedules = schedules;
        this.clock = clock;
        this.places = new Semaphore(schedules.localRuns());
    }

    void start() {
        started = true;
    }

    /**
     * Stores an operation with {@code storing} and hands it off. {@code storing} gets until when the
     * operation is this server's to run, or null when it has no place here; it stores the operation as
     * started here with that lease (see {@link io.devswarm.core.store.InstanceStore#claim}), or pending.
     * A store that fails gives the place back. Once stored, nothing here throws: the reconciler picks
     * up an operation that was stored but not handed on.
     */
    Accepted enqueue(Function<Instant, Accepted> storing) {
        boolean place = reserve();
        Accepted accepted;
        try {
            accepted = storing.apply(place ? clock.instant().plus(schedules.lease()) : null);
        } catch (RuntimeException e) {
            if (place) places.release();
            throw e;
        }
        Operation op = accepted.operation();
        if (op.status() == OperationStatus.PENDING) {
            handOver(op, place);
        } else {
            runHere(op, new OperationRunner.Job.StartedHere(op, accepted.instance()));
        }
        return accepted;
    }

    /** Hands over an operation stored pending (again, when the reconciler finds it never ran). */
    void submit(Operation stored) {
        handOver(stored, reserve());
    }

    /** What the schedule does with a due operation: runs it on the schedule's thread. */
    Outcome runDue(String operationId) {
        return ran(run.apply(new OperationRunner.Job.Due(operationId)));
    }

    /** Runs an operation stored pending on the calling thread, from the record given. */
    Outcome runHandedOver(Operation pending) {
        return ran(run.apply(new OperationRunner.Job.Submitted(pending)));
    }

    private Outcome ran(Outcome outcome) {
        if (outcome instanceof Outcome.Failed) reconcileSoon();
        return outcome;
    }

    /** A reconcile pass soon, besides the periodic ones: an operation failed and the substrate may have drifted. */
    void reconcileSoon() {
        try {
            scheduler.runSoon(ControlPlane.RECONCILE);
        } catch (RuntimeException e) {
            log.debug("could not ask for a reconcile pass: {}", e.toString());
        }
    }

    private boolean reserve() {
        return started && places.tryAcquire();
    }

    private void handOver(Operation op, boolean place) {
        try {
            if (!place) {
                scheduler.submit(op);
                return;
            }
            if (!op.type().atMostOnce() && !scheduler.lease(op, clock.instant().plus(schedules.lease()))) {
                places.release(); // scheduled already (a resubmission): it runs as that says
                return;
            }
        } catch (RuntimeException e) {
            if (place) places.release();
            log.warn("operation {} stored but not handed to the schedule yet: {}", op.id(), e.toString());
            return;
        }
        runHere(op, new OperationRunner.Job.Submitted(op));
    }

    /** Runs an operation on a virtual thread here, in the place reserved for it. */
    private void runHere(Operation op, OperationRunner.Job job) {
        waiter.expect(op.id());
        try {
            threads.execute(() -> run(op, job));
        } catch (RejectedExecutionException e) {
            places.release();
            waiter.forget(op.id());
            // stored with its lease: once that runs out, any server's scheduler runs it
            log.warn("operation {} stored but not started here: {}", op.id(), e.toString());
        }
    }

    /** Runs while renewing the lease, then releases the schedule or moves it to a retry; the place is freed after. */
    private void run(Operation op, OperationRunner.Job job) {
        boolean scheduled = !op.type().atMostOnce();
        long renewEvery = Math.max(1, schedules.lease().toMillis() / 3);
        ScheduledFuture<?> renewal = scheduled
                ? leases.scheduleAtFixedRate(() -> reschedule(op.id(), clock.instant().plus(schedules.lease())), renewEvery, renewEvery, TimeUnit.MILLISECONDS)
                : null;
        try {
            Outcome outcome = run.apply(job);
            if (renewal != null) renewal.cancel(false);
            if (outcome instanceof Outcome.Retry retry) {
                reschedule(op.id(), clock.instant().plus(retry.delay()));
            } else {
                if (scheduled) scheduler.release(op.id());
                if (outcome instanceof Outcome.Failed) reconcileSoon();
            }
        } catch (RuntimeException e) {
            // scheduled: the lease runs out and a scheduler runs it again; a command: the reconciler marks it interrupted
            log.warn("operation {} failed locally{}: {}", op.id(), scheduled ? ", leaving it to the scheduler" : "", e.toString());
        } finally {
            if (renewal != null) renewal.cancel(false);
            places.release();
            waiter.forget(op.id());
        }
    }

    private void reschedule(String operationId, Instant at) {
        try {
            scheduler.reschedule(operationId, at);
        } catch (RuntimeException e) {
            log.debug("could not reschedule {}: {}", operationId, e.toString());
        }
    }

    @Override
    public void close() {
        started = false;
        leases.shutdownNow();
        threads.shutdownNow();
    }
}
