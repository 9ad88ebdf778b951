package io.devswarm.provider.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.devswarm.core.model.InstanceHandle;
import io.devswarm.core.model.InstanceSpec;
import io.devswarm.core.provider.ExecStream;
import io.devswarm.core.provider.ProviderContext;
import io.devswarm.core.provider.StreamRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Docker provider: session stdin through a FIFO instead of the engine")
class StdinPipesTest {
    private static final String AS_USER = "1000:1000";

    private DockerProvider provider;
    private InstanceHandle handle;

    @BeforeEach
    void setUp() {
        provider = DockerEngine.provider("pipes-test");
        String suffix = Long.toString(ThreadLocalRandom.current().nextLong(Long.MAX_VALUE), 36);
        handle = new InstanceHandle("i-sp" + suffix, "sp-" + suffix, null);
    }

    @AfterEach
    void tearDown() {
        if (provider != null) {
            provider.delete(handle, false);
            provider.close();
        }
    }

    private Path instanceDir() {
        return DockerEngine.DATA_DIR.resolve("stdin").resolve(handle.id());
    }

    private static String run(ExecStream stream, String input) throws IOException, InterruptedException {
        stream.stdin().write(input.getBytes(StandardCharsets.UTF_8));
        stream.stdin().flush();
        stream.closeStdin();
        String out = new String(stream.stdout().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(stream.waitFor(Duration.ofSeconds(10))).hasValue(0);
        return out;
    }

    @Test
    @DisplayName("the process reads a FIFO (mode 0604) it cannot find by listing, in a directory it cannot change, and never sees its name in its environment")
    void stdinIsAPrivateFifo() throws Exception {
        provider.create(handle, InstanceSpec.of(handle.name(), DockerEngine.BASE_IMAGE));
        String script = "readlink /proc/self/fd/0; stat -L -c %A /proc/self/fd/0; echo env=${DEVSWARM_STDIN:-none}; "
                + "ls /run/devswarm/stdin >/dev/null 2>&1 && echo listable || echo hidden; "
                + "touch /run/devswarm/stdin/x 2>/dev/null && echo writable || echo read-only; cat";
        String[] lines;
        try (ExecStream stream = provider.openStream(handle, new StreamRequest(List.of("sh", "-c", script), Map.of(), AS_USER, null, false, 0, 0))) {
            lines = run(stream, "through the fifo\n").split("\n");
            assertThat(lines[0]).matches("/run/devswarm/stdin/[0-9a-f]{32}( \\(deleted\\))?");
            assertThat(lines).containsExactly(lines[0], "prw----r--", "env=none", "hidden", "read-only", "through the fifo");
        }
        String fifo = lines[0].substring("/run/devswarm/stdin/".length(), "/run/devswarm/stdin/".length() + 32);
        assertThat(instanceDir().resolve(fifo)).as("the session's FIFO is removed").doesNotExist();
    }

    @Test
    @DisplayName("stderr is the process's own: the FIFO's announcement byte is not passed on")
    void stderrUntouched() throws Exception {
        provider.create(handle, InstanceSpec.of(handle.name(), DockerEngine.BASE_IMAGE));
        try (ExecStream stream = provider.openStream(handle, StreamRequest.pipe("sh", "-c", "cat >&2"))) {
            stream.stdin().write("to stderr\n".getBytes(StandardCharsets.UTF_8));
            stream.closeStdin();
            assertThat(new String(stream.stderr().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("to stderr\n");
            assertThat(stream.waitFor(Duration.ofSeconds(10))).hasValue(0);
        }
    }

    @Test
    @DisplayName("input to a process that has stopped reading fails quickly instead of blocking")
    void earlyExitFailsWrites() throws Exception {
        provider.create(handle, InstanceSpec.of(handle.name(), DockerEngine.BASE_IMAGE));
        try (ExecStream stream = provider.openStream(handle, StreamRequest.pipe("head", "-c", "3"))) {
            byte[] chunk = new byte[64 * 1024];
            assertTimeoutPreemptively(Duration.ofSeconds(20), () -> assertThatThrownBy(() -> {
                for (int i = 0; i < 1024; i++) stream.stdin().write(chunk); // 64 MiB: far more than a pipe holds
            }).isInstanceOf(IOException.class));
            assertThat(stream.stdout().readAllBytes()).hasSize(3);
            assertThat(stream.waitFor(Duration.ofSeconds(10))).hasValue(0);
        }
    }

    @Test
    @DisplayName("a container made without the FIFO directory keeps its stdin through the engine")
    void olderContainerFallsBack() throws Exception {
        DockerProvider without = DockerEngine.provider(new ProviderContext("pipes-test", Clock.systemUTC(), Map.of()));
        try {
            without.create(handle, InstanceSpec.of(handle.name(), DockerEngine.BASE_IMAGE));
        } finally {
            without.close();
        }
        try (ExecStream stream = provider.openStream(handle, StreamRequest.pipe("sh", "-c", "readlink /proc/self/fd/0; cat"))) {
            String out = run(stream, "through the engine\n");
            assertThat(out).startsWith("pipe:[").endsWith("\nthrough the engine\n");
        }
    }

    @Test
    @DisplayName("an instance's FIFO directory goes with it, and comes back if wiped while it was stopped")
    void directoryLifecycle() throws Exception {
        provider.create(handle, InstanceSpec.of(handle.name(), DockerEngine.BASE_IMAGE));
        assertThat(instanceDir()).isDirectory();
        provider.stop(handle, Duration.ZERO);
        try (var files = Files.walk(instanceDir())) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
        provider.start(handle);
        try (ExecStream stream = provider.openStream(handle, StreamRequest.pipe("cat"))) {
            assertThat(run(stream, "after a start\n")).isEqualTo("after a start\n");
        }
        provider.delete(handle, false);
        assertThat(instanceDir()).doesNotExist();
    }
}
