package io.devswarm.provider.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.devswarm.core.model.InstanceHandle;
import io.devswarm.core.model.InstanceSpec;
import io.devswarm.core.model.NetworkSpec;
import io.devswarm.core.model.ProviderHealth;
import io.devswarm.core.model.Resources;
import io.devswarm.core.provider.ExecRequest;
import io.devswarm.core.provider.Labels;
import io.devswarm.core.provider.ObservedInstance;
import io.devswarm.core.provider.ProviderContext;
import io.devswarm.core.provider.ProviderException;
import io.devswarm.core.provider.StreamRequest;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.PodMetricsBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The exact objects the provider makes, and how it changes and removes them, on the mock API server in CRUD mode. */
@EnableKubernetesMockClient(crud = true)
@DisplayName("Kubernetes provider: the objects it makes, scaling, deletion, errors")
class KubernetesObjectsTest {
    private static final String NS = "devenv";
    KubernetesMockServer server;
    KubernetesClient client;
    private KubernetesProvider provider;
    private FakeKubelet kubelet;

    @BeforeEach
    void start() {
        provider = provider(client, "inst-objects", Map.of("namespace", NS, "storage-class", "fast-ssd", "start-timeout", "20"));
        kubelet = new FakeKubelet(server, client, NS, pod -> { });
    }

    @AfterEach
    void stop() {
        kubelet.close();
    }

    /** The provider as a server makes it from its settings, on {@code client}. */
    private static KubernetesProvider provider(KubernetesClient client, String installation, Map<String, String> settings) {
        ProviderContext context = new ProviderContext(installation, Clock.systemUTC(), settings);
        return new KubernetesProvider(client, KubernetesSettings.from(context), context);
    }

    private static InstanceHandle handle() {
        String n = "ws-" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 30), 36);
        return new InstanceHandle("i-" + n, n, null);
    }

    private static InstanceSpec spec(String name) {
        return new InstanceSpec(name, "devswarm/dev", List.of(), Map.of("API_TOKEN", "s3cret"),
                new Resources(new Resources.Cpu(2, 1500), new Resources.Memory(512, 4096), 20), new NetworkSpec(List.of(3000), false), null,
                Map.of(), null);
    }

    @Test
    @DisplayName("create makes a one-replica StatefulSet: non-root uid 1000, no capabilities, claim templates for workspace, history and config")
    void statefulSet() {
        InstanceHandle h = handle();
        ObservedInstance created = provider.create(h, spec(h.name()));
        assertThat(created.state()).isEqualTo(ObservedInstance.State.RUNNING);
        assertThat(created.network().hostname()).isEqualTo(h.name() + "-0." + h.name() + "." + NS + ".svc");

        StatefulSet sts = client.apps().statefulSets().inNamespace(NS).withName(h.name()).get();
        assertThat(sts.getMetadata().getLabels()).containsEntry(Labels.MANAGED, "true").containsEntry(Labels.INSTANCE, h.id())
                .containsEntry(Labels.INSTALLATION, "inst-objects").containsEntry("app.kubernetes.io/managed-by", "devswarm");
        assertThat(sts.getSpec().getReplicas()).isEqualTo(1);
        assertThat(sts.getSpec().getServiceName()).isEqualTo(h.name());
        var pod = sts.getSpec().getTemplate().getSpec();
        assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(1000L);
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getFsGroup()).isEqualTo(1000L);
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        Container c = pod.getContainers().getFirst();
        assertThat(c.getImage()).isEqualTo("devswarm/dev");
        assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(c.getResources().getRequests()).containsEntry("cpu", new Quantity("2000m")).containsEntry("memory", new Quantity("512Mi"));
        assertThat(c.getResources().getLimits()).containsEntry("cpu", new Quantity("1500m")).containsEntry("memory", new Quantity("4096Mi"));
        assertThat(c.getEnv()).isEmpty(); // no values in the StatefulSet: they come from the Secret
        assertThat(c.getEnvFrom().getFirst().getSecretRef().getName()).isEqualTo(h.name() + "-env");
        assertThat(c.getVolumeMounts()).extracting(m -> m.getName() + ":" + m.getMountPath())
                .containsExactly("workspace:/workspace", "history:/commandhistory", "config:/home/developer/.config");
        assertThat(sts.getSpec().getVolumeClaimTemplates()).extracting(t -> t.getMetadata().getName() + "=" + t.getSpec().getResources().getRequests().get("storage")
                + "@" + t.getSpec().getStorageClassName()).containsExactly("workspace=20Gi@fast-ssd", "history=1Gi@fast-ssd", "config=1Gi@fast-ssd");
        assertThat(sts.getSpec().getVolumeClaimTemplates().getFirst().getMetadata().getLabels()).containsEntry(Labels.INSTANCE, h.id())
                .containsEntry(Labels.VOLUME, "workspace");
    }

    @Test
    @DisplayName("the environment lives in a Secret; a headless Service exposes SSH, HTTP and the spec's ports; a NetworkPolicy fences the pod")
    void secretServiceAndPolicy() {
        InstanceHandle h = handle();
        provider.create(h, spec(h.name()));

        Secret secret = client.secrets().inNamespace(NS).withName(h.name() + "-env").get();
        assertThat(secret.getStringData()).containsEntry("API_TOKEN", "s3cret");
        assertThat(secret.getMetadata().getLabels()).containsEntry(Labels.INSTANCE, h.id());

        Service svc = client.services().inNamespace(NS).withName(h.name()).get();
        assertThat(svc.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(svc.getSpec().getPorts()).extracting(p -> p.getName() + ":" + p.getPort()).containsExactly("ssh:22", "http:8080", "p-3000:3000");
        assertThat(svc.getSpec().getSelector()).containsEntry(Labels.INSTANCE, h.id());

        NetworkPolicy np = client.network().v1().networkPolicies().inNamespace(NS).withName(h.name() + "-isolation").get();
        assertThat(np.getSpec().getPolicyTypes()).containsExactly("Ingress", "Egress");
        assertThat(np.getSpec().getPodSelector().getMatchLabels()).containsEntry(Labels.INSTANCE, h.id());
        var from = np.getSpec().getIngress().getFirst().getFrom().getFirst();
        assertThat(from.getPodSelector()).isNotNull();
        assertThat(from.getNamespaceSelector()).isNull(); // this namespace only
        assertThat(np.getSpec().getEgress()).hasSize(2);
        assertThat(np.getSpec().getEgress().get(0).getPorts()).extracting(p -> p.getProtocol() + "/" + p.getPort().getIntVal()).containsExactly("UDP/53", "TCP/53");
        assertThat(np.getSpec().getEgress().get(1).getTo().getFirst().getIpBlock().getCidr()).isEqualTo("0.0.0.0/0");
        assertThat(np.getSpec().getEgress().get(1).getTo().getFirst().getIpBlock().getExcept()).contains("10.0.0.0/8", "192.168.0.0/16");

        InstanceHandle internal = handle();
        provider.create(internal, new InstanceSpec(internal.name(), "devswarm/dev", null, null, null, new NetworkSpec(List.of(), true), null, null, null));
        NetworkPolicy fenced = client.network().v1().networkPolicies().inNamespace(NS).withName(internal.name() + "-isolation").get();
        assertThat(fenced.getSpec().getEgress()).hasSize(1); // DNS only: no internet
    }

    @Test
    @DisplayName("stop scales to 0 and the claims stay; start scales back to 1")
    void stopStart() {
        InstanceHandle h = handle();
        provider.create(h, spec(h.name()));
        provider.stop(h, Duration.ofSeconds(1));
        assertThat(client.apps().statefulSets().inNamespace(NS).withName(h.name()).get().getSpec().getReplicas()).isZero();
        assertThat(provider.get(h)).get().extracting(ObservedInstance::state).isEqualTo(ObservedInstance.State.STOPPED);
        assertThat(claims(h)).hasSize(3);

        assertThat(provider.start(h).state()).isEqualTo(ObservedInstance.State.RUNNING);
        assertThat(client.apps().statefulSets().inNamespace(NS).withName(h.name()).get().getSpec().getReplicas()).isEqualTo(1);
    }

    @Test
    @DisplayName("delete with keepVolumes leaves the claims; without it, they go too; everything else always goes")
    void deletion() {
        InstanceHandle kept = handle();
        provider.create(kept, spec(kept.name()));
        provider.delete(kept, true);
        assertThat(client.apps().statefulSets().inNamespace(NS).withName(kept.name()).get()).isNull();
        assertThat(client.services().inNamespace(NS).withName(kept.name()).get()).isNull();
        assertThat(client.secrets().inNamespace(NS).withName(kept.name() + "-env").get()).isNull();
        assertThat(client.network().v1().networkPolicies().inNamespace(NS).withName(kept.name() + "-isolation").get()).isNull();
        assertThat(claims(kept)).hasSize(3);

        InstanceHandle gone = handle();
        provider.create(gone, spec(gone.name()));
        provider.delete(gone, false);
        assertThat(claims(gone)).isEmpty();
        provider.delete(gone, false); // again: nothing left, no error
    }

    @Test
    @DisplayName("list finds what this installation owns by labels (adoption), including an orphan the reconciler can delete")
    void listByLabels() {
        InstanceHandle h = handle();
        provider.create(h, spec(h.name()));
        StatefulSet orphan = new StatefulSetBuilder().withNewMetadata().withName("orphan-1").withNamespace(NS)
                .withLabels(Map.of(Labels.MANAGED, "true", Labels.INSTALLATION, "inst-objects", Labels.INSTANCE, "i-gone", Labels.NAME, "orphan-1")).endMetadata()
                .withNewSpec().withReplicas(0).endSpec().build();
        client.resource(orphan).create();
        StatefulSet foreign = new StatefulSetBuilder(orphan).editMetadata().withName("foreign-1").addToLabels(Labels.INSTALLATION, "someone-else").endMetadata()
                .build();
        client.resource(foreign).create();

        assertThat(provider.list(Map.of())).extracting(ObservedInstance::instanceId).contains(h.id(), "i-gone").doesNotContain((String) null);
        assertThat(provider.list(Map.of())).extracting(ObservedInstance::name).doesNotContain("foreign-1");
        provider.delete(new InstanceHandle("i-gone", "orphan-1", null), false);
        assertThat(client.apps().statefulSets().inNamespace(NS).withName("orphan-1").get()).isNull();
        assertThat(client.apps().statefulSets().inNamespace(NS).withName("foreign-1").get()).isNotNull();
    }

    @Test
    @DisplayName("a StatefulSet of the same name that is not this instance's is refused, not taken over")
    void foreignNameRefused() {
        InstanceHandle h = handle();
        provider.create(h, spec(h.name()));
        InstanceHandle impostor = new InstanceHandle("i-other", h.name(), null);
        assertThatThrownBy(() -> provider.create(impostor, spec(h.name()))).isInstanceOf(ProviderException.class).hasMessageContaining("not instance i-other");
        assertThat(provider.get(impostor)).isEmpty();
    }

    @Test
    @DisplayName("resize patches the pod template's requests and limits")
    void resize() {
        InstanceHandle h = handle();
        provider.create(h, spec(h.name()));
        provider.allocateResources(h, new Resources(new Resources.Cpu(1, 0), new Resources.Memory(0, 1024), 20));
        Container c = client.apps().statefulSets().inNamespace(NS).withName(h.name()).get().getSpec().getTemplate().getSpec().getContainers().getFirst();
        assertThat(c.getResources().getLimits()).containsEntry("memory", new Quantity("1024Mi")).doesNotContainKey("cpu");
    }

    @Test
    @DisplayName("exec passes env the pod does not already have, and leaves the Secret's values out of the request")
    void execEnv() throws Exception {
        InstanceHandle h = handle();
        provider.create(h, spec(h.name()));
        String pod = h.name() + "-0";
        kubelet.script(pod, List.of("env", "EXTRA=1", "sh", "-c", "echo $API_TOKEN $EXTRA"), false, "s3cret 1\n", "", 0);
        var r = provider.execute(h, new ExecRequest(List.of("sh", "-c", "echo $API_TOKEN $EXTRA"), Map.of("API_TOKEN", "s3cret", "EXTRA", "1"), null, null, null, 0));
        assertThat(r.stdout()).isEqualTo("s3cret 1\n");
        assertThat(server.getLastRequest().getPath()).doesNotContain("s3cret");
    }

    @Test
    @DisplayName("an interactive shell gets a terminal and its size as the first resize message")
    void terminal() throws Exception {
        InstanceHandle h = handle();
        provider.create(h, spec(h.name()));
        kubelet.scriptTerminal(h.name() + "-0", List.of("/bin/sh", "-l"), 120, 40);
        try (var stream = provider.openStream(h, new StreamRequest(List.of(), null, null, null, true, 120, 40))) {
            stream.closeStdin();
            assertThat(new String(stream.stdout().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("120x40\r\n");
            assertThat(stream.waitFor(Duration.ofSeconds(5))).hasValue(0);
        }
    }

    @Test
    @DisplayName("RBAC refusals name the missing permission; they are not retried")
    void rbacForbidden() {
        InstanceHandle h = handle();
        server.expect().post().withPath("/api/v1/namespaces/" + NS + "/secrets").andReturn(403, new StatusBuilder().withCode(403).withReason("Forbidden")
                .withMessage("secrets is forbidden: User \"system:serviceaccount:devswarm:devswarm\" cannot create resource \"secrets\" in API group \"\" in the namespace \"devenv\"")
                .build()).once();
        assertThatThrownBy(() -> provider.create(h, spec(h.name()))).isInstanceOfSatisfying(ProviderException.class, e -> {
            assertThat(e.kind()).isEqualTo(ProviderException.Kind.REJECTED);
            assertThat(e.getMessage()).contains("forbidden by RBAC", "cannot create resource \"secrets\"", "provider-rbac.yaml");
        });
    }

    @Test
    @DisplayName("an unreachable cluster: health says unavailable and calls fail fast with a retryable error")
    void unreachable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Config config = new ConfigBuilder().withMasterUrl("https://127.0.0.1:" + port).withConnectionTimeout(1000).withRequestTimeout(2000)
                .withRequestRetryBackoffLimit(0).build();
        try (KubernetesClient dead = new KubernetesClientBuilder().withConfig(config).build()) {
            KubernetesProvider p = provider(dead, "inst-x", Map.of("namespace", NS, "start-timeout", "5"));
            assertThat(p.health().status()).isEqualTo(ProviderHealth.Status.UNAVAILABLE);
            InstanceHandle h = handle();
            assertThatThrownBy(() -> p.create(h, spec(h.name()))).isInstanceOfSatisfying(ProviderException.class, e -> {
                assertThat(e.kind()).isEqualTo(ProviderException.Kind.UNAVAILABLE);
                assertThat(e.getMessage()).contains("unreachable");
            });
        }
    }

    @Test
    @DisplayName("usage comes from the metrics API when the cluster has one")
    void usageFromMetrics() {
        InstanceHandle h = handle();
        provider.create(h, spec(h.name()));
        server.expect().get().withPath("/apis/metrics.k8s.io/v1beta1/namespaces/" + NS + "/pods/" + h.name() + "-0")
                .andReturn(200, new PodMetricsBuilder().withNewMetadata().withName(h.name() + "-0").endMetadata()
                        .addNewContainer().withName("workspace").addToUsage("cpu", new Quantity("250m")).addToUsage("memory", new Quantity("300Mi")).endContainer()
                        .build()).once();
        var usage = provider.resourceUsage(h);
        assertThat(usage.cpu().usagePercent()).isEqualTo(25.0);
        assertThat(usage.cpu().limitMillicores()).isEqualTo(1500);
        assertThat(usage.memory().usageMb()).isEqualTo(300);
        assertThat(usage.memory().limitMb()).isEqualTo(4096);
    }

    @Test
    @DisplayName("without a metrics API, usage is read from the pod's cgroup, so idle auto-stop still sees a busy build")
    void usageFromCgroup() {
        InstanceHandle h = handle();
        provider.create(h, spec(h.name()));
        kubelet.script(h.name() + "-0", List.of("sh", "-c", CgroupSample.SCRIPT), false, "usage_usec 1000000\nusage_usec 1450000\n104857600\n", "", 0);
        var usage = provider.resourceUsage(h);
        assertThat(usage.cpu().usagePercent()).isEqualTo(45.0);
        assertThat(usage.memory().usageMb()).isEqualTo(100);
    }

    @Test
    @DisplayName("a volume grows by patching its claim; a smaller size leaves it as it is")
    void extendVolume() throws Exception {
        InstanceHandle h = handle();
        provider.create(h, spec(h.name()));
        String claim = "workspace-" + h.name() + "-0";
        provider.extendVolume(h, "workspace", 30);
        assertThat(client.persistentVolumeClaims().inNamespace(NS).withName(claim).get().getSpec().getResources().getRequests())
                .containsEntry("storage", new Quantity("30Gi"));
        provider.extendVolume(h, "workspace", 5);
        assertThat(client.persistentVolumeClaims().inNamespace(NS).withName(claim).get().getSpec().getResources().getRequests())
                .containsEntry("storage", new Quantity("30Gi"));
        assertThatThrownBy(() -> provider.extendVolume(h, "nope", 5)).isInstanceOf(ProviderException.class).hasMessageContaining("no claim nope-");
    }

    private List<PersistentVolumeClaim> claims(InstanceHandle h) {
        return client.persistentVolumeClaims().inNamespace(NS).withLabel(Labels.INSTANCE, h.id()).list().getItems();
    }
}
