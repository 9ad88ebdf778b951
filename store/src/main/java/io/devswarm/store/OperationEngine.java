package io.devswarm.store;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import io.devswarm.core.controller.OperationQueue;
import io.devswarm.core.controller.OperationRunner;
import io.devswarm.core.controller.Reconciler;
import io.devswarm.core.operation.Operation;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs operations with db-scheduler on the devswarm database: each operation is one task
 * execution keyed by the operation id, picked by priority, run on a virtual thread, revived
 * on another server (or after a restart) when the one running it stops heart-beating. The
 * reconciler runs as a recurring task, so among several servers only one runs a pass.
 */
public final class OperationEngine implements OperationQueue, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OperationEngine.class);
    static final String OPERATION_TASK = "devswarm-operation";
    static final String RECONCILE_TASK = "devswarm-reconcile";

    /** How the engine polls and detects dead servers. */
    public record Settings(String workerName, int maxConcurrent, Duration pollingInterval, Duration heartbeat, Duration reconcileInterval) {
        public static Settings defaults(String workerName) {
            return new Settings(workerName, 64, Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(15));
        }
    }

    private final Database database;
    private final Settings settings;
    private volatile OperationRunner runner;
    private volatile Reconciler reconciler;
    private final CustomTask<Void> operationTask;
    private final RecurringTask<Void> reconcileTask;
    private final Scheduler scheduler;

    public OperationEngine(Database database, Settings settings) {
        this.database = database;
        this.settings = settings;
        this.operationTask = Tasks.custom(OPERATION_TASK, Void.class)
                .onDeadExecutionRevive()
                .onFailureReschedule(FixedDelay.ofSeconds(5))
                .execute((instance, context) -> {
                    OperationRunner.Outcome outcome = runner.run(instance.getId());
                    if (outcome instanceof OperationRunner.Outcome.Retry retry) {
                        return (complete, ops) -> ops.reschedule(complete, Instant.now().plus(retry.delay()));
                    }
                    return new CompletionHandler.OnCompleteRemove<>();
                });
        this.reconcileTask = Tasks.recurring(RECONCILE_TASK, FixedDelay.of(settings.reconcileInterval()))
                .execute((instance, context) -> {
                    Reconciler r = reconciler;
                    if (r != null) r.reconcileOnce();
                });
        var builder = Scheduler.create(database.dataSource(), operationTask)
                .startTasks(reconcileTask)
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

    /** Starts picking operations; before this, submissions are stored and wait. */
    public void start(OperationRunner runner, Reconciler reconciler) {
        this.runner = runner;
        this.reconciler = reconciler;
        scheduler.start();
        log.info("operation engine started as '{}' on {}", settings.workerName(), database.settings().redactedUrl());
    }

    @Override
    public void submit(Operation operation) {
        scheduler.scheduleIfNotExists(operationTask.instanceBuilder(operation.id()).priority(operation.priority().weight()).scheduledTo(Instant.now()));
    }

    @Override
    public void close() {
        scheduler.stop();
    }
}
