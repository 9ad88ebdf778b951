package io.devswarm.core.controller;

import io.devswarm.core.activity.ActivityTracker;
import io.devswarm.core.operation.Operation;
import io.devswarm.core.operation.OperationStatus;
import io.devswarm.core.provider.ProviderRegistry;
import io.devswarm.core.secrets.SecretEnv;
import io.devswarm.core.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine room, assembled in one place: the {@link SwarmController} that takes requests, the
 * runner that carries out their operations (here at once, or from the {@link Scheduler}), the
 * reconciler and the idle check that the schedule runs as recurring passes, and the activity
 * tracker. Everything that uses the control plane (the server, the SSH gateway, tests, benches)
 * builds it with {@link #builder()}; nothing is wired afterwards. Until {@link #start()}, requests
 * are stored and wait; {@link #close()} stops what it started, and leaves the store and the
 * providers to their owners.
 *
 * <pre>
 *   request -> SwarmController -> LocalRuns --(a place here)--> OperationRunner -> Provider
 *                                      \--(none, or a crash)--> Scheduler --due--/
 * </pre>
 */
public final class ControlPlane implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ControlPlane.class);
    /** The recurring passes, by their names in the schedule (kept across versions: a schedule outlives a server). */
    static final String RECONCILE = "devswarm-reconcile";
    static final String IDLE_CHECK = "devswarm-idle-check";

    private final Store store;
    private final Schedules schedules;
    private final OperationWaiter waiter;
    private final ActivityTracker activity;
    private final Scheduler scheduler;
    private final LocalRuns runs;
    private final SwarmController controller;
    private final OperationRunner runner;
    private final Reconciler reconciler;
    private final IdleReaper reaper;
    private final ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("devswarm-activity-flush").factory());

    private ControlPlane(Builder b) {
        this.store = Objects.requireNonNull(b.store, "store");
        ProviderRegistry providers = Objects.requireNonNull(b.providers, "providers");
        ControllerSettings settings = Objects.requireNonNull(b.settings, "settings");
        this.schedules = b.schedules;
        Clock clock = b.clock;
        this.waiter = new OperationWaiter(store.operations());
        this.activity = new ActivityTracker(clock);
        // the schedule hands due work over only after start(), when every part below is in place
        this.scheduler = Objects.requireNonNull(b.scheduler, "scheduler").create(new Scheduler.Work(this::runNow, List.of(
                new Scheduler.Recurring(RECONCILE, schedules.reconcileEvery(), this::reconcilePass),
                new Scheduler.Recurring(IDLE_CHECK, schedules.idleCheckEvery(), this::idleCheck))));
        this.runs = new LocalRuns(scheduler, this::run, waiter, schedules, clock);
        this.controller = new SwarmController(store, providers, runs, settings, clock);
        Pools pools = new Pools(store, controller);
        this.runner = new OperationRunner(store, providers, pools, waiter, activity, settings, b.secrets, clock);
        this.reconciler = new Reconciler(store, providers, runs, pools, controller, settings, clock);
        this.reaper = new IdleReaper(store, providers, controller, activity, schedules.cpuBusyPercent(), clock);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The front door: every request that changes an instance. */
    public SwarmController controller() {
        return controller;
    }

    /** The one way to wait for an operation to end. */
    public OperationWaiter waiter() {
        return waiter;
    }

    /** What this server saw of each instance's use (sessions, traffic), for the idle check. */
    public ActivityTracker activity() {
        return activity;
    }

    /** Starts running operations, here and from the schedule, the recurring passes, and the activity flush. */
    public void start() {
        runs.start();
        scheduler.start();
        Duration every = schedules.activityFlush();
        if (every.isPositive()) {
            flusher.scheduleWithFixedDelay(this::flushActivity, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** One reconcile pass now, on this thread (besides the scheduled ones). */
    public Reconciler.Report reconcileOnce() {
        return reconciler.reconcileOnce();
    }

    /** One idle check now, on this thread (besides the scheduled ones). */
    public IdleReaper.Report checkIdleOnce() {
        return reaper.reapOnce();
    }

    /**
     * Runs a stored operation on this thread as the schedule does with one that is due (read, then
     * started unless it ended or another server took it). The schedule's way in; also for tests and
     * tools that drive the engine by hand on a control plane that was not started.
     */
    public Outcome runNow(String operationId) {
        return runs.runDue(operationId);
    }

    /**
     * As {@link #runNow(String)} for a record handed over as stored: a pending one is started from the
     * record given, without reading it first, as a hand-over to a place here does.
     */
    public Outcome runNow(Operation handedOver) {
        return handedOver.status() == OperationStatus.PENDING ? runs.runHandedOver(handedOver) : runNow(handedOver.id());
    }

    private Outcome run(OperationRunner.Job job) {
        return runner.run(job);
    }

    private void reconcilePass() {
        reconciler.reconcileOnce();
    }

    private void idleCheck() {
        reaper.reapOnce();
    }

    private void flushActivity() {
        try {
            activity.flush(store.instances());
        } catch (RuntimeException e) {
            log.warn("activity flush failed: {}", e.toString());
        }
    }

    @Override
    public void close() {
        flusher.shutdownNow();
        runs.close();
        scheduler.close();
    }

    /** Assembles a control plane; store, providers, scheduler and settings are required. */
    public static final class Builder {
        private Store store;
        private ProviderRegistry providers;
        private Scheduler.Factory scheduler;
        private ControllerSettings settings;
        private Schedules schedules = Schedules.defaults();
        private SecretEnv secrets = SecretEnv.NONE;
        private Clock clock = Clock.systemUTC();

        private Builder() {}

        public Builder store(Store store) {
            this.store = store;
            return this;
        }

        public Builder providers(ProviderRegistry providers) {
            this.providers = providers;
            return this;
        }

        public Builder scheduler(Scheduler.Factory scheduler) {
            this.scheduler = scheduler;
            return this;
        }

        public Builder settings(ControllerSettings settings) {
            this.settings = settings;
            return this;
        }

        public Builder schedules(Schedules schedules) {
            this.schedules = Objects.requireNonNull(schedules, "schedules");
            return this;
        }

        /** Where instances' secret environment comes from; none by default. */
        public Builder secrets(SecretEnv secrets) {
            this.secrets = Objects.requireNonNull(secrets, "secrets");
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public ControlPlane build() {
            return new ControlPlane(this);
        }
    }
}
