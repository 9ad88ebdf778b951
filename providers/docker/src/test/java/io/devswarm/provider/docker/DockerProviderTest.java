package io.devswarm.provider.docker;

import static io.devswarm.core.testing.HostCommand.docker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.devswarm.core.model.InstanceHandle;
import io.devswarm.core.model.InstanceSpec;
import io.devswarm.core.model.NetworkInfo;
import io.devswarm.core.model.NetworkSpec;
import io.devswarm.core.model.ProviderHealth;
import io.devswarm.core.model.Resources;
import io.devswarm.core.model.VolumeSpec;
import io.devswarm.core.provider.ExecRequest;
import io.devswarm.core.provider.Labels;
import io.devswarm.core.provider.ProviderContext;
import io.devswarm.core.provider.ProviderException;
import io.devswarm.provider.docker.internal.ResourceNames;
import java.io.IOException;
import java.net.URI;
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

@DisplayName("Docker provider: what docker inspect shows, upgrades, errors")
class DockerProviderTest {
    private DockerProvider provider;
    private InstanceHandle handle;

    @BeforeEach
    void setUp() {
        provider = DockerEngine.provider("docker-test");
        String suffix = Long.toString(ThreadLocalRandom.current().nextLong(Long.MAX_VALUE), 36);
        handle = new InstanceHandle("i-dt" + suffix, "dt-" + suffix, "dtpool", "alice");
    }

    @AfterEach
    void tearDown() {
        if (provider != null) {
            provider.delete(handle, false);
            provider.close();
        }
    }


    @Test
    @DisplayName("CPU, memory, labels, host name and the workspace volume are what the spec asked")
    void limitsAndLabels() throws Exception {
        var spec = InstanceSpec.of(handle.name(), DockerEngine.BASE_IMAGE)
                .withResources(new Resources(new Resources.Cpu(0.5, 1500), new Resources.Memory(128, 256), 10));
        provider.create(handle, spec);
        String c = provider.containerName(handle);
        assertThat(docker("inspect", "-f", "{{.HostConfig.NanoCpus}} {{.HostConfig.CpuShares}} {{.HostConfig.Memory}} {{.HostConfig.MemoryReservation}}", c))
                .isEqualTo("1500000000 512 268435456 134217728");
        assertThat(docker("inspect", "-f", "{{index .Config.Labels \"devswarm.instance\"}} {{index .Config.Labels \"devswarm.pool\"}} {{.Config.Hostname}}", c))
                .isEqualTo(handle.id() + " dtpool " + handle.name());
        assertThat(c).isEqualTo("devswarm-" + new ResourceNames("docker-test").tag() + "-" + handle.name());
        assertThat(docker("inspect", "-f", "{{index .Config.Labels \"devswarm.installation\"}} {{index .Config.Labels \"devswarm.owner\"}}", c))
                .isEqualTo("docker-test alice");
        String volume = new ResourceNames("docker-test").volume(handle, VolumeSpec.workspace(1));
        assertThat(docker("inspect", "-f", "{{range .Mounts}}{{.Name}}:{{.Destination}} {{end}}", c).split(" "))
                .containsExactlyInAnyOrder(volume + ":/workspace", ":/run/devswarm/stdin");
        assertThat(docker("volume", "inspect", "-f",
                "{{index .Labels \"devswarm.installation\"}} {{index .Labels \"devswarm.instance\"}} {{index .Labels \"devswarm.owner\"}}", volume))
                .isEqualTo("docker-test " + handle.id() + " alice");
    }

    @Test
    @DisplayName("live resize changes the container's limits")
    void liveResize() throws Exception {
        provider.create(handle, InstanceSpec.of(handle.name(), DockerEngine.BASE_IMAGE));
        provider.allocateResources(handle, new Resources(new Resources.Cpu(2, 500), new Resources.Memory(0, 512), 10));
        assertThat(docker("inspect", "-f", "{{.HostConfig.NanoCpus}} {{.HostConfig.Memory}}", provider.containerName(handle)))
                .isEqualTo("500000000 536870912");
    }

    @Test
    @DisplayName("an exposed port is published on the loopback address and reported with its URL")
    void exposedPorts() {
        var spec = new InstanceSpec(handle.name(), DockerEngine.BASE_IMAGE, List.of("httpd", "-f", "-p", "8080"), null, null,
                new NetworkSpec(List.of(8080), false), null, null, null);
        NetworkInfo info = provider.create(handle, spec).network();
        assertThat(info.internalIp()).isNotBlank();
        assertThat(info.ports()).singleElement().satisfies(p -> {
            assertThat(p.internal()).isEqualTo(8080);
            assertThat(p.external()).isPositive();
        });
        assertThat(info.urls()).singleElement().asString().startsWith("http://127.0.0.1:");
    }

    @Test
    @DisplayName("re-creating with a new image (an upgrade) keeps the files in /workspace")
    void imageUpgradeKeepsWorkspace() throws Exception {
        provider.create(handle, InstanceSpec.of(handle.name(), DockerEngine.BASE_IMAGE));
        provider.execute(handle, ExecRequest.of("sh", "-c", "echo survives > /workspace/keep.txt"));
        docker("tag", DockerEngine.BASE_IMAGE, "devswarm/base:upgraded");
        provider.delete(handle, true);
        provider.create(handle, InstanceSpec.of(handle.name(), "devswarm/base:upgraded"));
        assertThat(docker("inspect", "-f", "{{.Config.Image}}", provider.containerName(handle))).isEqualTo("devswarm/base:upgraded");
        assertThat(provider.execute(handle, ExecRequest.of("cat", "/workspace/keep.txt")).stdout()).isEqualTo("survives\n");
    }

    @Test
    @DisplayName("delete without keeping volumes removes them; list no longer finds the instance")
    void deleteRemovesVolumes() throws Exception {
        provider.create(handle, InstanceSpec.of(handle.name(), DockerEngine.BASE_IMAGE));
        provider.delete(handle, false);
        assertThat(docker("volume", "ls", "-q", "--filter", "label=" + Labels.INSTANCE + "=" + handle.id())).isEmpty();
        assertThat(provider.list(Map.of(Labels.INSTANCE, handle.id()))).isEmpty();
    }

    @Test
    @DisplayName("a server that did not make the instance removes all its volumes too: the container's mounts name them")
    void deleteByAnotherServerRemovesVolumes() throws Exception {
        var storage = List.of(VolumeSpec.workspace(1), new VolumeSpec("cache", 1, true, "/cache"), new VolumeSpec("scratch", 1, false, "/scratch"));
        provider.create(handle, new InstanceSpec(handle.name(), DockerEngine.BASE_IMAGE, null, null, null, null, storage, null, null));
        assertThat(ownVolumes()).hasSize(2);
        deleteFromAnotherServer();
        assertThat(ownVolumes()).isEmpty();
    }

    @Test
    @DisplayName("the volumes of an instance whose container was removed behind our back are found by label and removed")
    void deleteWithoutContainerRemovesVolumes() throws Exception {
        provider.create(handle, InstanceSpec.of(handle.name(), DockerEngine.BASE_IMAGE));
        docker("rm", "-f", provider.containerName(handle));
        deleteFromAnotherServer();
        assertThat(ownVolumes()).isEmpty();
    }

    @Test
    @DisplayName("volumes kept by one delete are removed by a later one")
    void keptVolumesRemovedLater() throws Exception {
        provider.create(handle, InstanceSpec.of(handle.name(), DockerEngine.BASE_IMAGE));
        provider.delete(handle, true);
        assertThat(ownVolumes()).hasSize(1);
        provider.delete(handle, false);
        assertThat(ownVolumes()).isEmpty();
    }

    /** As a server that never met the instance (another one, or this one after a restart) would. */
    private void deleteFromAnotherServer() {
        DockerProvider otherServer = DockerEngine.provider("docker-test");
        try {
            otherServer.delete(handle, false);
        } finally {
            otherServer.close();
        }
    }

    private List<String> ownVolumes() throws Exception {
        String out = docker("volume", "ls", "-q", "--filter", "label=" + Labels.INSTANCE + "=" + handle.id());
        return out.isBlank() ? List.of() : List.of(out.split("\\s+"));
    }

    @Test
    @DisplayName("a container another server re-created for the instance (a new id) is the one stopped, started and deleted")
    void containerRecreatedElsewhere() throws Exception {
        provider.create(handle, InstanceSpec.of(handle.name(), DockerEngine.BASE_IMAGE));
        String first = docker("inspect", "-f", "{{.Id}}", provider.containerName(handle));
        DockerProvider otherServer = DockerEngine.provider("docker-test");
        try {
            otherServer.delete(handle, true);
            otherServer.create(handle, InstanceSpec.of(handle.name(), DockerEngine.BASE_IMAGE));
        } finally {
            otherServer.close();
        }
        String second = docker("inspect", "-f", "{{.Id}}", provider.containerName(handle));
        assertThat(second).isNotEqualTo(first);

        provider.stop(handle, Duration.ofSeconds(1));
        assertThat(docker("inspect", "-f", "{{.State.Status}}", second)).isEqualTo("exited");
        provider.start(handle);
        assertThat(docker("inspect", "-f", "{{.State.Status}}", second)).isEqualTo("running");
        assertThat(provider.execute(handle, new ExecRequest(List.of("true"), null, null, null, Duration.ofSeconds(10), 0)).exitCode()).isZero();
        provider.delete(handle, false);
        assertThat(docker("ps", "-aq", "--filter", "name=" + provider.containerName(handle))).isEmpty();
    }

    @Test
    @DisplayName("a container that only has the instance's name, not its label, is never stopped, exec'd in or removed")
    void foreignContainerOfTheSameName() throws Exception {
        String name = provider.containerName(handle);
        docker("run", "-d", "--name", name, DockerEngine.BASE_IMAGE);
        try {
            assertThatThrownBy(() -> provider.stop(handle, Duration.ofSeconds(1)))
                    .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.kind()).isEqualTo(ProviderException.Kind.NOT_FOUND));
            assertThatThrownBy(() -> provider.execute(handle, new ExecRequest(List.of("true"), null, null, null, Duration.ofSeconds(10), 0)))
                    .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.kind()).isEqualTo(ProviderException.Kind.NOT_FOUND));
            assertThat(provider.get(handle)).isEmpty();
            provider.delete(handle, false);
            assertThat(docker("inspect", "-f", "{{.State.Status}}", name)).isEqualTo("running");
        } finally {
            docker("rm", "-f", name);
        }
    }

    @Test
    @DisplayName("a missing image is a clear, permanent error and leaves no container behind")
    void missingImage() throws Exception {
        assertThatThrownBy(() -> provider.create(handle, InstanceSpec.of(handle.name(), "devswarm/does-not-exist:1")))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.isTransient()).isFalse();
                    assertThat(e.getMessage()).contains("devswarm/does-not-exist:1").contains("not on the Docker engine");
                });
        assertThat(docker("ps", "-aq", "--filter", "name=" + provider.containerName(handle))).isEmpty();
    }

    @Test
    @DisplayName("usage reports CPU, memory against its limit and the workspace size")
    void usage() {
        provider.create(handle, InstanceSpec.of(handle.name(), DockerEngine.BASE_IMAGE)
                .withResources(new Resources(Resources.Cpu.DEFAULT, new Resources.Memory(0, 300), 10)));
        provider.execute(handle, ExecRequest.of("sh", "-c", "head -c 3000000 /dev/zero > /workspace/blob"));
        var usage = provider.resourceUsage(handle);
        assertThat(usage.memory().limitMb()).isEqualTo(300);
        assertThat(usage.storage().usageGb()).isGreaterThan(0.002);
    }

    @Test
    @DisplayName("an internal instance runs on the internal network, which has no way out")
    void internalNetwork() throws Exception {
        provider.create(handle, new InstanceSpec(handle.name(), DockerEngine.BASE_IMAGE, null, null, null, new NetworkSpec(List.of(), true), null, null, null));
        String c = provider.containerName(handle);
        assertThat(docker("inspect", "-f", "{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}", c).trim()).isEqualTo("devswarm-internal");
        assertThat(docker("network", "inspect", "-f", "{{.Internal}}", "devswarm-internal")).isEqualTo("true");
    }

    @Test
    @DisplayName("DOCKER_HOST=tcp:// works for CRUD and for hijacked exec streams (through a TCP proxy to the engine)")
    void tcpEngine() throws Exception {
        int port = freePort();
        Process proxy = engineOnTcp(port, null);
        try {
            ProviderContext ctx = new ProviderContext("docker-test", Clock.systemUTC(), Map.of("host", "tcp://127.0.0.1:" + port));
            DockerProvider tcp = new DockerProvider(DockerSettings.from(ctx), ctx);
            try {
                assertThat(tcp.health().isUsable()).isTrue();
                tcp.create(handle, InstanceSpec.of(handle.name(), DockerEngine.BASE_IMAGE));
                assertThat(tcp.execute(handle, ExecRequest.of("sh", "-c", "echo over tcp; exit 2")).exitCode()).isEqualTo(2);
                try (var stream = tcp.openStream(handle, io.devswarm.core.provider.StreamRequest.pipe("cat"))) {
                    stream.stdin().write("eof over tcp\n".getBytes());
                    stream.closeStdin();
                    assertThat(new String(stream.stdout().readAllBytes())).isEqualTo("eof over tcp\n");
                    assertThat(stream.waitFor(Duration.ofSeconds(10))).hasValue(0);
                }
            } finally {
                tcp.close();
            }
        } finally {
            stop(proxy);
        }
    }

    @Test
    @DisplayName("health pings the engine; its size (/info walks every container and image) is read once, and again after the engine was unreachable")
    void healthPingsBetweenReadsOfTheEnginesSize() throws Exception {
        int port = freePort();
        Path traffic = Files.createTempFile("devswarm-engine-traffic", ".log");
        ProviderContext ctx = new ProviderContext("docker-test", Clock.systemUTC(), Map.of("host", "tcp://127.0.0.1:" + port));
        DockerProvider tcp = new DockerProvider(DockerSettings.from(ctx), ctx);
        Process proxy = engineOnTcp(port, traffic);
        try {
            ProviderHealth first = tcp.health();
            assertThat(first.isUsable()).isTrue();
            assertThat(first.cpuCores()).isPositive();
            assertThat(first.memoryMb()).isPositive();
            assertThat(tcp.health()).isEqualTo(first);
            assertThat(tcp.health()).isEqualTo(first);
            assertThat(requests(traffic, "/info")).isEqualTo(1);
            assertThat(requests(traffic, "/_ping")).isGreaterThanOrEqualTo(2);

            stop(proxy);
            assertThat(tcp.health().isUsable()).isFalse();
            proxy = engineOnTcp(port, traffic);
            assertThat(tcp.health()).isEqualTo(first);
            assertThat(requests(traffic, "/info")).as("an engine that was away may be another one: its size is read again").isEqualTo(2);
        } finally {
            tcp.close();
            stop(proxy);
            Files.deleteIfExists(traffic);
        }
    }

    /** socat and the children it forked per connection, which would otherwise keep a pooled connection to the engine open. */
    private static void stop(Process proxy) throws InterruptedException {
        proxy.descendants().forEach(ProcessHandle::destroyForcibly);
        proxy.destroyForcibly().waitFor();
    }

    /** Requests whose path ends in {@code path} (after the API version) in a {@code socat -v} log. */
    private static long requests(Path traffic, String path) throws IOException {
        return Files.readAllLines(traffic, java.nio.charset.StandardCharsets.ISO_8859_1).stream()
                .filter(l -> l.matches("(GET|HEAD) (/v[0-9.]+)?" + java.util.regex.Pattern.quote(path) + "[ ?].*")).count();
    }

    private static int freePort() throws IOException {
        try (var s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** The local engine on a loopback TCP port through socat; with {@code traffic}, socat writes what passes to that file. */
    private static Process engineOnTcp(int port, Path traffic) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("socat"));
        if (traffic != null) command.add("-v");
        command.addAll(List.of("TCP-LISTEN:" + port + ",bind=127.0.0.1,fork,reuseaddr", "UNIX-CONNECT:/var/run/docker.sock"));
        ProcessBuilder pb = new ProcessBuilder(command);
        if (traffic != null) pb.redirectError(ProcessBuilder.Redirect.appendTo(traffic.toFile())).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        else pb.redirectErrorStream(true);
        Process proxy;
        try {
            proxy = pb.start();
        } catch (IOException noSocat) {
            if (Boolean.getBoolean("devswarm.requireInfra")) throw noSocat;
            org.junit.jupiter.api.Assumptions.abort("socat not installed");
            throw noSocat;
        }
        for (int i = 0; i < 50; i++) {
            try (var probe = new java.net.Socket("127.0.0.1", port)) {
                return proxy;
            } catch (IOException notYet) {
                Thread.sleep(20);
            }
        }
        proxy.destroy();
        throw new IllegalStateException("socat did not listen on " + port);
    }

    @Test
    @org.junit.jupiter.api.Timeout(60)
    @DisplayName("a TTY stream echoes through a terminal of the asked size and can be resized")
    void ttyStream() throws Exception {
        provider.create(handle, InstanceSpec.of(handle.name(), DockerEngine.BASE_IMAGE));
        try (var stream = provider.openStream(handle, new io.devswarm.core.provider.StreamRequest(List.of("sh"), Map.of(), null, null, true, 100, 30))) {
            stream.stdin().write("stty size; tty\n".getBytes());
            stream.stdin().flush();
            // resized only once the first size was printed: a sleep here lost the race on a loaded machine
            String before = readUntil(stream.stdout(), "/dev/pts/");
            stream.resize(120, 40);
            stream.stdin().write("stty size; exit 6\n".getBytes());
            stream.stdin().flush();
            String out = before + new String(stream.stdout().readAllBytes());
            assertThat(before).contains("30 100");
            assertThat(out).contains("40 120");
            assertThat(stream.waitFor(Duration.ofSeconds(10))).hasValue(6);
        }
    }

    /** What the stream printed up to and including {@code marker} (bounded by the spec's timeout). */
    private static String readUntil(java.io.InputStream in, String marker) throws IOException {
        StringBuilder seen = new StringBuilder();
        for (int b; !seen.toString().contains(marker) && (b = in.read()) >= 0; ) seen.append((char) b);
        return seen.toString();
    }

    @Test
    @DisplayName("an unreachable engine makes the provider unavailable and every call a clear, quick error")
    void unreachableEngine() {
        ProviderContext ctx = new ProviderContext("docker-test", Clock.systemUTC(), Map.of("host", "unix:///tmp/no-such-docker.sock"));
        DockerProvider down = new DockerProvider(DockerSettings.from(ctx), ctx);
        assertThat(new DockerProviderFactory().availability(ctx).reason()).contains("no Docker engine socket at /tmp/no-such-docker.sock");
        ProviderHealth health = down.health();
        assertThat(health.status()).isEqualTo(ProviderHealth.Status.UNAVAILABLE);
        assertThat(health.detail()).contains("unreachable");
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> down.create(handle, InstanceSpec.of(handle.name(), DockerEngine.BASE_IMAGE)))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ProviderException.Kind.UNAVAILABLE);
                    assertThat(e.getMessage()).contains("Docker engine at unix:///tmp/no-such-docker.sock is unreachable");
                });
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
        ProviderContext tcp = new ProviderContext("docker-test", Clock.systemUTC(), Map.of("host", "tcp://127.0.0.1:1"));
        assertThat(new DockerProvider(DockerSettings.from(tcp), tcp).health().detail()).contains("unreachable");
        assertThat(URI.create("tcp://127.0.0.1:1").getPort()).isEqualTo(1);
    }
}
