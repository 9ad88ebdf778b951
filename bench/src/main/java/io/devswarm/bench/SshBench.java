package io.devswarm.bench;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The SSH gateway beside the raw path, both driven by the same OpenSSH client in the same run:
 * {@code ssh … true} to a running instance vs to an sshd inside a container; {@code ssh} to a
 * stopped instance (wake on connect) vs raw {@code docker start} + ssh handshake + exec; and
 * 1 GiB through the gateway vs through the container's sshd vs raw {@code docker exec -i … cat}.
 */
@Command(name = "ssh", description = "ssh round trip, wake on connect and 1 GiB throughput: gateway vs in-container sshd vs docker exec")
final class SshBench implements Callable<Integer> {
    @Option(names = "--iterations", defaultValue = "20") int iterations;
    @Option(names = "--wake-iterations", defaultValue = "10") int wakeIterations;
    @Option(names = "--gib-runs", defaultValue = "3") int gibRuns;
    @Option(names = "--server-jar", defaultValue = "server/target/devswarm-server.jar") Path serverJar;
    @Option(names = "--image", defaultValue = "devswarm/dev:latest") String image;
    @Option(names = "--server-arg", description = "passed to the server, e.g. --devswarm.providers.docker.stdin-pipes=off") List<String> serverArgs = new ArrayList<>();

    private Path key;
    private int gatewayPort;
    private int sshdPort;

    @Override
    public Integer call() throws Exception {
        Path home = Files.createTempDirectory("devswarm-bench-ssh");
        key = home.resolve("id");
        sh("ssh-keygen -q -t ed25519 -N '' -f " + key);
        gatewayPort = freePort();
        sshdPort = freePort();
        String instance = "bench-ssh-" + ProcessHandle.current().pid();
        String container = "bench-sshd-" + ProcessHandle.current().pid();
        List<String> args = new ArrayList<>(List.of("--devswarm.ssh.port=" + gatewayPort, "--devswarm.ssh.address=127.0.0.1"));
        args.addAll(serverArgs);
        try (ServerProcess server = new ServerProcess(serverJar, home, args)) {
            String pub = Files.readString(home.resolve("id.pub")).trim();
            server.ok("POST", "/users/bench/keys", ServerProcess.JSON.writeValueAsString(Map.of("publicKey", pub)));
            server.ok("POST", "/instances?wait=true", "{\"name\":\"" + instance + "\",\"image\":\"" + image + "\",\"owner\":\"bench\",\"idleTimeoutMinutes\":0}");
            sh("docker run -d --name " + container + " --user root -p 127.0.0.1:" + sshdPort + ":2222 " + image + " sh -c '"
                    + "ssh-keygen -A >/dev/null && mkdir -p /workspace/developer/.ssh && echo \"" + pub + "\" > /workspace/developer/.ssh/authorized_keys"
                    + " && chown -R developer:developer /workspace/developer/.ssh && chmod 700 /workspace/developer/.ssh && exec /usr/sbin/sshd -D -e -p 2222' >/dev/null");
            waitForSsh(sshdPort, "developer");
            try {
                System.out.printf("devswarm ssh bench: image %s, %d iterations (wake %d, 1 GiB x %d)%n", image, iterations, wakeIterations, gibRuns);
                for (int i = 0; i < 3; i++) { // warm up both paths
                    ssh(gatewayPort, instance, "true");
                    ssh(sshdPort, "developer", "true");
                }
                Stats gwTrue = new Stats(), rawTrue = new Stats();
                for (int i = 0; i < iterations; i++) {
                    gwTrue.add(Stats.time(() -> ssh(gatewayPort, instance, "true")));
                    rawTrue.add(Stats.time(() -> ssh(sshdPort, "developer", "true")));
                }
                Stats gwWake = new Stats(), rawWake = new Stats();
                for (int i = 0; i < wakeIterations; i++) {
                    server.ok("POST", "/instances/" + instance + "/stop?wait=true", null);
                    gwWake.add(Stats.time(() -> ssh(gatewayPort, instance, "echo first")));
                    sh("docker stop -t 10 " + container + " >/dev/null");
                    rawWake.add(Stats.time(() -> {
                        sh("docker start " + container + " >/dev/null");
                        waitForSsh(sshdPort, "developer");
                    }));
                }
                List<Double> gwGib = new ArrayList<>(), sshdGib = new ArrayList<>(), execGib = new ArrayList<>();
                for (int i = 0; i < gibRuns; i++) {
                    gwGib.add(mibPerSecond(() -> sh("head -c 1073741824 /dev/zero | ssh " + opts(gatewayPort) + " " + instance + "@127.0.0.1 'cat > /dev/null'")));
                    sshdGib.add(mibPerSecond(() -> sh("head -c 1073741824 /dev/zero | ssh " + opts(sshdPort) + " developer@127.0.0.1 'cat > /dev/null'")));
                    execGib.add(mibPerSecond(() -> sh("head -c 1073741824 /dev/zero | docker exec -i " + container + " sh -c 'cat > /dev/null'")));
                }
                System.out.printf("%n%-40s | %-24s | %-24s | %s%n", "measure", "gateway min/median/p95", "raw min/median/p95", "ratio (median)");
                System.out.println("-".repeat(110));
                row("ssh true, running instance (ms)", gwTrue, rawTrue, "raw = sshd in a container");
                row("ssh to a stopped instance -> output (ms)", gwWake, rawWake, "raw = docker start + handshake + exec; target <= 1.1");
                double gw = median(gwGib), sshd = median(sshdGib), exec = median(execGib);
                System.out.printf("%-40s | %21.0f    | %21.0f    | %.3f  (vs docker exec -i cat %.0f MiB/s: %.3f); target >= 1.0%n",
                        "1 GiB upload throughput (MiB/s, median)", gw, sshd, gw / sshd, exec, gw / exec);
            } finally {
                sh("docker rm -f " + container + " >/dev/null 2>&1 || true");
                server.send("DELETE", "/instances/" + instance + "?wait=true", null);
            }
        }
        return 0;
    }

    private static void row(String what, Stats gw, Stats raw, String note) {
        System.out.printf("%-40s | %6.1f %7.1f %7.1f    | %6.1f %7.1f %7.1f    | %.3f  (%s)%n", what, gw.min(), gw.median(), gw.p95(), raw.min(), raw.median(),
                raw.p95(), gw.median() / raw.median(), note);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        return sorted.get(sorted.size() / 2);
    }

    private static double mibPerSecond(Stats.Work w) throws Exception {
        return 1024.0 / (Stats.time(w) / 1e9);
    }

    private String opts(int port) {
        return "-p " + port + " -i " + key + " -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR";
    }

    private void ssh(int port, String user, String command) throws Exception {
        sh("ssh " + opts(port) + " " + user + "@127.0.0.1 '" + command + "' >/dev/null");
    }

    private void waitForSsh(int port, String user) throws Exception {
        for (int i = 0; i < 400; i++) {
            Process p = new ProcessBuilder("bash", "-c", "ssh " + opts(port) + " -o ConnectTimeout=2 " + user + "@127.0.0.1 true").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0) return;
            Thread.sleep(5);
        }
        throw new IllegalStateException("ssh on port " + port + " never answered");
    }

    private static void sh(String command) throws Exception {
        Process p = new ProcessBuilder("bash", "-o", "pipefail", "-c", command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) throw new IllegalStateException("failed (" + p.exitValue() + "): " + command + "\n" + out);
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
