package io.devswarm.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.devswarm.core.access.Owners;
import io.devswarm.core.access.PublicKeys;
import io.devswarm.core.access.SshKey;
import io.devswarm.core.audit.AuditEvent;
import io.devswarm.core.audit.AuditQuery;
import io.devswarm.core.secrets.Keyring;
import io.devswarm.core.secrets.SecretScope;
import io.devswarm.core.secrets.SecretService;
import io.devswarm.core.controller.ControllerSettings;
import io.devswarm.core.controller.OperationWaiter;
import io.devswarm.core.controller.SwarmController;
import io.devswarm.core.model.InstanceSpec;
import io.devswarm.core.model.InstanceStatus;
import io.devswarm.core.operation.OperationStatus;
import io.devswarm.core.operation.OperationType;
import io.devswarm.core.operation.Priority;
import io.devswarm.core.provider.ProviderContext;
import io.devswarm.core.provider.ProviderRegistry;
import io.devswarm.core.testing.HostCommand;
import io.devswarm.provider.docker.DockerProvider;
import io.devswarm.provider.docker.DockerSettings;
import io.devswarm.core.activity.ActivityTracker;
import io.devswarm.core.activity.AwakeReason;
import io.devswarm.core.controller.IdleReaper;
import io.devswarm.core.controller.ControlPlane;
import io.devswarm.core.controller.Schedules;
import io.devswarm.store.Database;
import io.devswarm.store.DatabaseSettings;
import io.devswarm.store.DatabaseScheduler;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The gateway with the real OpenSSH client (ssh, scp, sftp) against real Docker instances of
 * devswarm/dev. Needs Docker and the dev image (deploy/images/build.sh dev).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(180)
class GatewayTest {
    private Path tmp;
    private Database database;
    private ProviderRegistry registry;
    private ControlPlane plane;
    private SwarmController controller;
    private OperationWaiter waiter;
    private SshGateway gateway;
    private ActivityTracker activity;
    private SecretService secrets;
    private Path aliceKey, bobKey, strangerKey;
    private String instance;

    record Run(int exit, String out, String err) {}

    @BeforeAll
    void start() throws Exception {
        String why = null;
        try {
            if (!HostCommand.docker("image", "inspect", "-f", "ok", "devswarm/dev:latest").equals("ok")) why = "devswarm/dev image missing (deploy/images/build.sh dev)";
            if (HostCommand.run("ssh", "-V").isEmpty()) why = "no OpenSSH client";
        } catch (Exception e) {
            why = "docker/ssh not usable: " + e.getMessage();
        }
        if (why != null) {
            if (Boolean.getBoolean("devswarm.requireInfra")) fail("required in CI: " + why);
            assumeTrue(false, why);
        }
        tmp = Files.createTempDirectory("devswarm-ssh-test");
        database = Database.open(DatabaseSettings.embedded(tmp));
        Clock clock = Clock.systemUTC();
        // with a data directory, as the server gives it: session stdin goes through FIFOs, the default
        ProviderContext ctx = new ProviderContext(database.installationId(), clock, Map.of(), tmp.resolve("providers/docker"));
        registry = ProviderRegistry.of(clock, new DockerProvider(DockerSettings.from(ctx), ctx));
        secrets = new SecretService(database.store().secrets(), Keyring.of(List.of(Keyring.newKey())), null, clock);
        plane = ControlPlane.builder()
                .store(database.store())
                .providers(registry)
                .scheduler(DatabaseScheduler.on(database, DatabaseScheduler.Settings.defaults("ssh-test")))
                .settings(ControllerSettings.defaults("docker", "ssh-test"))
                .schedules(Schedules.defaults().withIdleCheckEvery(Duration.ZERO)) // the tests run idle passes themselves
                .secrets(secrets)
                .clock(clock)
                .build();
        plane.start();
        controller = plane.controller();
        waiter = plane.waiter();
        activity = plane.activity();
        gateway = new SshGateway(GatewaySettings.defaults(tmp).withAddress("127.0.0.1").withPort(0), database.store(), controller, waiter,
                registry, activity, secrets, clock);
        gateway.start();
        aliceKey = keyFor("alice");
        bobKey = keyFor("bob");
        strangerKey = tmp.resolve("stranger");
        HostCommand.run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", strangerKey.toString());
        instance = "ssh-" + UUID.randomUUID().toString().substring(0, 8);
        var accepted = controller.create(new SwarmController.CreateInstance(InstanceSpec.of(instance, "devswarm/dev"), null, "alice", Owners.named("alice"), null,
                Priority.DEFAULT));
        assertThat(waiter.await(accepted.operation().id(), Duration.ofMinutes(2)).operation().status()).isEqualTo(OperationStatus.COMPLETED);
    }

    private Path keyFor(String user) throws Exception {
        Path key = tmp.resolve(user);
        HostCommand.run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", user + "@test", "-f", key.toString());
        String line = Files.readString(key.resolveSibling(user + ".pub")).trim();
        var parsed = PublicKeys.parse(line);
        database.store().sshKeys().insert(new SshKey("k-" + user, user, user, parsed.canonical(), PublicKeys.fingerprint(parsed), Instant.now()));
        return key;
    }

    @AfterAll
    void stop() throws Exception {
        if (controller != null && instance != null) {
            try {
                waiter.await(controller.delete(instance, false, Priority.DEFAULT).operation().id(), Duration.ofMinutes(1));
            } catch (RuntimeException ignored) {
                // best effort
            }
        }
        if (gateway != null) gateway.close();
        if (plane != null) plane.close();
        if (registry != null) registry.close();
        if (database != null) database.close();
    }

    private List<String> sshOptions(Path key) {
        return new ArrayList<>(List.of("-i", key.toString(), "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no",
                "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", "-o", "ConnectTimeout=10"));
    }

    private Run run(List<String> command, String stdin) throws Exception {
        return run(command, stdin, Map.of());
    }

    private Run run(List<String> command, String stdin, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        Path out = Files.createTempFile(tmp, "out", ".txt"), err = Files.createTempFile(tmp, "err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        if (stdin != null) p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("timed out: " + command);
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private Run ssh(Path key, String user, String... remote) throws Exception {
        return sshWith(key, user, List.of(), null, remote);
    }

    private Run sshWith(Path key, String user, List<String> extra, String stdin, String... remote) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ssh", "-p", Integer.toString(gateway.port())));
        cmd.addAll(sshOptions(key));
        cmd.addAll(extra);
        cmd.add(user + "@127.0.0.1");
        cmd.addAll(List.of(remote));
        return run(cmd, stdin);
    }

    @Test
    @DisplayName("ssh exec runs as developer inside the instance and propagates the exit status")
    void execWithExitStatus() throws Exception {
        Run r = ssh(aliceKey, instance, "echo hello; id -un; hostname; echo oops >&2; exit 3");
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.out()).isEqualTo("hello\ndeveloper\n" + instance + "\n");
        assertThat(r.err()).isEqualTo("oops\n");
    }

    @Test
    @DisplayName("a command runs in the user's login shell from the instance's passwd, with the environment sshd gives")
    void loginEnvironment() throws Exception {
        Run r = ssh(aliceKey, instance, "echo $USER $LOGNAME $HOME $SHELL; pwd; echo $SSH_CONNECTION; echo $SSH_CLIENT; echo ${BASH_VERSION:+bash}; echo ${SSH_TTY:-no-tty}");
        assertThat(r.exit()).as(r.err()).isZero();
        String[] lines = r.out().split("\n");
        assertThat(lines[0]).isEqualTo("developer developer /workspace/developer /bin/bash");
        assertThat(lines[1]).isEqualTo("/workspace/developer");
        assertThat(lines[2]).matches("127\\.0\\.0\\.1 \\d+ 127\\.0\\.0\\.1 " + gateway.port());
        assertThat(lines[3]).matches("127\\.0\\.0\\.1 \\d+ " + gateway.port());
        assertThat(lines[4]).isEqualTo("bash");
        assertThat(lines[5]).isEqualTo("no-tty");
    }

    @Test
    @DisplayName("an interactive shell is the user's login shell, with SSH_TTY naming its terminal")
    void loginShellWithPty() throws Exception {
        Run r = sshWith(aliceKey, instance, List.of("-tt"), "shopt -q login_shell && echo LOGIN_$((6*7)); echo tty=$SSH_TTY; exit\n");
        assertThat(r.out()).as("stderr %s", r.err()).contains("LOGIN_42").containsPattern("tty=/dev/pts/\\d+");
    }

    @Test
    @DisplayName("in a busybox image the login shell is its /bin/sh, at the passwd home")
    void busyboxLoginShell() throws Exception {
        String tiny = runningInstance("tiny", "devswarm/base", List.of(), Duration.ZERO);
        try {
            Run r = ssh(aliceKey, tiny, "echo $USER $HOME $SHELL; pwd");
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.out()).isEqualTo("developer /home/developer /bin/sh\n/home/developer\n");
        } finally {
            remove(tiny);
        }
    }

    @Test
    @DisplayName("ssh -A and ssh -R are refused with a message on stderr, and the command still runs")
    void agentAndRemoteForwardingRefused() throws Exception {
        Path socket = tmp.resolve("agent.sock");
        Process agentProcess = new ProcessBuilder("ssh-agent", "-D", "-a", socket.toString()).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("agent.log").toFile()).start();
        try {
            for (int i = 0; i < 100 && !Files.exists(socket); i++) Thread.sleep(50);
            List<String> cmd = new ArrayList<>(List.of("ssh", "-A", "-p", Integer.toString(gateway.port())));
            cmd.addAll(sshOptions(aliceKey));
            cmd.addAll(List.of(instance + "@127.0.0.1", "echo ran; echo ${SSH_AUTH_SOCK:-no-agent}"));
            Run agent = run(cmd, null, Map.of("SSH_AUTH_SOCK", socket.toString()));
            assertThat(agent.out()).isEqualTo("ran\nno-agent\n");
            assertThat(agent.err()).contains("agent forwarding (ssh -A) is not supported");
        } finally {
            agentProcess.destroy();
            agentProcess.waitFor();
        }
        Run remote = sshWith(aliceKey, instance, List.of("-R", "0:127.0.0.1:9"), null, "echo ran");
        assertThat(remote.out()).isEqualTo("ran\n");
        assertThat(remote.err()).contains("remote port forwarding (ssh -R) is not supported");
    }

    @Test
    @DisplayName("a known key meeting an instance it may not reach, or none, hears so, alike in both cases")
    void unreachableInstanceIsNamed() throws Exception {
        Run others = ssh(bobKey, instance, "true");
        assertThat(others.exit()).isEqualTo(255);
        assertThat(others.err()).contains("no instance " + instance + " that this key may reach");
        Run missing = ssh(aliceKey, "no-such-instance", "true");
        assertThat(missing.exit()).isEqualTo(255);
        assertThat(missing.err()).isEqualTo(others.err().replace(instance, "no-such-instance"));
    }

    @Test
    @DisplayName("the host key the gateway reports is the one ssh meets: a known_hosts line made from it passes strict checking")
    void hostKeyForKnownHosts() throws Exception {
        Path knownHosts = tmp.resolve("known_hosts");
        Files.writeString(knownHosts, "[127.0.0.1]:" + gateway.port() + " " + gateway.hostKey() + "\n");
        Run strict = run(List.of("ssh", "-p", Integer.toString(gateway.port()), "-i", aliceKey.toString(), "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes",
                "-o", "StrictHostKeyChecking=yes", "-o", "UserKnownHostsFile=" + knownHosts, "-o", "GlobalKnownHostsFile=/dev/null",
                instance + "@127.0.0.1", "echo trusted"), null);
        assertThat(strict.out()).as(strict.err()).isEqualTo("trusted\n");
        Run fingerprint = run(List.of("ssh-keygen", "-l", "-f", knownHosts.toString()), null);
        assertThat(fingerprint.out()).contains(gateway.hostKeyFingerprint()).startsWith("256 SHA256:");
    }

    @Test
    @DisplayName("LANG and LC_* sent by the client reach the command")
    void localeEnvironment() throws Exception {
        Run r = sshWith(aliceKey, instance, List.of("-o", "SetEnv=LANG=C.UTF-8 LC_TIME=C.UTF-8 SECRET=dropped"), null, "echo $LANG $LC_TIME ${SECRET:-none}");
        assertThat(r.out()).isEqualTo("C.UTF-8 C.UTF-8 none\n");
    }

    @Test
    @DisplayName("a dropped client frees its session: the process inside loses its stdin and ends")
    void droppedClientFreesStream() throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ssh", "-p", Integer.toString(gateway.port())));
        cmd.addAll(sshOptions(aliceKey));
        cmd.addAll(List.of(instance + "@127.0.0.1", "exec cat > /workspace/developer/dropped.txt"));
        Process client = new ProcessBuilder(cmd).start();
        client.getOutputStream().write("partial\n".getBytes(StandardCharsets.UTF_8));
        client.getOutputStream().flush();
        String cats = "";
        for (int i = 0; i < 50 && cats.isBlank(); i++) {
            Thread.sleep(100);
            cats = ssh(aliceKey, instance, "pgrep -x cat || true").out().trim();
        }
        assertThat(cats).as("cat runs while the client is connected").isNotBlank();
        client.destroyForcibly(); // SIGKILL: no EOF, no goodbye, just a closed TCP connection
        client.waitFor();
        for (int i = 0; i < 50 && !cats.isBlank(); i++) {
            Thread.sleep(100);
            cats = ssh(aliceKey, instance, "pgrep -x cat || true").out().trim();
        }
        assertThat(cats).as("cat ended after the client vanished").isBlank();
        assertThat(ssh(aliceKey, instance, "cat /workspace/developer/dropped.txt").out()).isEqualTo("partial\n");
    }

    @Test
    @DisplayName("stopping the gateway drops its sessions cleanly: the client is told, the process inside loses stdin")
    void gatewayStopDropsSessions() throws Exception {
        SshGateway second = new SshGateway(GatewaySettings.defaults(tmp.resolve("second")).withAddress("127.0.0.1").withPort(0),
                database.store(), controller, waiter, registry, activity, secrets, java.time.Clock.systemUTC());
        second.start();
        List<String> cmd = new ArrayList<>(List.of("ssh", "-p", Integer.toString(second.port())));
        cmd.addAll(sshOptions(aliceKey));
        cmd.addAll(List.of(instance + "@127.0.0.1", "exec cat > /workspace/developer/restart.txt"));
        Process client = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        client.getOutputStream().write("before restart\n".getBytes(StandardCharsets.UTF_8));
        client.getOutputStream().flush();
        String cats = "";
        for (int i = 0; i < 50 && cats.isBlank(); i++) {
            Thread.sleep(100);
            cats = ssh(aliceKey, instance, "pgrep -x cat || true").out().trim();
        }
        assertThat(cats).isNotBlank();
        second.close();
        assertThat(client.waitFor(20, TimeUnit.SECONDS)).as("client notices the server going away").isTrue();
        assertThat(client.exitValue()).isEqualTo(255);
        for (int i = 0; i < 50 && !cats.isBlank(); i++) {
            Thread.sleep(100);
            cats = ssh(aliceKey, instance, "pgrep -x cat || true").out().trim();
        }
        assertThat(cats).as("the process inside ended").isBlank();
        assertThat(ssh(aliceKey, instance, "cat /workspace/developer/restart.txt").out()).isEqualTo("before restart\n");
    }

    @Test
    @DisplayName("an interactive shell gets a PTY with TERM, and ends on exit")
    void shellWithPty() throws Exception {
        Run r = sshWith(aliceKey, instance, List.of("-tt", "-o", "SetEnv=TERM=xterm-256color"), "echo term=$TERM; tty; stty size; exit 5\n");
        assertThat(r.out()).as("exit %d, stderr %s", r.exit(), r.err()).contains("term=xterm").contains("/dev/pts/");
        assertThat(r.exit()).isEqualTo(5);
    }

    @Test
    @DisplayName("stdin reaches the command and EOF ends it (the VS Code Remote-SSH start: ssh -T host bash with a script)")
    void vscodeSequence() throws Exception {
        Run r = sshWith(aliceKey, instance, List.of("-T"), "echo VSCODE_READY\nuname -s\ncat /etc/os-release | grep -c ID\n", "bash");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("VSCODE_READY\nLinux\n");
    }

    @Test
    @DisplayName("scp up and down, over SFTP and the legacy protocol, keeps every byte")
    void scpBothWays() throws Exception {
        Path file = tmp.resolve("payload.bin");
        byte[] data = new byte[3 * 1024 * 1024 + 17];
        new Random(42).nextBytes(data);
        Files.write(file, data);
        for (String mode : List.of("sftp", "legacy")) {
            String remote = instance + "@127.0.0.1:/workspace/developer/payload-" + mode + ".bin";
            Run u = scp(mode.equals("legacy"), file.toString(), remote);
            assertThat(u.exit()).as("upload %s: %s", mode, u.err()).isZero();
            Path back = tmp.resolve("back-" + mode + ".bin");
            Run d = scp(mode.equals("legacy"), remote, back.toString());
            assertThat(d.exit()).as("download %s: %s", mode, d.err()).isZero();
            assertThat(sha256(back)).isEqualTo(sha256(file));
        }
        assertThat(ssh(aliceKey, instance, "sha256sum /workspace/developer/payload-sftp.bin | cut -d' ' -f1").out().trim()).isEqualTo(sha256(file));
    }

    /** scp through the gateway; {@code legacy} uses the old scp protocol (-O) instead of SFTP. */
    private Run scp(boolean legacy, String from, String to) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("scp", "-P", Integer.toString(gateway.port())));
        cmd.addAll(sshOptions(aliceKey));
        if (legacy) cmd.add("-O");
        cmd.addAll(List.of(from, to));
        return run(cmd, null);
    }

    @Test
    @DisplayName("sftp in batch mode: mkdir, put, ls, get")
    void sftpBatch() throws Exception {
        Path local = tmp.resolve("notes.txt");
        Files.writeString(local, "sftp works\n");
        Path batch = tmp.resolve("batch");
        Files.writeString(batch, "mkdir /workspace/developer/sftp-dir\nput " + local + " /workspace/developer/sftp-dir/notes.txt\nls /workspace/developer/sftp-dir\n"
                + "get /workspace/developer/sftp-dir/notes.txt " + tmp.resolve("notes-back.txt") + "\n");
        List<String> cmd = new ArrayList<>(List.of("sftp", "-P", Integer.toString(gateway.port())));
        cmd.addAll(sshOptions(aliceKey));
        cmd.addAll(List.of("-b", batch.toString(), instance + "@127.0.0.1"));
        Run r = run(cmd, null);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("notes.txt");
        assertThat(Files.readString(tmp.resolve("notes-back.txt"))).isEqualTo("sftp works\n");
    }

    @Test
    @DisplayName("ssh -L reaches a server listening on localhost inside the instance")
    void localForwarding() throws Exception {
        Run listener = ssh(aliceKey, instance, "nohup socat TCP-LISTEN:3000,bind=127.0.0.1,fork,reuseaddr SYSTEM:'echo hello-from-inside' >/dev/null 2>&1 & sleep 0.5; echo started");
        assertThat(listener.out()).as(listener.err()).isEqualTo("started\n");
        Run probe = ssh(aliceKey, instance, "socat - TCP:127.0.0.1:3000 </dev/null");
        assertThat(probe.out()).as("listener answers inside: %s", probe.err()).isEqualTo("hello-from-inside\n");
        int localPort;
        try (ServerSocket s = new ServerSocket(0)) {
            localPort = s.getLocalPort();
        }
        List<String> cmd = new ArrayList<>(List.of("ssh", "-p", Integer.toString(gateway.port())));
        cmd.addAll(sshOptions(aliceKey));
        cmd.addAll(List.of("-N", "-o", "ExitOnForwardFailure=yes", "-L", localPort + ":localhost:3000", instance + "@127.0.0.1"));
        Path tunnelLog = tmp.resolve("tunnel.log");
        Process tunnel = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tunnelLog.toFile()).start();
        try {
            String answer = null;
            for (int i = 0; i < 100 && (answer == null || answer.isEmpty()); i++) {
                try (Socket socket = new Socket("127.0.0.1", localPort)) {
                    socket.setSoTimeout(10_000);
                    InputStream in = socket.getInputStream();
                    answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                } catch (java.net.ConnectException notYet) {
                    Thread.sleep(100);
                }
                if (answer != null && answer.isEmpty()) Thread.sleep(100);
            }
            tunnel.destroy();
            assertThat(answer).as("tunnel said: %s", Files.readString(tunnelLog)).isEqualTo("hello-from-inside\n");
        } finally {
            tunnel.destroy();
        }
    }

    @Test
    @DisplayName("password, root, unknown keys and other users' keys are refused")
    void refusals() throws Exception {
        Run password = sshWith(aliceKey, instance, List.of("-o", "PreferredAuthentications=password,keyboard-interactive", "-o", "PubkeyAuthentication=no"),
                null, "true");
        assertThat(password.exit()).isEqualTo(255);
        assertThat(password.err()).contains("Permission denied");
        assertThat(ssh(aliceKey, "root", "true").exit()).isEqualTo(255);
        assertThat(ssh(strangerKey, instance, "true").exit()).isEqualTo(255);
        assertThat(ssh(bobKey, instance, "true").exit()).isEqualTo(255);
        assertThat(ssh(aliceKey, "no-such-instance", "true").exit()).isEqualTo(255);

        var logins = database.store().audit().list(new AuditQuery(null, "ssh.login", instance, null, 0, 100)).items();
        assertThat(logins).extracting(AuditEvent::actor, AuditEvent::result).contains(
                org.assertj.core.groups.Tuple.tuple("bob", "denied: not allowed on this instance"),
                org.assertj.core.groups.Tuple.tuple("unknown-key:" + PublicKeys.fingerprint(PublicKeys.parse(Files.readString(strangerKey.resolveSibling(strangerKey.getFileName() + ".pub")))),
                        "denied: unknown key"));
        assertThat(logins).allSatisfy(e -> assertThat(e.source()).isEqualTo("127.0.0.1"));
    }

    @Test
    @DisplayName("a session gets the owner's secrets as environment variables, at their current value; each login is audited")
    void secretsReachSessions() throws Exception {
        secrets.put(SecretScope.USER, "alice", "DEPLOY_TOKEN", "first-value", "test");
        secrets.put(SecretScope.USER, "alice", "DEPLOY_TOKEN", "changed-value", "test");
        secrets.put(SecretScope.INSTANCE, controller.find(instance).id(), "DB_PASSWORD", "instance-only", "test");
        Run r = ssh(aliceKey, instance, "echo $DEPLOY_TOKEN $DB_PASSWORD");
        assertThat(r.out()).isEqualTo("changed-value instance-only\n");
        assertThat(database.store().audit().list(new AuditQuery("alice", "ssh.login", instance, null, 0, 10)).items())
                .anySatisfy(e -> assertThat(e.result()).isEqualTo("success"));
    }

    @Test
    @DisplayName("connecting to a stopped instance starts it once, even for two clients at once, and says so")
    void wakeOnConnect() throws Exception {
        assertThat(waiter.await(controller.stop(instance, Priority.DEFAULT).operation().id(), Duration.ofMinutes(1)).operation().status()).isEqualTo(OperationStatus.COMPLETED);
        assertThat(controller.find(instance).status()).isEqualTo(InstanceStatus.STOPPED);
        Instant before = Instant.now();
        var second = new java.util.concurrent.CompletableFuture<Run>();
        Thread.ofVirtual().start(() -> {
            try {
                second.complete(ssh(aliceKey, instance, "echo also-awake"));
            } catch (Exception e) {
                second.completeExceptionally(e);
            }
        });
        Run first = ssh(aliceKey, instance, "echo awake");
        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(first.out()).isEqualTo("awake\n");
        assertThat(second.get(2, TimeUnit.MINUTES).out()).isEqualTo("also-awake\n");
        assertThat(first.err() + second.get().err()).contains("devswarm: starting " + instance);
        assertThat(controller.find(instance).status()).isEqualTo(InstanceStatus.RUNNING);
        long starts = database.store().operations().list(controller.find(instance).id(), null, 0, 50).items().stream()
                .filter(o -> o.type() == OperationType.START && o.createdAt().isAfter(before)).count();
        assertThat(starts).isEqualTo(1);
    }

    private String runningInstance(String prefix, String image, List<String> command, Duration idle) throws Exception {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 6);
        InstanceSpec spec = new InstanceSpec(name, image, command, null, null, null, null, null, idle);
        var accepted = controller.create(new SwarmController.CreateInstance(spec, null, "alice", Owners.named("alice"), null, Priority.DEFAULT));
        assertThat(waiter.await(accepted.operation().id(), Duration.ofMinutes(2)).operation().status()).isEqualTo(OperationStatus.COMPLETED);
        return name;
    }

    private void remove(String name) throws Exception {
        waiter.await(controller.delete(name, false, Priority.DEFAULT).operation().id(), Duration.ofMinutes(1));
    }

    @Test
    @DisplayName("an instance idle past its timeout is stopped, keeps its data, and says why")
    void idleStop() throws Exception {
        String quiet = runningInstance("quiet", "devswarm/base", List.of(), Duration.ofSeconds(1));
        try {
            Thread.sleep(3000);
            assertThat(plane.checkIdleOnce().stopped()).contains(quiet);
            var stop = database.store().operations().list(controller.find(quiet).id(), null, 0, 1).items().getFirst();
            assertThat(waiter.await(stop.id(), Duration.ofMinutes(1)).operation().status()).isEqualTo(OperationStatus.COMPLETED);
            assertThat(controller.find(quiet).status()).isEqualTo(InstanceStatus.STOPPED);
            assertThat(controller.find(quiet).statusReason()).isEqualTo("stopped after 1 second without activity");
        } finally {
            remove(quiet);
        }
    }

    @Test
    @DisplayName("a CPU-busy instance with no one connected is not stopped")
    void busyInstanceStaysUp() throws Exception {
        String busy = runningInstance("busy", "devswarm/base", List.of("sh", "-c", "while :; do :; done"), Duration.ofSeconds(1));
        try {
            Thread.sleep(2000);
            IdleReaper.Report report = plane.checkIdleOnce();
            assertThat(report.stopped()).doesNotContain(busy);
            assertThat(report.keptAwake()).containsEntry(busy, AwakeReason.CPU);
            assertThat(controller.find(busy).status()).isEqualTo(InstanceStatus.RUNNING);
        } finally {
            remove(busy);
        }
    }

    @Test
    @DisplayName("an open SSH session keeps an instance awake, even without traffic")
    void sessionKeepsAwake() throws Exception {
        String held = runningInstance("held", "devswarm/dev", List.of(), Duration.ofSeconds(1));
        List<String> cmd = new ArrayList<>(List.of("ssh", "-p", Integer.toString(gateway.port())));
        cmd.addAll(sshOptions(aliceKey));
        cmd.addAll(List.of(held + "@127.0.0.1", "sleep 6"));
        Process session = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            // a loaded machine may take seconds for the handshake: wait for the session, then let the idle timeout pass
            String id = controller.find(held).id();
            for (int i = 0; i < 300 && activity.snapshot(id).map(a -> a.openSessions()).orElse(0) == 0; i++) Thread.sleep(100);
            assertThat(activity.snapshot(id).map(a -> a.openSessions()).orElse(0)).as("open sessions").isPositive();
            Thread.sleep(1500);
            IdleReaper.Report report = plane.checkIdleOnce();
            assertThat(report.keptAwake()).containsEntry(held, AwakeReason.SSH_SESSION);
            assertThat(controller.find(held).status()).isEqualTo(InstanceStatus.RUNNING);
            assertThat(session.waitFor(20, TimeUnit.SECONDS)).isTrue();
            Thread.sleep(1500);
            assertThat(plane.checkIdleOnce().stopped()).as("after the session ended and the timeout passed").contains(held);
        } finally {
            session.destroy();
            Thread.sleep(500);
            remove(held);
        }
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
