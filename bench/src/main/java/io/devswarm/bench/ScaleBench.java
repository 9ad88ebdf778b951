package io.devswarm.bench;

import io.devswarm.core.access.Owners;
import io.devswarm.core.controller.ControlPlane;
import io.devswarm.core.controller.ControllerSettings;
import io.devswarm.core.controller.Ids;
import io.devswarm.core.controller.Reconciler;
import io.devswarm.core.model.CommandResult;
import io.devswarm.core.model.DesiredState;
import io.devswarm.core.model.Instance;
import io.devswarm.core.model.InstanceHandle;
import io.devswarm.core.model.InstanceSpec;
import io.devswarm.core.model.InstanceStatus;
import io.devswarm.core.model.NetworkInfo;
import io.devswarm.core.model.NetworkSpec;
import io.devswarm.core.model.ProviderHealth;
import io.devswarm.core.model.ResourceUsage;
import io.devswarm.core.model.Resources;
import io.devswarm.core.operation.Operation;
import io.devswarm.core.operation.OperationResult;
import io.devswarm.core.operation.OperationStatus;
import io.devswarm.core.operation.OperationType;
import io.devswarm.core.operation.Priority;
import io.devswarm.core.provider.ExecRequest;
import io.devswarm.core.provider.ObservedInstance;
import io.devswarm.core.provider.Provider;
import io.devswarm.core.provider.ProviderRegistry;
import io.devswarm.store.Database;
import io.devswarm.store.DatabaseScheduler;
import io.devswarm.store.DatabaseSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The control plane at 10,000 instance records: list and get p99 through the real server's
 * HTTP API, one full reconcile pass (the store side; the provider lists instantly), and the
 * server's resident memory. Targets: list p99 < 50 ms, reconcile < 1 s, RSS < 512 MB.
 */
@Command(name = "scale", description = "10,000 records: list/get p99, reconcile pass, server RSS (H2 and PostgreSQL)")
final class ScaleBench implements Callable<Integer> {
    @Option(names = "--records", defaultValue = "10000") int records;
    @Option(names = "--requests", defaultValue = "1000") int requests;
    @Option(names = "--db", defaultValue = "h2", description = "h2 or postgres") String db;
    @Option(names = "--pg-url", defaultValue = "jdbc:postgresql://127.0.0.1:5432/devswarm_bench") String pgUrl;
    @Option(names = "--pg-user", defaultValue = "devswarm") String pgUser;
    @Option(names = "--pg-password", defaultValue = "devswarm") String pgPassword;
    @Option(names = "--server-jar", defaultValue = "server/target/devswarm-server.jar") Path serverJar;

    @Override
    public Integer call() throws Exception {
        Path home = Files.createTempDirectory("devswarm-bench-scale");
        DatabaseSettings settings;
        List<String> serverArgs = new ArrayList<>();
        if (db.equals("postgres")) {
            try (Connection c = DriverManager.getConnection(pgUrl, pgUser, pgPassword); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA public CASCADE");
                s.execute("CREATE SCHEMA public");
            }
            settings = new DatabaseSettings(pgUrl, pgUser, pgPassword, 16);
            serverArgs.addAll(List.of("--devswarm.database.url=" + pgUrl, "--devswarm.database.user=" + pgUser, "--devswarm.database.password=" + pgPassword));
        } else {
            settings = DatabaseSettings.embedded(home);
        }
        List<Instance> all = new ArrayList<>();
        long seedNanos;
        long reconcileNanos;
        Reconciler.Report report;
        try (Database database = Database.open(settings)) {
            seedNanos = Stats.time(() -> seed(database, all));
            InstantProvider provider = new InstantProvider(all);
            ProviderRegistry registry = ProviderRegistry.of(Clock.systemUTC(), provider);
            // never started: the bench runs the one pass it times
            try (ControlPlane plane = ControlPlane.builder().store(database.store()).providers(registry)
                    .scheduler(DatabaseScheduler.on(database, DatabaseScheduler.Settings.defaults("bench")))
                    .settings(ControllerSettings.defaults("bench", "bench")).build()) {
                plane.reconcileOnce(); // warm up
                Reconciler.Report[] last = new Reconciler.Report[1];
                reconcileNanos = Stats.time(() -> last[0] = plane.reconcileOnce());
                report = last[0];
            }
        }
        System.out.printf("devswarm scale bench on %s: %d records seeded in %.1f s%n", db, records, seedNanos / 1e9);
        Stats list = new Stats(), get = new Stats();
        long rss;
        try (ServerProcess server = new ServerProcess(serverJar, home, serverArgs)) {
            for (int i = 0; i < 50; i++) {
                server.ok("GET", "/instances?limit=50&offset=" + (i * 50), null);
                server.ok("GET", "/instances/" + all.get(i).name(), null);
            }
            for (int i = 0; i < requests; i++) {
                int offset = ThreadLocalRandom.current().nextInt(records / 50) * 50;
                list.add(Stats.time(() -> server.ok("GET", "/instances?limit=50&offset=" + offset, null)));
                String name = all.get(ThreadLocalRandom.current().nextInt(all.size())).name();
                get.add(Stats.time(() -> server.ok("GET", "/instances/" + name, null)));
            }
            rss = server.rssKb();
        }
        System.out.printf("%-34s %10s %10s %10s   %s%n", "measure", "median", "p99", "", "target");
        System.out.printf("%-34s %8.2f ms %8.2f ms %10s   p99 < 50 ms%n", "list 50 of " + records + " (HTTP)", list.median(), list.p99(), "");
        System.out.printf("%-34s %8.2f ms %8.2f ms %10s   -%n", "get by name (HTTP)", get.median(), get.p99(), "");
        System.out.printf("%-34s %8.1f ms %21s   < 1000 ms (checked %d)%n", "one full reconcile pass", reconcileNanos / 1e6, "", report.checked());
        System.out.printf("%-34s %8.0f MB %21s   < 512 MB%n", "server RSS after the load", rss / 1024.0, "");
        return 0;
    }

    private void seed(Database database, List<Instance> out) {
        Instant now = Instant.now();
        var store = database.store();
        for (int i = 0; i < records; i++) {
            String name = String.format("scale-%05d", i);
            InstanceSpec spec = new InstanceSpec(name, "devswarm/dev", List.of(), Map.of("LANG", "C.UTF-8"), Resources.DEFAULT, NetworkSpec.DEFAULT, null,
                    Map.of("team", "t" + (i % 20)), null);
            Instance instance = new Instance(Ids.next("i"), name, "bench", InstanceStatus.RUNNING, null, DesiredState.RUNNING, now, now, now, spec,
                    new NetworkInfo("10.0.0.1", null, name, List.of(), List.of()), "user" + (i % 100),
                    Owners.named("user" + (i % 100)), null, null, 0);
            Operation create = new Operation(Ids.next("op"), OperationType.CREATE, OperationStatus.COMPLETED, Priority.DEFAULT, instance.id(), name, null, 1, 5,
                    null, OperationResult.Settled.of(InstanceStatus.RUNNING), now, now, now, "seed");
            store.instances().insert(instance, create, null);
            out.add(instance);
        }
    }

    /** Answers list() at once with every seeded instance running, so the pass measures the control plane. */
    private record InstantProvider(List<Instance> instances) implements Provider {
        public String name() { return "bench"; }
        public ProviderHealth health() { return ProviderHealth.healthy(0, 0); }
        public ObservedInstance create(InstanceHandle h, InstanceSpec s) { throw new IllegalStateException(); }
        public ObservedInstance start(InstanceHandle h) { throw new IllegalStateException(); }
        public void stop(InstanceHandle h, Duration g) { throw new IllegalStateException(); }
        public void delete(InstanceHandle h, boolean k) { throw new IllegalStateException(); }
        public Optional<ObservedInstance> get(InstanceHandle h) { return Optional.empty(); }
        public List<ObservedInstance> list(Map<String, String> labels) {
            return instances.stream().map(i -> new ObservedInstance(i.id(), i.name(), ObservedInstance.State.RUNNING, i.createdAt(), "running", Map.of(), null)).toList();
        }
        public ResourceUsage resourceUsage(InstanceHandle h) { throw new IllegalStateException(); }
        public CommandResult execute(InstanceHandle h, ExecRequest r) { throw new IllegalStateException(); }
    }
}
