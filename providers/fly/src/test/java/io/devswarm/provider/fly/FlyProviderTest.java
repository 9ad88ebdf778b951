package io.devswarm.provider.fly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.devswarm.core.model.InstanceHandle;
import io.devswarm.core.model.InstanceSpec;
import io.devswarm.core.model.NetworkSpec;
import io.devswarm.core.model.ProviderHealth;
import io.devswarm.core.model.Resources;
import io.devswarm.core.model.VolumeSpec;
import io.devswarm.core.provider.ExecRequest;
import io.devswarm.core.provider.Labels;
import io.devswarm.core.provider.ObservedInstance;
import io.devswarm.core.provider.ProviderContext;
import io.devswarm.core.provider.ProviderException;
import io.devswarm.core.testing.HostCommand;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

/** What the Fly provider asks of the Machines API and how it meets Fly's answers, against the contract-checked stand-in. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("Fly provider: mapping, waits, leases, capacity, limits, suspend, volumes")
class FlyProviderTest {
    private FlyStandIn standIn;
    private FlyApi api;

    @BeforeAll
    void start() throws Exception {
        HostCommand.requireDocker();
        standIn = new FlyStandIn();
        api = new FlyApi(standIn.url(), FlyStandIn.TOKEN);
    }

    @AfterAll
    void stop() {
        if (standIn == null) return;
        try {
            assertThat(standIn.violations()).as("requests and answers outside Fly's published contract").isEmpty();
        } finally {
            standIn.close();
        }
    }

    private FlyProvider provider(String autostop, Duration wait) {
        return provider(FlyStandIn.TOKEN, autostop, wait);
    }

    /**
     * The provider as a server makes it from its settings, on the stand-in; {@code wait} is set on the
     * bound record, as a test needs less than the key's whole seconds.
     */
    private FlyProvider provider(String token, String autostop, Duration wait) {
        var context = new ProviderContext("inst-fly", Clock.systemUTC(), Map.of("token", token, "api-url", standIn.url().toString(), "region", "ams",
                "app-pattern", "ds-{name}", "autostop", autostop));
        FlySettings s = FlySettings.from(context);
        return new FlyProvider(new FlySettings(s.token(), s.apiUrl(), s.org(), s.region(), s.appPattern(), s.cpuKind(), s.autostop(), wait,
                s.extendThresholdPercent(), s.extendStepGb(), s.extendMaxGb()), context);
    }

    private static InstanceHandle handle() {
        String n = "fly-" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 30), 36);
        return new InstanceHandle("i-" + n, n, null);
    }

    private static InstanceSpec spec(String name) {
        return new InstanceSpec(name, "devswarm/base", List.of(), Map.of("GREETING", "hi"), new Resources(new Resources.Cpu(2, 0), new Resources.Memory(0, 1000), 10),
                new NetworkSpec(List.of(3000), false), List.of(VolumeSpec.workspace(10), new VolumeSpec("cache", 1, false, "/cache")), Map.of(), null);
    }

    private JsonNode machine(InstanceHandle h) {
        return api.get("/apps/ds-" + h.name() + "/machines").get(0);
    }

    @Test
    @DisplayName("create makes the app, a volume in the region, and a machine with guest, mounts, services, autostop and devswarm's metadata")
    void mapping() {
        FlyProvider p = provider("stop", Duration.ofSeconds(30));
        InstanceHandle h = handle();
        ObservedInstance seen = p.create(h, spec(h.name()));
        assertThat(seen.state()).isEqualTo(ObservedInstance.State.RUNNING);
        assertThat(seen.network().hostname()).isEqualTo("ds-" + h.name() + ".fly.dev");
        assertThat(seen.network().internalIp()).startsWith("fdaa:");

        JsonNode m = machine(h);
        assertThat(m.path("region").asString()).isEqualTo("ams");
        JsonNode c = m.path("config");
        assertThat(c.path("guest").path("cpu_kind").asString()).isEqualTo("shared");
        assertThat(c.path("guest").path("cpus").asInt()).isEqualTo(2);
        assertThat(c.path("guest").path("memory_mb").asInt()).isEqualTo(1024); // Fly's 256 MB steps
        assertThat(c.path("env").path("GREETING").asString()).isEqualTo("hi");
        assertThat(c.path("mounts")).hasSize(1); // the tmpfs entry has no Fly volume
        assertThat(c.path("mounts").get(0).path("path").asString()).isEqualTo("/workspace");
        assertThat(c.path("mounts").get(0).path("extend_threshold_percent").asInt()).isEqualTo(80);
        assertThat(c.path("mounts").get(0).path("add_size_gb").asInt()).isEqualTo(5);
        assertThat(c.path("mounts").get(0).path("size_gb_limit").asInt()).isEqualTo(100);
        JsonNode volumes = api.get("/apps/ds-" + h.name() + "/volumes");
        assertThat(volumes.get(0).path("name").asString()).isEqualTo("workspace");
        assertThat(volumes.get(0).path("region").asString()).isEqualTo("ams");
        assertThat(volumes.get(0).path("size_gb").asInt()).isEqualTo(10);
        assertThat(c.path("mounts").get(0).path("volume").asString()).isEqualTo(volumes.get(0).path("id").asString());
        JsonNode ssh = c.path("services").get(0);
        assertThat(ssh.path("internal_port").asInt()).isEqualTo(2222);
        assertThat(ssh.path("ports").get(0).path("port").asInt()).isEqualTo(10022);
        assertThat(ssh.path("autostop").asBoolean()).isTrue();
        assertThat(ssh.path("autostart").asBoolean()).isTrue();
        JsonNode web = c.path("services").get(1);
        assertThat(web.path("internal_port").asInt()).isEqualTo(3000);
        assertThat(web.path("ports").get(0).path("handlers").valueStream().map(JsonNode::asString).toList()).containsExactly("tls", "http");
        assertThat(c.path("metadata").path(Labels.INSTANCE).asString()).isEqualTo(h.id());
        assertThat(c.path("metadata").path(Labels.MANAGED).asString()).isEqualTo("true");

        assertThat(p.execute(h, ExecRequest.of("sh", "-c", "echo $GREETING")).stdout()).isEqualTo("hi\n");
        p.delete(h, false);
    }

    @Test
    @DisplayName("wait answers 408 until the state is reached: the provider asks again, and gives up at its own deadline")
    void waitLoop() {
        InstanceHandle h = handle();
        standIn.waitsBeforeReady.set(3);
        assertThat(provider("stop", Duration.ofSeconds(30)).create(h, spec(h.name())).state()).isEqualTo(ObservedInstance.State.RUNNING);

        standIn.waitsBeforeReady.set(1_000_000);
        FlyProvider impatient = provider("stop", Duration.ofMillis(200));
        assertThatThrownBy(() -> impatient.start(h)).isInstanceOfSatisfying(ProviderException.class, e -> {
            assertThat(e.kind()).isEqualTo(ProviderException.Kind.TIMEOUT);
            assertThat(e.getMessage()).contains("did not reach started");
        });
        standIn.waitsBeforeReady.set(0);
        provider("stop", Duration.ofSeconds(30)).delete(h, false);
    }

    @Test
    @DisplayName("a machine leased by another client: changes are refused as busy (retryable), nothing is forced")
    void leaseConflict() {
        FlyProvider p = provider("stop", Duration.ofSeconds(30));
        InstanceHandle h = handle();
        p.create(h, spec(h.name()));
        standIn.leaseAsSomeoneElse(machine(h).path("id").asString(), 30);
        assertThatThrownBy(() -> p.stop(h, Duration.ofSeconds(1))).isInstanceOfSatisfying(ProviderException.class, e -> {
            assertThat(e.kind()).isEqualTo(ProviderException.Kind.BUSY);
            assertThat(e.isTransient()).isTrue();
            assertThat(e.getMessage()).contains("leased by another client");
        });
        assertThat(machine(h).path("state").asString()).isEqualTo("started");
        standIn.leaseAsSomeoneElse(machine(h).path("id").asString(), -1);
        p.delete(h, false);
    }

    @Test
    @DisplayName("no capacity (412) and rate limits (429) are busy, worth a retry, and say so; a retried create converges")
    void capacityAndRateLimits() {
        FlyProvider p = provider("stop", Duration.ofSeconds(30));
        InstanceHandle h = handle();
        standIn.capacityRefusals.set(1);
        assertThatThrownBy(() -> p.create(h, spec(h.name()))).isInstanceOfSatisfying(ProviderException.class, e -> {
            assertThat(e.kind()).isEqualTo(ProviderException.Kind.BUSY);
            assertThat(e.getMessage()).contains("no capacity", "insufficient resources");
        });
        assertThat(p.create(h, spec(h.name())).state()).isEqualTo(ObservedInstance.State.RUNNING);
        assertThat(api.get("/apps/ds-" + h.name() + "/volumes")).hasSize(1); // the first try's volume, reused

        standIn.rateLimits.set(1);
        assertThatThrownBy(() -> p.get(h)).isInstanceOfSatisfying(ProviderException.class, e -> {
            assertThat(e.kind()).isEqualTo(ProviderException.Kind.BUSY);
            assertThat(e.getMessage()).contains("rate limited", "retry after 1 s");
        });
        p.delete(h, false);
    }

    @Test
    @DisplayName("a refused token is a clear, permanent error; health says the provider is unavailable")
    void badToken() {
        FlyProvider p = provider("wrong", "stop", Duration.ofSeconds(5));
        assertThat(p.health().status()).isEqualTo(ProviderHealth.Status.UNAVAILABLE);
        InstanceHandle h = handle();
        assertThatThrownBy(() -> p.create(h, spec(h.name()))).isInstanceOfSatisfying(ProviderException.class, e -> {
            assertThat(e.kind()).isEqualTo(ProviderException.Kind.REJECTED);
            assertThat(e.getMessage()).contains("refused the API token");
        });
    }

    @Test
    @DisplayName("with autostop=suspend, stop suspends (memory kept) and start resumes")
    void suspend() {
        FlyProvider p = provider("suspend", Duration.ofSeconds(30));
        InstanceHandle h = handle();
        p.create(h, spec(h.name()));
        p.stop(h, Duration.ofSeconds(1));
        assertThat(p.get(h)).get().extracting(ObservedInstance::state).isEqualTo(ObservedInstance.State.SUSPENDED);
        assertThat(p.start(h).state()).isEqualTo(ObservedInstance.State.RUNNING);
        p.delete(h, false);
    }

    @Test
    @DisplayName("volumes grow through the extend endpoint and never shrink; delete keeps them on request, with their app")
    void volumes() {
        FlyProvider p = provider("stop", Duration.ofSeconds(30));
        InstanceHandle h = handle();
        p.create(h, spec(h.name()));
        p.extendVolume(h, "workspace", 15);
        p.extendVolume(h, "workspace", 12);
        assertThat(api.get("/apps/ds-" + h.name() + "/volumes").get(0).path("size_gb").asInt()).isEqualTo(15);

        p.delete(h, true);
        assertThat(p.get(h)).isEmpty();
        assertThat(api.get("/apps/ds-" + h.name() + "/volumes")).hasSize(1);
        p.delete(h, false);
        assertThat(api.get("/apps?org_slug=personal").path("apps").valueStream().map(a -> a.path("name").asString())).doesNotContain("ds-" + h.name());
    }

    @Test
    @DisplayName("resizing updates the machine's guest under a lease")
    void resize() {
        FlyProvider p = provider("stop", Duration.ofSeconds(30));
        InstanceHandle h = handle();
        p.create(h, spec(h.name()));
        p.allocateResources(h, new Resources(new Resources.Cpu(4, 0), new Resources.Memory(0, 4096), 10));
        assertThat(machine(h).path("config").path("guest").path("cpus").asInt()).isEqualTo(4);
        assertThat(machine(h).path("config").path("guest").path("memory_mb").asInt()).isEqualTo(4096);
        p.delete(h, false);
    }

    @Test
    @DisplayName("region per instance from metadata fly.region; an instance that never idles out gets no autostop")
    void regionAndNoAutostop() {
        FlyProvider p = provider("stop", Duration.ofSeconds(30));
        InstanceHandle h = handle();
        InstanceSpec spec = spec(h.name()).withMetadata(Map.of("fly.region", "syd")).withIdleTimeout(Duration.ZERO);
        p.create(h, spec);
        assertThat(machine(h).path("region").asString()).isEqualTo("syd");
        assertThat(api.get("/apps/ds-" + h.name() + "/volumes").get(0).path("region").asString()).isEqualTo("syd");
        assertThat(machine(h).path("config").path("services").get(0).has("autostop")).isFalse();
        p.delete(h, false);
    }

    @Test
    @DisplayName("usage is read from the VM's own /proc through exec")
    void usage() {
        FlyProvider p = provider("stop", Duration.ofSeconds(30));
        InstanceHandle h = handle();
        p.create(h, spec(h.name()));
        var usage = p.resourceUsage(h);
        assertThat(usage.cpu().usagePercent()).isBetween(0.0, 100.0 * Runtime.getRuntime().availableProcessors() + 1);
        assertThat(usage.memory().usageMb()).isPositive();
        assertThat(usage.memory().limitMb()).isEqualTo(1024);
        p.delete(h, false);
    }

    @Test
    @DisplayName("volume snapshots are created and listed through the snapshots endpoints")
    void snapshots() {
        FlyProvider p = provider("stop", Duration.ofSeconds(30));
        InstanceHandle h = handle();
        p.create(h, spec(h.name()));
        assertThat(p.snapshots(h, "workspace")).isEmpty();
        p.createSnapshot(h, "workspace");
        assertThat(p.snapshots(h, "workspace")).singleElement().satisfies(s -> {
            assertThat(s.volumeName()).isEqualTo("workspace");
            assertThat(s.status()).isEqualTo("created");
        });
        assertThatThrownBy(() -> p.snapshots(h, "nope")).isInstanceOf(ProviderException.class).hasMessageContaining("no volume nope");
        p.delete(h, false);
    }

    @Test
    @DisplayName("the contract check itself catches a request outside the document")
    void contractCatchesDrift() {
        FlyContract contract = new FlyContract();
        contract.check("POST", "/v1/apps/x/volumes", Map.of(), "{\"name\":\"v\",\"size_gb\":\"ten\"}", 200, "{\"id\":\"vol_1\"}");
        assertThat(contract.violations()).anySatisfy(v -> assertThat(v).contains("size_gb"));
    }
}
