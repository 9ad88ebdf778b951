package io.devswarm.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.devswarm.core.model.CommandResult;
import io.devswarm.core.model.InstanceHandle;
import io.devswarm.core.model.InstanceSpec;
import io.devswarm.core.provider.ExecRequest;
import io.devswarm.core.provider.ExecStream;
import io.devswarm.core.provider.Labels;
import io.devswarm.core.provider.ObservedInstance;
import io.devswarm.core.provider.Provider;
import io.devswarm.core.provider.StreamRequest;
import io.devswarm.core.provider.feature.ExecStreams;
import io.devswarm.core.provider.feature.LiveResize;
import io.devswarm.core.provider.feature.Regions;
import io.devswarm.core.provider.feature.Suspend;
import io.devswarm.core.provider.feature.VolumeExtension;
import io.devswarm.core.provider.feature.VolumeSnapshots;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The behaviour every provider must show, whatever its substrate. A provider's test class
 * extends this, supplies the provider and a spec whose image has a POSIX shell with
 * {@code cat}, {@code sleep} and {@code head}, and inherits every test.
 */
@Timeout(120)
public abstract class ProviderContract {
    private static final List<Class<?>> FEATURES = List.of(ExecStreams.class, LiveResize.class, Suspend.class, VolumeSnapshots.class,
            VolumeExtension.class, Regions.class);
    private final List<InstanceHandle> made = new ArrayList<>();

    /** The provider under test; the same object for the whole test. */
    protected abstract Provider provider();

    /** A spec for a new instance called {@code name}, with a persistent volume at /workspace. */
    protected abstract InstanceSpec spec(String name);

    /** The optional features (interfaces of {@code io.devswarm.core.provider.feature}) the provider must have, and no others. */
    protected abstract Set<Class<?>> features();

    protected InstanceHandle newHandle(String pool) {
        String suffix = Long.toString(ThreadLocalRandom.current().nextLong(Long.MAX_VALUE), 36);
        InstanceHandle h = new InstanceHandle("i-ct" + suffix, "ct-" + suffix, pool);
        made.add(h);
        return h;
    }

    protected InstanceHandle createRunning() {
        InstanceHandle h = newHandle(null);
        provider().create(h, spec(h.name()));
        return h;
    }

    @AfterEach
    void removeWhatTheTestMade() {
        for (InstanceHandle h : made) {
            try {
                provider().delete(h, false);
            } catch (RuntimeException ignored) {
                // best effort: the test already reported its own failure
            }
        }
    }

    @Test
    @DisplayName("create starts the instance; stop, start and delete move it through its lifecycle")
    void lifecycle() {
        InstanceHandle h = newHandle(null);
        ObservedInstance created = provider().create(h, spec(h.name()));
        assertThat(created.state()).isEqualTo(ObservedInstance.State.RUNNING);
        assertThat(created.instanceId()).isEqualTo(h.id());

        provider().stop(h, Duration.ofSeconds(2));
        assertThat(provider().get(h)).get().extracting(ObservedInstance::state).isEqualTo(ObservedInstance.State.STOPPED);

        ObservedInstance started = provider().start(h);
        assertThat(started.state()).isEqualTo(ObservedInstance.State.RUNNING);

        provider().delete(h, false);
        assertThat(provider().get(h)).isEmpty();
    }

    @Test
    @DisplayName("stop and start are no-ops when the instance is already in that state")
    void stopAndStartAreIdempotent() {
        InstanceHandle h = createRunning();
        assertThat(provider().start(h).state()).isEqualTo(ObservedInstance.State.RUNNING);
        provider().stop(h, Duration.ofSeconds(2));
        provider().stop(h, Duration.ofSeconds(2));
        assertThat(provider().get(h)).get().extracting(ObservedInstance::state).isEqualTo(ObservedInstance.State.STOPPED);
    }

    @Test
    @DisplayName("a repeated create converges on one instance instead of failing or duplicating")
    void createIsIdempotent() {
        InstanceHandle h = newHandle(null);
        provider().create(h, spec(h.name()));
        provider().create(h, spec(h.name()));
        assertThat(provider().list(Map.of(Labels.INSTANCE, h.id()))).hasSize(1);
    }

    @Test
    @DisplayName("delete is idempotent, also for an instance that never existed")
    void deleteIsIdempotent() {
        InstanceHandle h = createRunning();
        provider().delete(h, false);
        provider().delete(h, false);
        provider().delete(newHandle(null), false);
        assertThat(provider().get(h)).isEmpty();
    }

    @Test
    @DisplayName("list finds instances by their devswarm labels")
    void listFindsByLabels() {
        String pool = "ctpool" + ThreadLocalRandom.current().nextInt(1_000_000);
        InstanceHandle member = newHandle(pool);
        provider().create(member, spec(member.name()));
        InstanceHandle loner = createRunning();

        assertThat(provider().list(Map.of(Labels.POOL, pool))).extracting(ObservedInstance::instanceId).containsExactly(member.id());
        assertThat(provider().list(Map.of())).extracting(ObservedInstance::instanceId).contains(member.id(), loner.id());
        ObservedInstance seen = provider().list(Map.of(Labels.INSTANCE, loner.id())).getFirst();
        assertThat(seen.labels()).containsEntry(Labels.MANAGED, "true").containsEntry(Labels.NAME, loner.name());
    }

    @Test
    @DisplayName("exec reports the exit code and keeps stdout apart from stderr")
    void execExitCodes() {
        InstanceHandle h = createRunning();
        CommandResult ok = provider().execute(h, ExecRequest.of("sh", "-c", "echo out; echo err >&2"));
        assertThat(ok.exitCode()).isZero();
        assertThat(ok.stdout()).isEqualTo("out\n");
        assertThat(ok.stderr()).isEqualTo("err\n");

        CommandResult failed = provider().execute(h, ExecRequest.of("sh", "-c", "exit 3"));
        assertThat(failed.exitCode()).isEqualTo(3);
        assertThat(failed.timedOut()).isFalse();
    }

    @Test
    @DisplayName("exec passes environment variables and stops a command at its timeout")
    void execEnvAndTimeout() {
        InstanceHandle h = createRunning();
        CommandResult env = provider().execute(h, new ExecRequest(List.of("sh", "-c", "echo $GREETING"), Map.of("GREETING", "hello"), null, null, null, 0));
        assertThat(env.stdout()).isEqualTo("hello\n");

        CommandResult slow = provider().execute(h, new ExecRequest(List.of("sleep", "30"), null, null, null, Duration.ofSeconds(1), 0));
        assertThat(slow.timedOut()).isTrue();
        assertThat(slow.duration()).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    @DisplayName("exec drops output beyond the cap and says so")
    void execOutputCap() {
        InstanceHandle h = createRunning();
        CommandResult r = provider().execute(h, new ExecRequest(List.of("sh", "-c", "head -c 100000 /dev/zero | tr '\\0' x"), null, null, null, null, 1000));
        assertThat(r.stdout()).hasSize(1000);
        assertThat(r.truncated()).isTrue();
        assertThat(r.exitCode()).isZero();
    }

    /**
     * The provider's streams, when it has them as its test says it should; a provider without them
     * has nothing more to show in a stream test.
     */
    private Optional<ExecStreams> streams() {
        Optional<ExecStreams> streams = provider().feature(ExecStreams.class);
        assertThat(streams.isPresent()).as("has ExecStreams, as features() says").isEqualTo(features().contains(ExecStreams.class));
        return streams;
    }

    @Test
    @DisplayName("an interactive stream delivers stdin, and the process sees EOF when stdin is closed")
    void streamEndsOnStdinEof() throws Exception {
        Optional<ExecStreams> streams = streams();
        if (streams.isEmpty()) return;
        InstanceHandle h = createRunning();
        try (ExecStream stream = streams.get().openStream(h, StreamRequest.pipe("cat"))) {
            stream.stdin().write("hello through the stream\n".getBytes(StandardCharsets.UTF_8));
            stream.stdin().flush();
            stream.closeStdin();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            stream.stdout().transferTo(out);
            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("hello through the stream\n");
            OptionalInt exit = stream.waitFor(Duration.ofSeconds(10));
            assertThat(exit).hasValue(0);
        }
    }

    @Test
    @DisplayName("a stream reports the exit code of the process")
    void streamExitCode() throws Exception {
        Optional<ExecStreams> streams = streams();
        if (streams.isEmpty()) return;
        InstanceHandle h = createRunning();
        try (ExecStream stream = streams.get().openStream(h, StreamRequest.pipe("sh", "-c", "echo bye >&2; exit 7"))) {
            stream.closeStdin();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            stream.stderr().transferTo(err);
            assertThat(stream.waitFor(Duration.ofSeconds(10))).hasValue(7);
            assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("bye\n");
        }
    }

    @Test
    @DisplayName("files in /workspace survive stop and start")
    void workspaceSurvivesStopStart() {
        InstanceHandle h = createRunning();
        assertThat(provider().execute(h, ExecRequest.of("sh", "-c", "echo precious > /workspace/data.txt")).exitCode()).isZero();
        provider().stop(h, Duration.ofSeconds(2));
        provider().start(h);
        CommandResult read = provider().execute(h, ExecRequest.of("cat", "/workspace/data.txt"));
        assertThat(read.stdout()).isEqualTo("precious\n");
    }

    @Test
    @DisplayName("the provider has exactly the optional features its substrate supports, and answers health")
    void featuresAndHealth() {
        for (Class<?> feature : FEATURES) {
            assertThat(provider().feature(feature)).as(feature.getSimpleName()).isEqualTo(features().contains(feature) ? Optional.of(provider()) : Optional.empty());
        }
        assertThat(provider().health().isUsable()).isTrue();
    }
}
