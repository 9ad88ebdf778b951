package io.devswarm.server.system;

import io.devswarm.core.activity.ActivityTracker;
import io.devswarm.core.controller.ControllerSettings;
import io.devswarm.core.controller.IdleReaper;
import io.devswarm.core.controller.OperationRunner;
import io.devswarm.core.controller.OperationWaiter;
import io.devswarm.core.controller.Reconciler;
import io.devswarm.core.controller.SwarmController;
import io.devswarm.core.provider.ProviderContext;
import io.devswarm.core.provider.ProviderRegistry;
import io.devswarm.core.secrets.Keyring;
import io.devswarm.core.secrets.SecretService;
import io.devswarm.core.store.Store;
import io.devswarm.store.Database;
import io.devswarm.store.DatabaseSettings;
import io.devswarm.store.OperationEngine;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the framework-free core: store, providers, operation engine, controller, reconciler. */
@Configuration(proxyBeanMethods = false)
class CoreConfiguration {
    private static final Logger log = LoggerFactory.getLogger(CoreConfiguration.class);

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean(destroyMethod = "close")
    Database database(DevswarmProperties props) throws IOException {
        Files.createDirectories(props.home());
        DevswarmProperties.Database db = props.database();
        DatabaseSettings settings = db.url() == null || db.url().isBlank() ? DatabaseSettings.embedded(props.home())
                : new DatabaseSettings(db.url(), db.user(), db.password(), db.maxPoolSize());
        Database database = Database.open(settings);
        log.info("store: {}", settings.redactedUrl());
        return database;
    }

    @Bean
    Store store(Database database) {
        return database.store();
    }

    @Bean(destroyMethod = "close")
    ProviderRegistry providerRegistry(DevswarmProperties props, Database database, Clock clock) {
        String installation = database.installationId();
        ProviderRegistry registry = ProviderRegistry.load(getClass().getClassLoader(),
                name -> new ProviderContext(installation, clock, props.providers().getOrDefault(name, Map.of()), props.home().resolve("providers").resolve(name)),
                props.disabledProviders(), clock);
        registry.descriptors().forEach(d -> log.info("provider {}: {}", d.name(), d.available() ? "ready" : "not available: " + d.reason()));
        return registry;
    }

    @Bean
    ControllerSettings controllerSettings(DevswarmProperties props) {
        String worker = props.worker();
        if (worker == null || worker.isBlank()) {
            String host;
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                host = "devswarm";
            }
            worker = host + "-" + ManagementFactory.getRuntimeMXBean().getPid();
        }
        return ControllerSettings.defaults(props.defaultProvider(), worker).withOrphanGrace(props.orphanGrace()).withStuckTimeout(props.stuckTimeout());
    }

    @Bean(destroyMethod = "close")
    OperationEngine operationEngine(Database database, ControllerSettings settings, DevswarmProperties props) {
        OperationEngine.Settings s = OperationEngine.Settings.defaults(settings.workerId());
        return new OperationEngine(database, new OperationEngine.Settings(s.workerName(), s.maxConcurrent(), s.pollingInterval(), s.heartbeat(),
                props.reconcileInterval(), s.lease(), props.idle().checkInterval()));
    }

    @Bean
    OperationWaiter operationWaiter(Store store) {
        return new OperationWaiter(store.operations());
    }

    @Bean
    SwarmController swarmController(Store store, ProviderRegistry providers, OperationEngine engine, ControllerSettings settings, Clock clock) {
        return new SwarmController(store, providers, engine, settings, clock);
    }

    @Bean
    OperationRunner operationRunner(Store store, ProviderRegistry providers, SwarmController controller, OperationWaiter waiter, ActivityTracker activity,
                                    ControllerSettings settings, SecretService secrets, Clock clock) {
        return new OperationRunner(store, providers, controller, waiter, activity, settings, secrets, clock);
    }

    /**
     * The master key comes from configuration when set (then every server must be given the same
     * one), else from a keyring file in home made on first start. Secrets sealed with an older key
     * are re-encrypted with the current one here.
     */
    @Bean
    SecretService secretService(Store store, DevswarmProperties props, Clock clock) {
        DevswarmProperties.Secrets conf = props.secrets();
        SecretService secrets;
        if (conf.key() != null && !conf.key().isBlank()) {
            List<Keyring.Key> keys = new ArrayList<>();
            if (conf.oldKeys() != null) {
                for (String old : conf.oldKeys().split(",")) if (!old.isBlank()) keys.add(Keyring.fromBase64(old));
            }
            keys.add(Keyring.fromBase64(conf.key()));
            secrets = new SecretService(store.secrets(), Keyring.of(keys), null, clock);
        } else {
            Path file = props.home().resolve("secrets.keyring");
            secrets = new SecretService(store.secrets(), Keyring.loadOrCreate(file), file, clock);
        }
        secrets.reseal();
        return secrets;
    }

    @Bean
    Reconciler reconciler(Store store, ProviderRegistry providers, OperationEngine engine, OperationRunner runner, SwarmController controller,
                          ControllerSettings settings, Clock clock) {
        return new Reconciler(store, providers, engine, runner, controller, settings, clock);
    }

    @Bean
    ActivityTracker activityTracker(Clock clock) {
        return new ActivityTracker(clock);
    }

    @Bean
    IdleReaper idleReaper(Store store, ProviderRegistry providers, SwarmController controller, ActivityTracker activity, DevswarmProperties props, Clock clock) {
        return new IdleReaper(store, providers, controller, activity, props.idle().cpuBusyPercent(), clock);
    }

    /** Every server writes what it saw (sessions, traffic) to the store, where the one running the idle check reads it. */
    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService activityFlusher(ActivityTracker activity, Store store, DevswarmProperties props) {
        ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("devswarm-activity-flush").factory());
        long every = props.idle().flushInterval().toMillis();
        flusher.scheduleWithFixedDelay(() -> {
            try {
                activity.flush(store.instances());
            } catch (RuntimeException e) {
                log.warn("activity flush failed: {}", e.toString());
            }
        }, every, every, TimeUnit.MILLISECONDS);
        return flusher;
    }

    @Bean
    ApplicationRunner startOperationEngine(OperationEngine engine, OperationRunner runner, Reconciler reconciler, IdleReaper reaper, DevswarmProperties props) {
        return args -> engine.start(runner, reconciler, props.idle().enabled() ? reaper : null);
    }
}
