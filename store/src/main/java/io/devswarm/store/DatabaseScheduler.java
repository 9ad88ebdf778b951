package io.devswarm.store;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.logging.LogLevel;
import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.DisabledSchedule;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import com.github.kagkarlsson.scheduler.task.schedule.Schedule;
import io.devswarm.core.controller.Outcome;
import io.devswarm.core.model.AlreadyExistsException;
import io.devswarm.core.operation.Operation;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane's schedule, kept by db-scheduler in the devswarm database. Each operation is
 * one task execution keyed by the operation id: due now for any server ({@link #submit}), or a lease
 * ahead for the server running it ({@link #lease}, or in the transaction that stores the operation:
 * {@link OperationSchedule}). When a server dies, its leases run out and any server's scheduler picks
 * the executions (by priority) and hands them to the control plane, which resumes them idempotently.
 * The recurring passes are recurring tasks, so among several servers only one runs each pass.
 */
public final class DatabaseScheduler implements io.devswarm.core.controller.Scheduler {
    private static final Logger log = LoggerFactory.getLogger(DatabaseScheduler.class);
    static final String OPERATION_TASK = OperationSchedule.TASK;

    /** How the schedule is polled and dead servers are found. */
    public record Settings(String workerName, int threads, Duration pollingInterval, Duration heartbeat) {
        public static Settings defaults(String workerName) {
            return new Settings(workerName, 64, Duration.ofMillis(500), Duration.ofSeconds(1));
        }

        public Settings withPollingInterval(Duration interval) {
            return new Settings(workerName, threads, interval, heartbeat);
        }

        public Settings withThreads(int count) {
            return new Settings(workerName, count, pollingInterval, heartbeat);
        }
    }

    private final Database database;
    private final Jdbc jdbc;
    private final Settings settings;
    private final CustomTask<Void> operationTask;
    private final Scheduler scheduler;

    private DatabaseScheduler(Database database, Settings settings, Work work) {
        this.database = database;
        this.jdbc = new Jdbc(database.dataSource());
        this.settings = settings;
        this.operationTask = Tasks.custom(OPERATION_TASK, Void.class)
                .onDeadExecutionRevive()
                .onFailureReschedule(FixedDelay.ofSeconds(5))
                .execute((instance, context) -> {
                    if (work.dueOperation().apply(instance.getId()) instanceof Outcome.Retry retry) {
                        return (complete, ops) -> ops.reschedule(complete, Instant.now().plus(retry.delay()));
                    }
                    return new CompletionHandler.OnCompleteRemove<>();
                });
        List<RecurringTask<Void>> recurring = work.recurring().stream()
                .map(r -> Tasks.recurring(r.name(), schedule(r.every())).execute((instance, context) -> r.pass().run()))
                .toList();
        var builder = Scheduler.create(database.dataSource(), operationTask)
                .startTasks(recurring)
                .schedulerName(new SchedulerName.Fixed(settings.workerName()))
                .threads(settings.threads())
                .executorService(Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("devswarm-op-", 0).factory()))
                .pollingInterval(settings.pollingInterval())
                .heartbeatInterval(settings.heartbeat())
                .missedHeartbeatsLimit(4)
                .enableImmediateExecution()
                .enablePriority()
                .shutdownMaxWait(Duration.ofSeconds(5))
                .failureLogging(LogLevel.WARN, true);
        if (database.settings().isPostgres()) {
            // SELECT ... FOR UPDATE SKIP LOCKED: servers sharing the database never pick the same operation
            builder.pollUsingLockAndFetch(0.5, 1.0);
        }
        this.scheduler = builder.build();
    }

    /** The factory a {@link io.devswarm.core.controller.ControlPlane} is built with. */
    public static Factory on(Database database, Settings settings) {
        return work -> new DatabaseScheduler(database, settings, work);
    }

    /** A pass that never runs by itself still has its task, so a schedule row left by an earlier server is known, and removed. */
    private static Schedule schedule(Duration every) {
        return every.isPositive() ? new Every(every) : new DisabledSchedule();
    }

    /**
     * A fixed delay between the end of one pass and the next, the first one delay after the schedule is
     * made: a new schedule belongs to a new database, which has nothing to repair yet (a schedule that
     * outlives a server keeps its next time).
     */
    private record Every(Duration delay) implements Schedule {
        @Override
        public Instant getNextExecutionTime(ExecutionComplete done) {
            return done.getTimeDone().plus(delay);
        }

        @Override
        public Instant getInitialExecutionTime(Instant now) {
            return now.plus(delay);
        }

        @Override
        public boolean isDeterministic() {
            return false;
        }
    }

    @Override
    public void submit(Operation operation) {
        // "already scheduled" means a resubmission: nothing to add
        scheduler.scheduleIfNotExists(operationTask.instanceBuilder(operation.id()).priority(operation.priority().weight()).scheduledTo(Instant.now()));
    }

    @Override
    public boolean lease(Operation operation, Instant until) {
        try {
            jdbc.withConnection(c -> {
                OperationSchedule.lease(jdbc, c, operation, until);
                return null;
            });
            return true;
        } catch (AlreadyExistsException exists) {
            return false;
        }
    }

    @Override
    public void reschedule(String operationId, Instant at) {
        scheduler.reschedule(TaskInstanceId.of(OPERATION_TASK, operationId), at);
    }

    @Override
    public void release(String operationId) {
        OperationSchedule.remove(jdbc, operationId);
    }

    @Override
    public void runSoon(String recurring) {
        scheduler.reschedule(TaskInstanceId.of(recurring, RecurringTask.INSTANCE), Instant.now());
    }

    @Override
    public void start() {
        scheduler.start();
        log.info("schedule started as '{}' on {}", settings.workerName(), database.settings().redactedUrl());
    }

    @Override
    public void close() {
        scheduler.stop();
    }
}
