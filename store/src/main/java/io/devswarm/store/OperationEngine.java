package io.devswarm.store;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import io.devswarm.core.controller.IdleReaper;
import io.devswarm.core.controller.OperationQueue;
import io.devswarm.core.controller.OperationRunner;
import io.devswarm.core.controller.Reconciler;
import io.devswarm.core.model.AlreadyExistsException;
import io.devswarm.core.model.Instance;
import io.devswarm.core.operation.Operation;
import java.time.Duration;
import java.time.Instant;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs operations with db-scheduler on the devswarm database. Each operation is one task
 * execution keyed by the operation id. The server that accepts an operation runs it at once
 * on a virtual thread and keeps its execution scheduled a lease ahead while it runs; when it
 * finishes, the execution is removed. If that server dies, the lease runs out and any server's
 * scheduler picks the execution (by priority) and runs the operation again, which the runner
 * resumes idempotently. Retries after transient errors are scheduled executions too. This
 * keeps the queue's latency off the request path without giving up durability.
 *
 * <p>A lifecycle request reserves a local slot first ({@link #reserve}): its operation is then stored
 * as started here, with its execution scheduled a lease ahead, in the transaction that stores it
 * ({@link OperationSchedule}), and runs with nothing more to write before the provider call.
 *
 * <p>The reconciler and the idle check run as recurring tasks, so among several servers only one
 * runs each pass.
 */
public final class OperationEngine implements OperationQueue, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OperationEngine.class);
    static final String OPERATION_TASK = OperationSchedule.TASK;
    static final String RECONCILE_TASK = "devswarm-reconcile";
    static final String IDLE_TASK = "devswarm-idle-check";

    /** How the engine polls and detects dead servers. */
    public record Settings(String workerName, int maxConcurrent, Duration pollingInterval, Duration heartbeat, Duration reconcileInterval,
                           Duration lease, Duration idleCheckInterval) {
        public static Settings defaults(String workerName) {
            return new Settings(workerName, 64, Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(15), Duration.ofSeconds(10),
                    Duration.ofSeconds(30));
        }
    }

    private final Database database;
    private final Jdbc jdbc;
    private final Settings settings;
    private volatile OperationRunner runner;
    private volatile Reconciler reconciler;
    private volatile IdleReaper reaper;
    private final CustomTask<Void> operationTask;
    private final RecurringTask<Void> reconcileTask;
    private final RecurringTask<Void> idleTask;
    private final Scheduler scheduler;
    private final ExecutorService local = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("devswarm-run-", 0).factory());
    private final ScheduledExecutorService leases = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("devswarm-lease").factory());
    private final Semaphore localSlots;

    public OperationEngine(Database database, Settings settings) {
        this.database = database;
        this.jdbc = new Jdbc(database.dataSource());
        this.settings = settings;
        this.localSlots = new Semaphore(settings.maxConcurrent());
        this.operationTask = Tasks.custom(OPERATION_TASK, Void.class)
                .onDeadExecutionRevive()
                .onFailureReschedule(FixedDelay.ofSeconds(5))
                .execute((instance, context) -> {
                    OperationRunner.Outcome outcome = runner.run(instance.getId());
                    if (outcome instanceof OperationRunner.Outcome.Retry retry) {
                        return (complete, ops) -> ops.reschedule(complete, Instant.now().plus(retry.delay()));
                    }
                    if (outcome instanceof OperationRunner.Outcome.Failed) requestReconcile();
                    return new CompletionHandler.OnCompleteRemove<>();
                });
        this.reconcileTask = Tasks.recurring(RECONCILE_TASK, FixedDelay.of(settings.reconcileInterval()))
                .execute((instance, context) -> {
                    Reconciler r = reconciler;
                    if (r != null) r.reconcileOnce();
                });
        this.idleTask = Tasks.recurring(IDLE_TASK, FixedDelay.of(settings.idleCheckInterval()))
                .execute((instance, context) -> {
                    IdleReaper r = reaper;
                    if (r != null) r.reapOnce();
                });
        var builder = Scheduler.create(database.dataSource(), operationTask)
                .startTasks(reconcileTask, idleTask)
                .schedulerName(new SchedulerName.Fixed(settings.workerName()))
                .threads(settings.maxConcurrent())
                .executorService(Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("devswarm-op-", 0).factory()))
                .pollingInterval(settings.pollingInterval())
                .heartbeatInterval(settings.heartbeat())
                .missedHeartbeatsLimit(4)
                .enableImmediateExecution()
                .enablePriority()
                .shutdownMaxWait(Duration.ofSeconds(5))
                .failureLogging(com.github.kagkarlsson.scheduler.logging.LogLevel.WARN, true);
        if (database.settings().isPostgres()) {
            // SELECT ... FOR UPDATE SKIP LOCKED: servers sharing the database never pick the same operation
            builder.pollUsingLockAndFetch(0.5, 1.0);
        }
        this.scheduler = builder.build();
    }

    /** Starts picking operations; before this, submissions are stored and wait. {@code reaper} may be null (no auto-stop). */
    public void start(OperationRunner runner, Reconciler reconciler, IdleReaper reaper) {
        this.runner = runner;
        this.reconciler = reconciler;
        this.reaper = reaper;
        scheduler.start();
        log.info("operation engine started as '{}' on {}", settings.workerName(), database.settings().redactedUrl());
    }

    @Override
    public LocalRun reserve() {
        if (runner == null || !localSlots.tryAcquire()) return null;
        Instant until = Instant.now().plus(settings.lease());
        return new LocalRun() {
            @Override
            public Instant runsHereUntil() {
                return until;
            }

            @Override
            public void run(Operation started, Instance claimed) {
                local.execute(() -> runHere(started, () -> runner.runStarted(started, claimed)));
            }

            @Override
            public void release() {
                localSlots.release();
            }
        };
    }

    @Override
    public void submit(Operation operation) {
        if (runner == null || !localSlots.tryAcquire()) {
            // due now, for whichever scheduler polls first ("already scheduled" means a resubmit: nothing to add)
            scheduler.scheduleIfNotExists(operationTask.instanceBuilder(operation.id()).priority(operation.priority().weight()).scheduledTo(Instant.now()));
            return;
        }
        try {
            if (!scheduleLease(operation)) {
                localSlots.release(); // already scheduled (a resubmit): it runs as that says
                return;
            }
        } catch (RuntimeException e) {
            localSlots.release();
            throw e;
        }
        local.execute(() -> runHere(operation, () -> runner.run(operation)));
    }

    /** Schedules the operation a lease ahead, for this server to run now; false if it already was. */
    private boolean scheduleLease(Operation operation) {
        try {
            jdbc.withConnection(c -> {
                OperationSchedule.lease(jdbc, c, operation, Instant.now().plus(settings.lease()));
                return null;
            });
            return true;
        } catch (AlreadyExistsException exists) {
            return false;
        }
    }

    /** Runs an operation here while renewing its lease, then removes its execution or reschedules a retry; the slot it holds is freed after. */
    private void runHere(Operation operation, Supplier<OperationRunner.Outcome> run) {
        TaskInstanceId id = TaskInstanceId.of(OPERATION_TASK, operation.id());
        long renewEvery = Math.max(1, settings.lease().toMillis() / 3);
        ScheduledFuture<?> renewal = leases.scheduleAtFixedRate(() -> reschedule(id, Instant.now().plus(settings.lease())), renewEvery, renewEvery,
                TimeUnit.MILLISECONDS);
        try {
            OperationRunner.Outcome outcome = run.get();
            renewal.cancel(false);
            if (outcome instanceof OperationRunner.Outcome.Retry retry) {
                reschedule(id, Instant.now().plus(retry.delay()));
            } else {
                OperationSchedule.remove(jdbc, operation.id());
                if (outcome instanceof OperationRunner.Outcome.Failed) requestReconcile();
            }
        } catch (RuntimeException e) {
            // the lease runs out and a scheduler runs it again
            log.warn("operation {} failed locally, leaving it to the scheduler: {}", operation.id(), e.toString());
        } finally {
            renewal.cancel(false);
            localSlots.release();
        }
    }

    /** On a virtual thread here when a slot is free; otherwise scheduled, and the runner still never starts it twice. */
    @Override
    public void submitAtMostOnce(Operation operation) {
        if (runner == null || !localSlots.tryAcquire()) {
            submit(operation);
            return;
        }
        local.execute(() -> {
            try {
                if (runner.run(operation) instanceof OperationRunner.Outcome.Failed) requestReconcile();
            } catch (RuntimeException e) {
                // nothing will run it again: the reconciler marks it interrupted once it is past its timeout
                log.warn("operation {} failed locally: {}", operation.id(), e.toString());
            } finally {
                localSlots.release();
            }
        });
    }

    /** Runs a reconcile pass soon (on whichever server picks it), besides the periodic ones. */
    @Override
    public void requestReconcile() {
        reschedule(TaskInstanceId.of(RECONCILE_TASK, RecurringTask.INSTANCE), Instant.now());
    }

    private void reschedule(TaskInstanceId id, Instant when) {
        try {
            scheduler.reschedule(id, when);
        } catch (RuntimeException e) {
            log.debug("could not reschedule {}: {}", id.getId(), e.toString());
        }
    }

    @Override
    public void close() {
        leases.shutdownNow();
        local.shutdownNow();
        scheduler.stop();
    }
}
