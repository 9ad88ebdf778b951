package io.devswarm.server.system;

import io.devswarm.core.activity.ActivityTracker;
import io.devswarm.core.controller.ControlPlane;
import io.devswarm.core.controller.ControllerSettings;
import io.devswarm.core.controller.OperationWaiter;
import io.devswarm.core.controller.Schedules;
import io.devswarm.core.controller.SwarmController;
import io.devswarm.core.provider.ProviderContext;
import io.devswarm.core.provider.ProviderRegistry;
import io.devswarm.core.secrets.Keyring;
import io.devswarm.core.secrets.SecretService;
import io.devswarm.core.store.Store;
import io.devswarm.store.Database;
import io.devswarm.store.DatabaseScheduler;
import io.devswarm.store.DatabaseSettings;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the framework-free core: store, providers, secrets and the control plane built on them. */
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

    /**
     * The engine room, on the devswarm database's schedule. Started once the application is up: until
     * then requests are stored and wait.
     */
    @Bean(destroyMethod = "close")
    ControlPlane controlPlane(Store store, ProviderRegistry providers, Database database, ControllerSettings settings, SecretService secrets,
                              DevswarmProperties props, Clock clock) {
        DevswarmProperties.Idle idle = props.idle();
        return ControlPlane.builder()
                .store(store)
                .providers(providers)
                .scheduler(DatabaseScheduler.on(database, DatabaseScheduler.Settings.defaults(settings.workerId())))
                .settings(settings)
                .schedules(Schedules.defaults().withReconcileEvery(props.reconcileInterval())
                        .withIdleCheckEvery(idle.enabled() ? idle.checkInterval() : Duration.ZERO)
                        .withCpuBusyPercent(idle.cpuBusyPercent())
                        .withActivityFlush(idle.flushInterval()))
                .secrets(secrets)
                .clock(clock)
                .build();
    }

    @Bean
    SwarmController swarmController(ControlPlane plane) {
        return plane.controller();
    }

    @Bean
    OperationWaiter operationWaiter(ControlPlane plane) {
        return plane.waiter();
    }

    @Bean
    ActivityTracker activityTracker(ControlPlane plane) {
        return plane.activity();
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
    ApplicationRunner startControlPlane(ControlPlane plane) {
        return args -> plane.start();
    }
}
