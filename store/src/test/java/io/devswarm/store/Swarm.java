package io.devswarm.store;

import io.devswarm.core.controller.ControllerSettings;
import io.devswarm.core.controller.OperationRunner;
import io.devswarm.core.controller.OperationWaiter;
import io.devswarm.core.controller.Reconciler;
import io.devswarm.core.controller.SwarmController;
import io.devswarm.core.provider.ProviderRegistry;
import io.devswarm.core.store.Store;
import io.devswarm.core.testing.InMemoryProvider;
import java.time.Clock;
import java.time.Duration;

/** A complete control plane on one database with an in-memory provider, as the server wires it. */
final class Swarm implements AutoCloseable {
    final Database database;
    final Store store;
    final InMemoryProvider provider;
    final ProviderRegistry registry;
    final OperationEngine engine;
    final SwarmController controller;
    final OperationRunner runner;
    final OperationWaiter waiter;
    final Reconciler reconciler;

    Swarm(DatabaseSettings db, String worker, ControllerSettings settings) {
        Clock clock = Clock.systemUTC();
        this.database = Database.open(db);
        this.store = database.store();
        this.provider = new InMemoryProvider("memory", database.installationId(), clock);
        this.registry = ProviderRegistry.of(clock, provider);
        this.engine = new OperationEngine(database, new OperationEngine.Settings(worker, 16, Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofHours(1), Duration.ofSeconds(3), Duration.ofHours(1)));
        this.controller = new SwarmController(store, registry, engine, settings, clock);
        this.waiter = new OperationWaiter(store.operations());
        this.runner = new OperationRunner(store, registry, controller, waiter, new io.devswarm.core.activity.ActivityTracker(clock), settings, io.devswarm.core.secrets.SecretEnv.NONE, clock);
        this.reconciler = new Reconciler(store, registry, engine, runner, controller, settings, clock);
    }

    static ControllerSettings fastSettings(String worker) {
        return ControllerSettings.defaults("memory", worker).withRetry(4, Duration.ofMillis(50), Duration.ofMillis(200)).withOrphanGrace(Duration.ZERO);
    }

    Swarm start() {
        engine.start(runner, reconciler, null);
        return this;
    }

    /** Runs operations but no reconcile pass of its own: a test calls {@link Reconciler#reconcileOnce} when it wants one. */
    Swarm startWithoutReconcilePasses() {
        engine.start(runner, null, null);
        return this;
    }

    @Override
    public void close() {
        engine.close();
        registry.close();
        database.close();
    }
}
