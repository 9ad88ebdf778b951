package io.devswarm.provider.kubernetes;

import io.devswarm.core.model.CommandResult;
import io.devswarm.core.model.InstanceHandle;
import io.devswarm.core.model.InstanceSpec;
import io.devswarm.core.model.NetworkInfo;
import io.devswarm.core.model.ProviderHealth;
import io.devswarm.core.model.ResourceUsage;
import io.devswarm.core.model.Resources;
import io.devswarm.core.provider.ExecRequest;
import io.devswarm.core.provider.ExecStream;
import io.devswarm.core.provider.Labels;
import io.devswarm.core.provider.ObservedInstance;
import io.devswarm.core.provider.Provider;
import io.devswarm.core.provider.ProviderContext;
import io.devswarm.core.provider.ProviderException;
import io.devswarm.core.provider.ProviderException.Kind;
import io.devswarm.core.provider.StreamRequest;
import io.devswarm.core.provider.feature.ExecStreams;
import io.devswarm.core.provider.feature.LiveResize;
import io.devswarm.core.provider.feature.VolumeExtension;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.ContainerMetrics;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.PodMetrics;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.api.model.Quantity;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Instances as one-replica StatefulSets (seed 003): start and stop scale between 1 and 0, so the
 * volume claims, and the data on them, outlive the pod. Exec and interactive streams go through
 * the pods/exec API.
 */
final class KubernetesProvider implements Provider, ExecStreams, LiveResize, VolumeExtension {
    static final String NAME = "kubernetes";
    private static final Logger log = LoggerFactory.getLogger(KubernetesProvider.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Set<String> HOPELESS = Set.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName", "CreateContainerConfigError",
            "CreateContainerError", "CrashLoopBackOff");

    private final KubernetesClient client;
    private final String namespace;
    private final String installation;
    private final Manifests manifests;
    private final Duration startTimeout;
    private final Clock clock;
    private volatile boolean metricsAbsentSaid;

    KubernetesProvider(KubernetesClient client, KubernetesSettings settings, ProviderContext context) {
        this.client = client;
        this.namespace = settings.namespace();
        this.installation = context.installationId();
        this.manifests = new Manifests(namespace, settings.storageClass());
        this.startTimeout = settings.startTimeout();
        this.clock = context.clock();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ProviderHealth health() {
        try {
            client.apps().statefulSets().inNamespace(namespace).list(new ListOptionsBuilder().withLimit(1L).build());
            return ProviderHealth.healthy(0, 0);
        } catch (KubernetesClientException e) {
            return ProviderHealth.unavailable(KubeErrors.translate("list statefulsets", namespace, e).getMessage());
        } catch (RuntimeException e) {
            return ProviderHealth.unavailable("cluster unreachable: " + e.getMessage());
        }
    }

    @Override
    public ObservedInstance create(InstanceHandle h, InstanceSpec spec) {
        if (h.name().length() > 52) {
            throw new ProviderException(Kind.REJECTED, "Kubernetes StatefulSet names are at most 52 characters; '" + h.name() + "' is " + h.name().length());
        }
        return KubeErrors.call("create " + h.name(), namespace, () -> {
            StatefulSet existing = statefulSets(h);
            if (existing != null && !owned(existing, h)) {
                throw new ProviderException(Kind.REJECTED, "StatefulSet " + h.name() + " already exists in " + namespace + " and is not instance " + h.id());
            }
            Map<String, String> labels = labels(h);
            client.resource(manifests.envSecret(h, labels, spec)).createOr(op -> op.update());
            client.resource(manifests.service(h, labels, spec.network())).createOr(op -> op.update());
            client.resource(manifests.networkPolicy(h, labels, spec.network())).createOr(op -> op.update());
            if (existing == null) client.resource(manifests.statefulSet(h, labels, spec)).create();
            else scale(h, 1); // a retried create: the claims, and the data, are the ones made the first time
            return awaitRunning(h);
        });
    }

    /** The instance's Secret, which the pod reads through envFrom, holds exactly this environment. */
    @Override
    public boolean hasEnvironment(InstanceHandle h, Map<String, String> env) {
        return KubeErrors.call("read the environment of " + h.name(), namespace, () -> podEnv(h).equals(env));
    }

    @Override
    public ObservedInstance start(InstanceHandle h) {
        return KubeErrors.call("start " + h.name(), namespace, () -> {
            requireOwned(h);
            scale(h, 1);
            return awaitRunning(h);
        });
    }

    @Override
    public void stop(InstanceHandle h, Duration grace) {
        KubeErrors.call("stop " + h.name(), namespace, () -> {
            requireOwned(h);
            scale(h, 0);
            Instant deadline = clock.instant().plus(grace).plusSeconds(60);
            while (pod(h) != null) {
                if (clock.instant().isAfter(deadline)) throw new ProviderException(Kind.TIMEOUT, "pod " + Manifests.pod(h) + " still there after scaling to 0");
                sleep();
            }
            return null;
        });
    }

    @Override
    public void delete(InstanceHandle h, boolean keepVolumes) {
        KubeErrors.call("delete " + h.name(), namespace, () -> {
            StatefulSet sts = statefulSets(h);
            if (sts != null && owned(sts, h)) {
                client.apps().statefulSets().inNamespace(namespace).withName(h.name()).delete();
                client.pods().inNamespace(namespace).withName(Manifests.pod(h)).delete();
            }
            Map<String, String> mine = Map.of(Labels.INSTALLATION, installation, Labels.INSTANCE, h.id());
            client.services().inNamespace(namespace).withLabels(mine).delete();
            client.secrets().inNamespace(namespace).withLabels(mine).delete();
            client.network().v1().networkPolicies().inNamespace(namespace).withLabels(mine).delete();
            if (!keepVolumes) client.persistentVolumeClaims().inNamespace(namespace).withLabels(mine).delete();
            return null;
        });
    }

    @Override
    public Optional<ObservedInstance> get(InstanceHandle h) {
        return KubeErrors.call("get " + h.name(), namespace, () -> {
            StatefulSet sts = statefulSets(h);
            return sts == null || !owned(sts, h) ? Optional.empty() : Optional.of(observe(sts, pod(h)));
        });
    }

    @Override
    public List<ObservedInstance> list(Map<String, String> labels) {
        return KubeErrors.call("list instances", namespace, () -> {
            Map<String, String> selector = new LinkedHashMap<>(labels);
            selector.put(Labels.MANAGED, "true");
            selector.put(Labels.INSTALLATION, installation);
            List<ObservedInstance> out = new ArrayList<>();
            for (StatefulSet sts : client.apps().statefulSets().inNamespace(namespace).withLabels(selector).list().getItems()) {
                out.add(observe(sts, client.pods().inNamespace(namespace).withName(sts.getMetadata().getName() + "-0").get()));
            }
            return out;
        });
    }

    /** Patches the StatefulSet: the pod restarts with the new limits, its volumes kept. */
    @Override
    public void allocateResources(InstanceHandle h, Resources resources) {
        KubeErrors.call("resize " + h.name(), namespace, () -> {
            requireOwned(h);
            client.apps().statefulSets().inNamespace(namespace).withName(h.name()).edit(sts -> {
                sts.getSpec().getTemplate().getSpec().getContainers().getFirst().setResources(Manifests.resources(resources));
                return sts;
            });
            return null;
        });
    }

    /**
     * From the metrics API (metrics-server) when the cluster has it; otherwise from the pod's own
     * cgroup (cpu.stat sampled one second apart, memory.current), so idle auto-stop still sees a busy
     * build on clusters without metrics.
     */
    @Override
    public ResourceUsage resourceUsage(InstanceHandle h) {
        return KubeErrors.call("usage of " + h.name(), namespace, () -> {
            StatefulSet sts = requireOwned(h);
            var limits = sts.getSpec().getTemplate().getSpec().getContainers().getFirst().getResources().getLimits();
            int cpuLimit = limits != null && limits.get("cpu") != null ? (int) (Quantity.getAmountInBytes(limits.get("cpu")).doubleValue() * 1000) : 0;
            long memLimit = limits != null && limits.get("memory") != null ? Quantity.getAmountInBytes(limits.get("memory")).longValue() >> 20 : 0;
            double cpuPercent;
            long memMb;
            PodMetrics metrics = podMetrics(h);
            if (metrics != null) {
                double cores = 0;
                long bytes = 0;
                for (ContainerMetrics c : metrics.getContainers()) {
                    cores += Quantity.getAmountInBytes(c.getUsage().get("cpu")).doubleValue();
                    bytes += Quantity.getAmountInBytes(c.getUsage().get("memory")).longValue();
                }
                cpuPercent = cores * 100;
                memMb = bytes >> 20;
            } else {
                CgroupSample sample = CgroupSample.parse(execute(h, ExecRequest.of("sh", "-c", CgroupSample.SCRIPT)).stdout());
                cpuPercent = sample.cpuPercent();
                memMb = sample.memoryMb();
            }
            return new ResourceUsage(new ResourceUsage.Cpu(cpuPercent, cpuLimit), new ResourceUsage.Memory(memMb, memLimit),
                    new ResourceUsage.Storage(0, 0), clock.instant());
        });
    }

    /** The pod's metrics, or null when the cluster has no metrics API. */
    private PodMetrics podMetrics(InstanceHandle h) {
        try {
            return client.top().pods().metrics(namespace, Manifests.pod(h));
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404 && e.getCode() != 503) throw e;
            if (!metricsAbsentSaid) {
                metricsAbsentSaid = true;
                log.info("kubernetes: no metrics API (metrics.k8s.io; install metrics-server): CPU and memory are read from each pod's cgroup instead");
            }
            return null;
        }
    }

    /** Grows the claim of {@code volumeName}; the StorageClass must allow expansion, which the API server checks. */
    @Override
    public void extendVolume(InstanceHandle h, String volumeName, int sizeGb) {
        KubeErrors.call("extend volume " + volumeName + " of " + h.name(), namespace, () -> {
            requireOwned(h);
            String claim = volumeName + "-" + Manifests.pod(h);
            var pvc = client.persistentVolumeClaims().inNamespace(namespace).withName(claim).get();
            if (pvc == null) throw new ProviderException(Kind.NOT_FOUND, "no claim " + claim + " in " + namespace);
            Quantity current = pvc.getSpec().getResources().getRequests().get("storage");
            if (current != null && Quantity.getAmountInBytes(current).longValue() >= (long) sizeGb << 30) return null; // never shrink
            client.persistentVolumeClaims().inNamespace(namespace).withName(claim).edit(p -> {
                p.getSpec().getResources().getRequests().put("storage", new Quantity(sizeGb + "Gi"));
                return p;
            });
            return null;
        });
    }

    @Override
    public CommandResult execute(InstanceHandle h, ExecRequest request) {
        return KubeErrors.call("exec in " + h.name(), namespace, () -> {
            requireOwned(h);
            List<String> command = command(h, request.command(), request.env(), request.workdir());
            Instant started = clock.instant();
            try (KubeExecSession session = KubeExecSession.open(client, namespace, Manifests.pod(h), Manifests.CONTAINER, command, false, false)) {
                Capture out = Capture.start(session.stdout(), request.maxOutputBytes());
                Capture err = Capture.start(session.stderr(), request.maxOutputBytes());
                OptionalInt exit;
                try {
                    exit = session.waitFor(request.timeout());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ProviderException(Kind.TIMEOUT, "interrupted", e);
                }
                // the API has no kill: hanging up is what a timed-out command gets (most take it as SIGHUP)
                boolean timedOut = exit.isEmpty() && !session.ended();
                session.close();
                return new CommandResult(exit.orElse(-1), out.finish(), err.finish(), timedOut, out.truncated() || err.truncated(),
                        Duration.between(started, clock.instant()));
            }
        });
    }

    @Override
    public ExecStream openStream(InstanceHandle h, StreamRequest request) {
        return KubeErrors.call("exec stream in " + h.name(), namespace, () -> {
            requireOwned(h);
            List<String> command = command(h, request.command().isEmpty() ? List.of("/bin/sh", "-l") : request.command(), request.env(), request.workdir());
            KubeExecSession session = KubeExecSession.open(client, namespace, Manifests.pod(h), Manifests.CONTAINER, command, true, request.tty());
            if (request.tty()) session.resize(request.columns(), request.rows());
            return session;
        });
    }

    /**
     * The pods/exec API takes no environment, so variables go in front as {@code env K=V}, which
     * puts their values in the request URL. Variables the pod already has with the same value
     * (the instance's Secret: this is where secrets live) are left out of it.
     */
    private List<String> command(InstanceHandle h, List<String> command, Map<String, String> env, String workdir) {
        List<String> out = new ArrayList<>();
        if (!env.isEmpty()) {
            Map<String, String> inPod = podEnv(h);
            List<String> pass = new ArrayList<>();
            env.forEach((k, v) -> {
                if (!v.equals(inPod.get(k))) pass.add(k + "=" + v);
            });
            if (!pass.isEmpty()) {
                out.add("env");
                out.addAll(pass);
            }
        }
        if (workdir != null) out.addAll(List.of("sh", "-c", "cd \"$0\" && exec \"$@\"", workdir));
        out.addAll(command);
        return out;
    }

    private Map<String, String> podEnv(InstanceHandle h) {
        Secret s = client.secrets().inNamespace(namespace).withName(Manifests.secret(h)).get();
        Map<String, String> env = new LinkedHashMap<>();
        if (s != null && s.getData() != null) s.getData().forEach((k, v) -> env.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
        if (s != null && s.getStringData() != null) env.putAll(s.getStringData());
        return env;
    }

    private ObservedInstance awaitRunning(InstanceHandle h) {
        Instant deadline = clock.instant().plus(startTimeout);
        while (true) {
            StatefulSet sts = statefulSets(h);
            if (sts == null) throw new ProviderException(Kind.NOT_FOUND, "StatefulSet " + h.name() + " vanished while starting");
            ObservedInstance seen = observe(sts, pod(h));
            if (seen.state() == ObservedInstance.State.RUNNING) return seen;
            if (seen.state() == ObservedInstance.State.FAILED) throw new ProviderException(Kind.REJECTED, "pod " + Manifests.pod(h) + " cannot run: " + seen.detail());
            if (clock.instant().isAfter(deadline)) {
                throw new ProviderException(Kind.TIMEOUT, "pod " + Manifests.pod(h) + " not ready after " + startTimeout.toSeconds() + " s: " + seen.detail());
            }
            sleep();
        }
    }

    private ObservedInstance observe(StatefulSet sts, Pod pod) {
        Map<String, String> labels = sts.getMetadata().getLabels() == null ? Map.of() : sts.getMetadata().getLabels();
        int replicas = sts.getSpec().getReplicas() == null ? 1 : sts.getSpec().getReplicas();
        ObservedInstance.State state;
        String detail;
        if (replicas == 0) {
            state = pod == null ? ObservedInstance.State.STOPPED : ObservedInstance.State.PENDING;
            detail = pod == null ? "scaled to 0" : "stopping";
        } else if (pod == null) {
            state = ObservedInstance.State.PENDING;
            detail = "waiting for the pod to be scheduled";
        } else {
            String phase = pod.getStatus() == null || pod.getStatus().getPhase() == null ? "Pending" : pod.getStatus().getPhase();
            String waiting = waitingReason(pod);
            boolean ready = pod.getStatus() != null && pod.getStatus().getConditions() != null
                    && pod.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
            if (waiting != null && HOPELESS.contains(waiting)) {
                state = ObservedInstance.State.FAILED;
            } else if ("Failed".equals(phase)) {
                state = ObservedInstance.State.FAILED;
            } else if ("Running".equals(phase) && ready) {
                state = ObservedInstance.State.RUNNING;
            } else {
                state = ObservedInstance.State.PENDING;
            }
            detail = phase + (ready ? ", ready" : "") + (waiting == null ? "" : " (" + waiting + ")");
        }
        Instant created = sts.getMetadata().getCreationTimestamp() == null ? clock.instant() : Instant.parse(sts.getMetadata().getCreationTimestamp());
        InstanceHandle h = new InstanceHandle(labels.get(Labels.INSTANCE), labels.getOrDefault(Labels.NAME, sts.getMetadata().getName()),
                labels.get(Labels.POOL));
        return new ObservedInstance(labels.get(Labels.INSTANCE), h.name(), state, created, detail, labels,
                state == ObservedInstance.State.RUNNING ? network(h, pod) : NetworkInfo.NONE);
    }

    private static String waitingReason(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) return null;
        for (ContainerStatus cs : pod.getStatus().getContainerStatuses()) {
            if (cs.getState() != null && cs.getState().getWaiting() != null) return cs.getState().getWaiting().getReason();
        }
        return null;
    }

    private NetworkInfo network(InstanceHandle h, Pod pod) {
        if (pod == null || pod.getStatus() == null || pod.getStatus().getPodIP() == null) return NetworkInfo.NONE;
        String host = Manifests.pod(h) + "." + h.name() + "." + namespace + ".svc";
        Service svc = client.services().inNamespace(namespace).withName(h.name()).get();
        List<NetworkInfo.PortMapping> ports = new ArrayList<>();
        List<String> urls = new ArrayList<>();
        if (svc != null) {
            for (var p : svc.getSpec().getPorts()) {
                ports.add(new NetworkInfo.PortMapping(p.getPort(), p.getPort(), "tcp"));
                if (p.getPort() != 22) urls.add("http://" + host + ":" + p.getPort());
            }
        }
        return new NetworkInfo(pod.getStatus().getPodIP(), null, host, ports, urls);
    }

    private void scale(InstanceHandle h, int replicas) {
        client.apps().statefulSets().inNamespace(namespace).withName(h.name()).scale(replicas);
    }

    private StatefulSet statefulSets(InstanceHandle h) {
        return client.apps().statefulSets().inNamespace(namespace).withName(h.name()).get();
    }

    private Pod pod(InstanceHandle h) {
        return client.pods().inNamespace(namespace).withName(Manifests.pod(h)).get();
    }

    private StatefulSet requireOwned(InstanceHandle h) {
        StatefulSet sts = statefulSets(h);
        if (sts == null || !owned(sts, h)) throw new ProviderException(Kind.NOT_FOUND, "instance " + h.name() + " has no StatefulSet in " + namespace);
        return sts;
    }

    private boolean owned(StatefulSet sts, InstanceHandle h) {
        Map<String, String> l = sts.getMetadata().getLabels();
        return l != null && h.id().equals(l.get(Labels.INSTANCE)) && installation.equals(l.get(Labels.INSTALLATION));
    }

    private Map<String, String> labels(InstanceHandle h) {
        Map<String, String> labels = Labels.forInstance(installation, h);
        labels.put("app.kubernetes.io/managed-by", "devswarm");
        return labels;
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderException(Kind.TIMEOUT, "interrupted while waiting", e);
        }
    }

    @Override
    public void close() {
        client.close();
    }

    /** Reads a stream to its end on a virtual thread, keeping at most {@code cap} bytes. */
    private static final class Capture {
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private final int cap;
        private volatile boolean truncated;
        private Thread reader;

        private Capture(int cap) {
            this.cap = cap;
        }

        static Capture start(InputStream in, int cap) {
            Capture c = new Capture(cap);
            c.reader = Thread.ofVirtual().start(() -> c.drain(in));
            return c;
        }

        private void drain(InputStream in) {
            if (in == null) return;
            byte[] buf = new byte[8192];
            try {
                for (int n; (n = in.read(buf)) > 0; ) {
                    synchronized (kept) {
                        int room = cap - kept.size();
                        if (room > 0) kept.write(buf, 0, Math.min(room, n));
                        if (n > room) truncated = true;
                    }
                }
            } catch (IOException closed) {
                // the exec ended or was hung up
            }
        }

        String finish() {
            try {
                reader.join(Duration.ofSeconds(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (kept) {
                return kept.toString(StandardCharsets.UTF_8);
            }
        }

        boolean truncated() {
            return truncated;
        }
    }
}
