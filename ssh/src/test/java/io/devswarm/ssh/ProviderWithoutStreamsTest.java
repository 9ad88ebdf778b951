package io.devswarm.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.devswarm.core.access.Owners;
import io.devswarm.core.access.PublicKeys;
import io.devswarm.core.access.SshKey;
import io.devswarm.core.controller.ControlPlane;
import io.devswarm.core.controller.ControllerSettings;
import io.devswarm.core.controller.Scheduler;
import io.devswarm.core.controller.SwarmController;
import io.devswarm.core.model.Instance;
import io.devswarm.core.model.InstanceSpec;
import io.devswarm.core.model.InstanceStatus;
import io.devswarm.core.operation.Operation;
import io.devswarm.core.operation.Priority;
import io.devswarm.core.provider.ProviderRegistry;
import io.devswarm.core.secrets.SecretEnv;
import io.devswarm.core.testing.HostCommand;
import io.devswarm.core.testing.InMemoryProvider;
import io.devswarm.store.Database;
import io.devswarm.store.DatabaseSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The gateway, with the real OpenSSH client, in front of a provider that has no interactive
 * streams (as Fly.io's Machines API has none): sessions are refused at once with the reason,
 * forwarded ports too, and the stopped instance is not woken for what could never work.
 * The provider is the in-memory one, named "fly"; operations are only recorded, never run.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
@DisplayName("SSH gateway in front of a provider without interactive sessions")
class ProviderWithoutStreamsTest {
    private static final String INSTANCE = "machine-1";

    private final List<Operation> submitted = new CopyOnWriteArrayList<>();
    private Path tmp;
    private Database database;
    private ControlPlane plane;
    private SwarmController controller;
    private SshGateway gateway;
    private Path key;

    record Run(int exit, String out, String err) {}

    /** A schedule that records what it is asked to run and never runs it. */
    private final class RecordingScheduler implements Scheduler {
        @Override
        public void submit(Operation operation) {
            submitted.add(operation);
        }

        @Override
        public boolean lease(Operation operation, Instant until) {
            submitted.add(operation);
            return true;
        }

        @Override
        public void reschedule(String operationId, Instant at) {}

        @Override
        public void release(String operationId) {}

        @Override
        public void runSoon(String recurring) {}

        @Override
        public void start() {}

        @Override
        public void close() {}
    }

    @BeforeAll
    void start() throws Exception {
        String why = null;
        try {
            if (HostCommand.run("ssh", "-V").isEmpty()) why = "no OpenSSH client";
        } catch (Exception e) {
            why = "ssh not usable: " + e.getMessage();
        }
        if (why != null) {
            if (Boolean.getBoolean("devswarm.requireInfra")) fail("required in CI: " + why);
            assumeTrue(false, why);
        }
        tmp = Files.createTempDirectory("devswarm-ssh-nostreams");
        database = Database.open(DatabaseSettings.embedded(tmp));
        Clock clock = Clock.systemUTC();
        ProviderRegistry registry = ProviderRegistry.of(clock, new InMemoryProvider("fly", database.installationId(), clock));
        // never started: every operation goes to the schedule, which only records it
        plane = ControlPlane.builder().store(database.store()).providers(registry).scheduler(work -> new RecordingScheduler())
                .settings(ControllerSettings.defaults("fly", "ssh-test")).secrets(SecretEnv.NONE).clock(clock).build();
        controller = plane.controller();
        controller.create(new SwarmController.CreateInstance(InstanceSpec.of(INSTANCE, "devswarm/dev"), null, "alice", Owners.named("alice"), null,
                Priority.DEFAULT));
        Instance created = controller.find(INSTANCE);
        database.store().instances().update(created.withStatus(InstanceStatus.STOPPED, null).withActiveOperation(null));
        submitted.clear();
        gateway = new SshGateway(GatewaySettings.defaults(tmp).withAddress("127.0.0.1").withPort(0), database.store(), controller,
                plane.waiter(), registry, plane.activity(), SecretEnv.NONE, clock);
        gateway.start();
        key = tmp.resolve("alice");
        HostCommand.run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "alice@test", "-f", key.toString());
        var parsed = PublicKeys.parse(Files.readString(tmp.resolve("alice.pub")).trim());
        database.store().sshKeys().insert(new SshKey("k-alice", "alice", "alice", parsed.canonical(), PublicKeys.fingerprint(parsed), Instant.now()));
    }

    @AfterAll
    void stop() throws Exception {
        if (gateway != null) gateway.close();
        if (plane != null) plane.close();
        if (database != null) database.close();
    }

    /** ssh with {@code options} first (for ssh, the first value of an option counts), then the test's own, then {@code args}. */
    private Run ssh(List<String> options, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ssh", "-p", Integer.toString(gateway.port())));
        cmd.addAll(options);
        cmd.addAll(List.of("-i", key.toString(), "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no",
                "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR"));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(tmp, "out", ".txt"), err = Files.createTempFile(tmp, "err", ".txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        p.getOutputStream().close();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("timed out: " + cmd);
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    private void assertNotWoken() {
        assertThat(submitted).as("operations asked for").isEmpty();
        assertThat(controller.find(INSTANCE).status()).isEqualTo(InstanceStatus.STOPPED);
    }

    @Test
    @DisplayName("a session hears in one line that the provider has none and what to use instead, and fails; the instance is not woken")
    void sessionRefused() throws Exception {
        Run r = ssh(List.of(), INSTANCE + "@127.0.0.1", "echo", "hello");
        assertThat(r.exit()).isEqualTo(255);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("devswarm: instance '" + INSTANCE + "' runs on provider 'fly', which has no interactive sessions; "
                + "run commands with 'devswarm exec " + INSTANCE + " -- <command>'\n");
        assertNotWoken();
    }

    @Test
    @DisplayName("a forwarded port (ssh -W) is refused without waking the instance")
    void forwardingRefused() throws Exception {
        // the client reports a refused channel at log level INFO; MINA sends a generic text with it, so the reason is in the server log only
        Run r = ssh(List.of("-o", "LogLevel=INFO", "-W", "localhost:3000"), INSTANCE + "@127.0.0.1");
        assertThat(r.exit()).isEqualTo(255);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("channel 0: open failed", "stdio forwarding failed");
        assertNotWoken();
    }
}
