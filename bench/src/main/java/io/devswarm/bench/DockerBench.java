package io.devswarm.bench;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import io.devswarm.provider.docker.internal.EngineClient;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Lifecycle latency through devswarm's REST API (wait=true) beside the same Docker calls made
 * directly with docker-java in the same run: volume + container create + start, exec, stop,
 * start, remove. The raw side does the engine work devswarm asks for, except the read-only bind
 * mount of the instance's stdin FIFO directory: that is devswarm's design, so its cost counts as
 * devswarm's. The ratio is devswarm's own overhead (HTTP, database, operation queue, that mount).
 */
@Command(name = "docker", description = "create/start/stop/exec/delete: devswarm API vs raw Docker API")
final class DockerBench implements Callable<Integer> {
    @Option(names = "--iterations", defaultValue = "300", description = "measured rounds; on a small machine a median of 30 moves by several percent, and with 150 a ratio was still known only to +-4 %%: a 5 %% target needs the interval narrower than the overhead's margin") int iterations;
    @Option(names = "--warmup", defaultValue = "20", description = "unmeasured lifecycle rounds first: a server in use is warm") int warmup;
    @Option(names = "--execs-per-round", defaultValue = "5", description = "exec is short and noisy: measure it this many times per round") int execsPerRound;
    @Option(names = "--warmup-execs", defaultValue = "1000", description = "unmeasured exec calls first, each side: the JIT compiles the request path") int warmupExecs;
    @Option(names = "--max-warmup-execs", defaultValue = "12000", description = "at most this many more server execs while its JIT is still busy") int maxWarmupExecs;
    @Option(names = "--jit-settled-percent", defaultValue = "2", description = "warm-up ends once the server's JIT compilers use less than this share of the time") double jitSettledPercent;
    @Option(names = "--min-warmup-lifecycles", defaultValue = "300", description = "at least this many more unmeasured lifecycle rounds, each side") int minWarmupLifecycles;
    @Option(names = "--max-warmup-lifecycles", defaultValue = "600", description = "at most this many more unmeasured lifecycle rounds while the server's JIT still compiles their code") int maxWarmupLifecycles;
    @Option(names = "--image", defaultValue = "devswarm/base:latest") String image;
    @Option(names = "--server-jar", defaultValue = "server/target/devswarm-server.jar") Path serverJar;
    @Option(names = "--docker-host", defaultValue = "unix:///var/run/docker.sock") String dockerHost;

    private static final double TARGET = 1.05;

    private final Map<String, Stats[]> results = new LinkedHashMap<>();

    private void record(String op, boolean raw, long nanos) {
        results.computeIfAbsent(op, k -> new Stats[] {new Stats(), new Stats()})[raw ? 1 : 0].add(nanos);
    }

    @Override
    public Integer call() throws Exception {
        String version = new EngineClient(URI.create(dockerHost), null).negotiate("1.44");
        var config = DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(dockerHost).withApiVersion(version).build();
        DockerClient docker = DockerClientImpl.getInstance(config,
                new ZerodepDockerHttpClient.Builder().dockerHost(config.getDockerHost()).maxConnections(16).responseTimeout(Duration.ofMinutes(2)).build());
        Path home = Files.createTempDirectory("devswarm-bench-docker");
        try (ServerProcess server = new ServerProcess(serverJar, home, List.of())) {
            System.out.printf("devswarm docker bench: %d iterations, image %s, engine API %s%n", iterations, image, version);
            warmUp(server, docker);
            for (int i = 0; i < iterations; i++) {
                if (i % 2 == 0) {
                    devswarm(server, "b" + i, true);
                    raw(docker, "b" + i, true);
                } else {
                    raw(docker, "b" + i, true);
                    devswarm(server, "b" + i, true);
                }
            }
        }
        print();
        return 0;
    }

    /**
     * Both sides run unmeasured first: whole lifecycles, then many execs (cheap, and they pass
     * through the same HTTP, security, database and operation code as every other call), so what is
     * measured is a warm server beside a warm docker-java, not the JIT at work.
     */
    private void warmUp(ServerProcess server, DockerClient docker) throws Exception {
        for (int warm = 0; warm < warmup; warm++) {
            devswarm(server, "warm-" + warm, false);
            raw(docker, "warm-" + warm, false);
        }
        if (warmupExecs <= 0) return;
        System.out.printf("warming up: %d execs each side ...%n", warmupExecs);
        String name = "bench-ds-warm-exec";
        server.ok("POST", "/instances?wait=true", "{\"name\":\"" + name + "\",\"image\":\"" + image + "\"}");
        String container = "bench-raw-warm-exec";
        docker.createContainerCmd(image).withName(container).withLabels(Map.of("devswarm.bench", "true")).exec();
        docker.startContainerCmd(container).exec();
        try {
            for (int i = 0; i < warmupExecs; i++) {
                devswarmExec(server, name);
                rawExec(docker, container);
            }
            untilJitSettles(server, name);
        } finally {
            server.ok("DELETE", "/instances/" + name + "?wait=true", null);
            docker.removeContainerCmd(container).withForce(true).exec();
        }
        untilLifecycleJitSettles(server, docker);
    }

    /**
     * Execs warm the path every call shares; create, stop, start and delete each have code of their
     * own (claims, the queue, deletes in the database, the engine calls) that runs a few times per
     * lifecycle, so it reaches the JIT's thresholds only after hundreds of lifecycles: after 60 a
     * delete cost the server ~35 ms of CPU, after 300 ~13 ms, and a quiet JIT proves nothing about
     * code still in the interpreter. Unmeasured rounds on both sides, five at a time, go on for at
     * least {@code minWarmupLifecycles} and until the server's JIT uses less than
     * {@code jitSettledPercent} of two batches in a row.
     */
    private void untilLifecycleJitSettles(ServerProcess server, DockerClient docker) throws Exception {
        int batch = 5, quiet = 0;
        for (int done = 0; done < maxWarmupLifecycles; ) {
            long jit0 = server.jitCpuNanos(), t0 = System.nanoTime();
            for (int i = 0; i < batch; i++, done++) {
                devswarm(server, "warm-life-" + done, false);
                raw(docker, "warm-life-" + done, false);
            }
            double share = 100.0 * (server.jitCpuNanos() - jit0) / (System.nanoTime() - t0);
            System.out.printf("warming up: %d more lifecycle rounds, the server's JIT compilers used %.1f%% of the last %d%n", done, share, batch);
            quiet = share < jitSettledPercent ? quiet + 1 : 0;
            if (quiet >= 2 && done >= minWarmupLifecycles) return;
        }
    }

    /**
     * A Spring server's JIT keeps compiling for thousands of requests; on two cores its compiler
     * threads take CPU from the engine and inflate every figure. A server in use has long finished,
     * so more execs (four at a time) run until the compilers use less than {@code jitSettledPercent}
     * of a batch's time.
     */
    private void untilJitSettles(ServerProcess server, String instance) throws Exception {
        int batch = 400, parallel = 4, done = 0;
        while (done < maxWarmupExecs) {
            long jit0 = server.jitCpuNanos(), t0 = System.nanoTime();
            try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> runs = new ArrayList<>();
                for (int p = 0; p < parallel; p++) {
                    runs.add(pool.submit(() -> {
                        for (int i = 0; i < batch / parallel; i++) devswarmExec(server, instance);
                        return null;
                    }));
                }
                for (var run : runs) run.get();
            }
            done += batch;
            double share = 100.0 * (server.jitCpuNanos() - jit0) / (System.nanoTime() - t0);
            System.out.printf("warming up: %d more server execs, its JIT compilers used %.1f%% of the last %d%n", done, share, batch);
            if (share < jitSettledPercent) return;
        }
    }

    private static void devswarmExec(ServerProcess s, String instance) throws Exception {
        s.ok("POST", "/instances/" + instance + "/exec?wait=true", "{\"command\":[\"true\"]}");
    }

    private static void rawExec(DockerClient d, String container) throws InterruptedException {
        String id = d.execCreateCmd(container).withCmd("true").withAttachStdout(true).withAttachStderr(true).exec().getId();
        d.execStartCmd(id).exec(new ResultCallback.Adapter<Frame>()).awaitCompletion();
        d.inspectExecCmd(id).exec().getExitCodeLong();
    }

    private void devswarm(ServerProcess s, String suffix, boolean measure) throws Exception {
        String name = "bench-ds-" + suffix;
        String body = "{\"name\":\"" + name + "\",\"image\":\"" + image + "\"}";
        long create = Stats.time(() -> s.ok("POST", "/instances?wait=true", body));
        long[] execs = new long[execsPerRound];
        for (int i = 0; i < execsPerRound; i++) execs[i] = Stats.time(() -> devswarmExec(s, name));
        long stop = Stats.time(() -> s.ok("POST", "/instances/" + name + "/stop?wait=true", null));
        long start = Stats.time(() -> s.ok("POST", "/instances/" + name + "/start?wait=true", null));
        long delete = Stats.time(() -> s.ok("DELETE", "/instances/" + name + "?wait=true", null));
        if (measure) {
            record("create -> running", false, create);
            for (long exec : execs) record("exec true", false, exec);
            record("stop", false, stop);
            record("start", false, start);
            record("delete", false, delete);
        }
    }

    private void raw(DockerClient d, String suffix, boolean measure) throws Exception {
        String name = "bench-raw-" + suffix;
        String volume = "devswarm-" + name + "-workspace";
        Map<String, String> labels = Map.of("devswarm.bench", "true");
        long create = Stats.time(() -> {
            d.createVolumeCmd().withName(volume).withLabels(labels).exec();
            HostConfig host = HostConfig.newHostConfig().withMounts(List.of(new Mount().withType(MountType.VOLUME).withSource(volume).withTarget("/workspace")))
                    .withNetworkMode("devswarm").withInit(true).withCpuShares(1024).withNanoCPUs(0L).withMemory(2048L << 20).withMemorySwap(2048L << 20);
            d.createContainerCmd(image).withName(name).withHostName(name).withLabels(labels).withHostConfig(host).exec();
            d.startContainerCmd(name).exec();
            d.inspectContainerCmd(name).exec();
        });
        long[] execs = new long[execsPerRound];
        for (int i = 0; i < execsPerRound; i++) execs[i] = Stats.time(() -> rawExec(d, name));
        long stop = Stats.time(() -> d.stopContainerCmd(name).withTimeout(10).exec());
        long start = Stats.time(() -> {
            d.startContainerCmd(name).exec();
            d.inspectContainerCmd(name).exec();
        });
        long delete = Stats.time(() -> {
            d.removeContainerCmd(name).withForce(true).exec();
            d.removeVolumeCmd(volume).exec();
        });
        if (measure) {
            record("create -> running", true, create);
            for (long exec : execs) record("exec true", true, exec);
            record("stop", true, stop);
            record("start", true, start);
            record("delete", true, delete);
        }
    }

    private void print() {
        System.out.printf("%n%-18s | %-26s | %-26s | %-14s | %-13s | %s%n", "operation", "devswarm min/median/p95 ms", "raw Docker min/median/p95 ms", "ratio (median)",
                "95 % interval", "devswarm's own ms (median difference)");
        System.out.println("-".repeat(148));
        List<String> missed = new ArrayList<>();
        results.forEach((op, s) -> {
            Stats.Interval sure = Stats.ratioInterval(s[0], s[1], 10_000, 1);
            double ratio = s[0].median() / s[1].median();
            if (ratio > TARGET) missed.add(op);
            // four decimals: a ratio printed as 1.050 may be either side of the target
            System.out.printf("%-18s | %7.1f %7.1f %7.1f    | %7.1f %7.1f %7.1f      | %.4f         | %.3f-%.3f   | %+.1f%n", op, s[0].min(), s[0].median(),
                    s[0].p95(), s[1].min(), s[1].median(), s[1].p95(), ratio, sure.low(), sure.high(), s[0].median() - s[1].median());
        });
        System.out.printf("(%d iterations each, exec %d; target: every ratio <= %.2f; the interval: 95 %% of bootstrap resamples of both sides)%n", results.values().iterator().next()[0].count(),
                results.get("exec true")[0].count(), TARGET);
        System.out.println(missed.isEmpty() ? "target met in every row" : "target missed: " + String.join(", ", missed));
    }
}
