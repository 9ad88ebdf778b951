package io.devswarm.provider.kubernetes;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.dsl.EventDoneable;
import io.fabric8.mockwebserver.dsl.TimesOnceableOrHttpHeaderable;
import io.fabric8.mockwebserver.internal.WebSocketMessage;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * What the mock server in CRUD mode lacks: a StatefulSet controller and a kubelet. Every few
 * milliseconds it makes pod {@code <name>-0} (Running, Ready, with an IP) and the claims of the
 * volume claim templates for each StatefulSet scaled to 1, and removes the pod of one scaled to
 * 0. Exec answers are scripted per pod with {@link #script}.
 */
final class FakeKubelet implements AutoCloseable {
    private final KubernetesMockServer server;
    private final KubernetesClient client;
    private final String namespace;
    private final Consumer<String> onPodCreated;
    private final Thread loop;
    private final AtomicInteger ips = new AtomicInteger(2);
    private volatile boolean running = true;

    FakeKubelet(KubernetesMockServer server, KubernetesClient client, String namespace, Consumer<String> onPodCreated) {
        this.server = server;
        this.client = client;
        this.namespace = namespace;
        this.onPodCreated = onPodCreated;
        this.loop = Thread.ofVirtual().name("fake-kubelet").start(this::run);
    }

    private void run() {
        while (running) {
            try {
                for (StatefulSet sts : client.apps().statefulSets().inNamespace(namespace).list().getItems()) reconcile(sts);
                Thread.sleep(30);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (!running) return; // the server went away first
            }
        }
    }

    private void reconcile(StatefulSet sts) {
        String name = sts.getMetadata().getName() + "-0";
        Pod pod = client.pods().inNamespace(namespace).withName(name).get();
        int replicas = sts.getSpec().getReplicas() == null ? 1 : sts.getSpec().getReplicas();
        if (replicas > 0 && pod == null) {
            for (var claim : sts.getSpec().getVolumeClaimTemplates()) {
                String claimName = claim.getMetadata().getName() + "-" + name;
                if (client.persistentVolumeClaims().inNamespace(namespace).withName(claimName).get() == null) {
                    client.persistentVolumeClaims().inNamespace(namespace).resource(new PersistentVolumeClaimBuilder(claim).editMetadata().withName(claimName)
                            .withNamespace(namespace).endMetadata().build()).create();
                }
            }
            onPodCreated.accept(name);
            client.pods().inNamespace(namespace).resource(new PodBuilder().withNewMetadata().withName(name).withNamespace(namespace)
                    .withLabels(sts.getSpec().getTemplate().getMetadata().getLabels()).endMetadata()
                    .withSpec(sts.getSpec().getTemplate().getSpec())
                    .withNewStatus().withPhase("Running").withPodIP("10.244.0." + ips.getAndIncrement())
                    .addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build()).create();
        } else if (replicas == 0 && pod != null) {
            client.pods().inNamespace(namespace).withName(name).delete();
        }
    }

    /**
     * The answer of the exec of {@code command} in {@code pod}: output and an exit code as soon as it
     * starts (null: it never ends). With {@code stdin}, the end of input is expected too, as the
     * mock closes a socket that sends anything it was not told to expect.
     */
    void script(String pod, List<String> command, boolean stdin, String stdout, String stderr, Integer exit) {
        var emits = socket(pod, command, stdin, false);
        if (!stdout.isEmpty()) emits = emits.immediately().andEmit(frame(STDOUT, stdout));
        if (!stderr.isEmpty()) emits = emits.immediately().andEmit(frame(STDERR, stderr));
        if (exit != null) emits = emits.immediately().andEmit(frame(STATUS, status(exit)));
        if (stdin) emits = emits.expect(EOF).andEmit(frame(STDOUT, "")).always();
        hold(emits, exit);
    }

    /** {@code cat}: every line written to stdin comes back on stdout; the exit status comes only after the end of input. */
    void scriptCat(String pod, List<String> command, String line) {
        var emits = socket(pod, command, true, false).expect("\u0000" + line).andEmit(frame(STDOUT, line)).always().expect(EOF).andEmit(frame(STATUS, status(0)))
                .always();
        hold(emits, null);
    }

    /** A shell with a terminal: the first message must be the terminal size, then the shell exits. */
    void scriptTerminal(String pod, List<String> command, int columns, int rows) {
        var emits = socket(pod, command, true, true)
                .expect("\u0004{\"Width\":" + columns + ",\"Height\":" + rows + "}").andEmit(frame(STDOUT, columns + "x" + rows + "\r\n")).always()
                .expect(EOF).andEmit(frame(STATUS, status(0))).always();
        hold(emits, null);
    }

    /** The v5 close frame [255, 0] as the mock sees it: binary frames reach it decoded as UTF-8. */
    private static final String EOF = new String(new byte[] {(byte) 255, 0}, StandardCharsets.UTF_8);
    private static final char STDOUT = 1, STDERR = 2, STATUS = 3;

    private EventDoneable<TimesOnceableOrHttpHeaderable<Void>> socket(String pod, List<String> command, boolean stdin, boolean tty) {
        String path = "/api/v1/namespaces/" + namespace + "/pods/" + pod + "/exec?"
                + command.stream().map(c -> "command=" + URLEncoder.encode(c, StandardCharsets.UTF_8).replace("+", "%20")).collect(Collectors.joining("&"))
                + "&container=workspace" + (stdin ? "&stdin=true" : "") + (tty ? "&stdout=true&tty=true" : "&stdout=true&stderr=true");
        return server.expect().get().withPath(path).andUpgradeToWebSocket().open();
    }

    /** The socket stays open after the last answer (the client hangs up, as after a real exec); a command without exit code outlives the 1 s timeouts tests give it. */
    private static void hold(EventDoneable<TimesOnceableOrHttpHeaderable<Void>> emits, Integer exit) {
        emits.waitFor(5_000).andEmit(new WebSocketMessage(5_000L, STATUS + status(exit == null ? 0 : exit), false, true)).done().always();
    }

    private static WebSocketMessage frame(char channel, String body) {
        return new WebSocketMessage(0L, channel + body, false, true);
    }

    private static String status(int exit) {
        if (exit == 0) return Serialization.asJson(new StatusBuilder().withStatus("Success").build());
        return Serialization.asJson(new StatusBuilder().withStatus("Failure").withReason("NonZeroExitCode").withNewDetails()
                .addNewCause().withReason("ExitCode").withMessage(Integer.toString(exit)).endCause().endDetails().build());
    }

    @Override
    public void close() {
        running = false;
        loop.interrupt();
    }
}
