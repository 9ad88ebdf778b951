package io.devswarm.provider.kubernetes;

import io.devswarm.core.model.InstanceSpec;
import io.devswarm.core.provider.Provider;
import io.devswarm.core.provider.ProviderContext;
import io.devswarm.core.provider.feature.ExecStreams;
import io.devswarm.core.provider.feature.LiveResize;
import io.devswarm.core.provider.feature.VolumeExtension;
import io.devswarm.core.testing.ProviderContract;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;

/**
 * The provider contract against fabric8's Kubernetes mock server in CRUD mode. No controllers run
 * there, so {@link FakeKubelet} plays StatefulSet controller and kubelet, and the commands the
 * contract runs are answered by scripted exec expectations: what is verified here is how the
 * provider drives the API (objects, scaling, the exec protocol with its stdin data and end-of-input
 * frames, exit codes, caps, timeouts), not what a real container does with the commands; the Docker
 * provider's run of the same contract does that.
 */
@EnableKubernetesMockClient(crud = true)
@DisplayName("Kubernetes provider against the mock API server: the provider contract")
class KubernetesContractTest extends ProviderContract {
    static KubernetesMockServer server;
    static KubernetesClient client;
    private static KubernetesProvider provider;
    private static FakeKubelet kubelet;

    @BeforeAll
    static void start() {
        ProviderContext context = new ProviderContext("inst-contract", Clock.systemUTC(), Map.of("start-timeout", "20"));
        provider = new KubernetesProvider(client, KubernetesSettings.from(context), context);
        kubelet = new FakeKubelet(server, client, "devenv", KubernetesContractTest::scriptContractCommands);
    }

    @AfterAll
    static void stop() {
        kubelet.close();
    }

    /** The commands ProviderContract runs, answered as a POSIX shell would. */
    private static void scriptContractCommands(String pod) {
        kubelet.script(pod, List.of("sh", "-c", "echo out; echo err >&2"), false, "out\n", "err\n", 0);
        kubelet.script(pod, List.of("sh", "-c", "exit 3"), false, "", "", 3);
        kubelet.script(pod, List.of("env", "GREETING=hello", "sh", "-c", "echo $GREETING"), false, "hello\n", "", 0);
        kubelet.script(pod, List.of("sleep", "30"), false, "", "", null);
        kubelet.script(pod, List.of("sh", "-c", "head -c 100000 /dev/zero | tr '\\0' x"), false, "x".repeat(100_000), "", 0);
        kubelet.scriptCat(pod, List.of("cat"), "hello through the stream\n");
        kubelet.script(pod, List.of("sh", "-c", "echo bye >&2; exit 7"), true, "", "bye\n", 7);
        kubelet.script(pod, List.of("sh", "-c", "echo precious > /workspace/data.txt"), false, "", "", 0);
        kubelet.script(pod, List.of("cat", "/workspace/data.txt"), false, "precious\n", "", 0);
    }

    @Override
    protected Set<Class<?>> features() {
        return Set.of(ExecStreams.class, LiveResize.class, VolumeExtension.class);
    }

    @Override
    protected Provider provider() {
        return provider;
    }

    @Override
    protected InstanceSpec spec(String name) {
        return InstanceSpec.of(name, "devswarm/dev");
    }
}
