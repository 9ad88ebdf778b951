package io.devswarm.store;

import io.devswarm.core.controller.ControlPlane;
import io.devswarm.core.controller.ControllerSettings;
import io.devswarm.core.controller.OperationWaiter;
import io.devswarm.core.controller.Schedules;
import io.devswarm.core.controller.SwarmController;
import io.devswarm.core.provider.ProviderRegistry;
import io.devswarm.core.store.Store;
import io.devswarm.core.testing.InMemoryProvider;
import java.time.Clock;
import java.time.Duration;

/** A complete control plane on one database with an in-memory provider, built as the server builds it. */
final class Swarm implements AutoCloseable {
    final Database database;
    final Store store;
    final InMemoryProvider provider;
    final ProviderRegistry registry;
    final ControlPlane plane;
    final SwarmController controller;
    final OperationWaiter waiter;

    Swarm(DatabaseSettings db, String worker, ControllerSettings settings) {
        this(db, worker, settings, Duration.ofHours(1));
    }

    private Swarm(DatabaseSettings db, String worker, ControllerSettings settings, Duration reconcileEvery) {
        Clock clock = Clock.systemUTC();
        this.database = Database.open(db);
        this.store = database.store();
        this.provider = new InMemoryProvider("memory", database.installationId(), clock);
        this.registry = ProviderRegistry.of(clock, provider);
        this.plane = plane(worker, settings, reconcileEvery);
        this.controller = plane.controller();
        this.waiter = plane.waiter();
    }

    private ControlPlane plane(String worker, ControllerSettings settings, Duration reconcileEvery) {
        return ControlPlane.builder()
                .store(store)
                .providers(registry)
                .scheduler(DatabaseScheduler.on(database, DatabaseScheduler.Settings.defaults(worker).withThreads(16).withPollingInterval(Duration.ofMillis(100))))
                .settings(settings)
                .schedules(Schedules.defaults().withLocalRuns(16).withLease(Duration.ofSeconds(3)).withReconcileEvery(reconcileEvery)
                        .withIdleCheckEvery(Duration.ZERO).withActivityFlush(Duration.ZERO))
                .build();
    }

    /** Another control plane on the same database and provider with other settings, not started: for a pass the test runs. */
    ControlPlane another(ControllerSettings settings) {
        return plane(settings.workerId(), settings, Duration.ofHours(1));
    }

    static ControllerSettings fastSettings(String worker) {
        return ControllerSettings.defaults("memory", worker).withRetry(4, Duration.ofMillis(50), Duration.ofMillis(200)).withOrphanGrace(Duration.ZERO);
    }

    Swarm start() {
        plane.start();
        return this;
    }

    /** Runs operations but no reconcile pass of its own: a test calls {@link ControlPlane#reconcileOnce} when it wants one. */
    static Swarm withoutReconcilePasses(DatabaseSettings db, String worker, ControllerSettings settings) {
        return new Swarm(db, worker, settings, Duration.ZERO);
    }

    @Override
    public void close() {
        plane.close();
        registry.close();
        database.close();
    }
}
