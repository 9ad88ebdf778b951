package io.devswarm.provider.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.InspectVolumeResponse;
import com.github.dockerjava.api.exception.BadRequestException;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Info;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.Statistics;
import com.github.dockerjava.api.model.TmpfsOptions;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.core.LocalDirectorySSLConfig;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import io.devswarm.core.model.CommandResult;
import io.devswarm.core.model.InstanceHandle;
import io.devswarm.core.model.InstanceSpec;
import io.devswarm.core.model.NetworkInfo;
import io.devswarm.core.model.ProviderHealth;
import io.devswarm.core.model.ResourceUsage;
import io.devswarm.core.model.Resources;
import io.devswarm.core.model.VolumeSpec;
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
import io.devswarm.provider.docker.internal.ContainerIds;
import io.devswarm.provider.docker.internal.EngineClient;
import io.devswarm.provider.docker.internal.ExecApi;
import io.devswarm.provider.docker.internal.InstanceVolumes;
import io.devswarm.provider.docker.internal.RawExec;
import io.devswarm.provider.docker.internal.ResourceNames;
import io.devswarm.provider.docker.internal.StdinPipe;
import io.devswarm.provider.docker.internal.StdinPipes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Instances as containers on a Docker engine. An instance {@code name} is the container
 * {@code devswarm-<installation tag>-<name>} (host name {@code name}) with one named volume per
 * persistent storage entry, keyed by installation, owner and name ({@link ResourceNames}), so its owner
 * re-creating an instance of the same name (an image upgrade, a pool member scaled back up) finds the
 * data again, and nobody else, in this installation or another on the same engine, ever does.
 *
 * <p>CRUD goes through docker-java; exec goes through a hijacked connection of our own so that
 * stdin EOF reaches the process. The API version is negotiated with the engine on first use.
 */
public final class DockerProvider implements Provider, ExecStreams, LiveResize {
    public static final String NAME = "docker";
    static final String INTERNAL_SUFFIX = "-internal";
    private static final Logger log = LoggerFactory.getLogger(DockerProvider.class);
    /** {@code /info} walks every container and image the engine has (~10 ms of its CPU here, beside a create); its size rarely changes. */
    private static final long CAPACITY_MAX_AGE_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final DockerSettings settings;
    private final String installation;
    private final ResourceNames names;
    private final EngineClient engine;
    private final SSLContext ssl;
    private final Map<String, Boolean> networksReady = new ConcurrentHashMap<>();
    private final ContainerIds containers = new ContainerIds(this::ownContainerId,
            h -> new ProviderException(Kind.NOT_FOUND, "container " + containerName(h) + " does not exist"));
    private final InstanceVolumes volumes = new InstanceVolumes();
    private volatile DockerClient client;
    private volatile ExecApi exec;
    /** Null when session stdin goes through the engine (off, or the engine is not on this machine). */
    private volatile StdinPipes pipes;
    /** The engine's size from {@code /info}, kept between health checks; null until read, or after the engine was unreachable. */
    private volatile Capacity capacity;

    private record Capacity(double cpus, long memoryMb, long readAtNanos) {}

    private static Capacity capacityOf(Info info) {
        return new Capacity(info.getNCPU() == null ? 0 : info.getNCPU(), info.getMemTotal() == null ? 0 : info.getMemTotal() / (1024 * 1024), System.nanoTime());
    }

    public DockerProvider(DockerSettings settings, ProviderContext context) {
        this.settings = settings;
        this.installation = context.installationId();
        this.names = new ResourceNames(installation);
        this.ssl = sslContext(settings);
        this.engine = new EngineClient(settings.host(), ssl);
    }

    private static SSLContext sslContext(DockerSettings settings) {
        if (settings.tlsCertPath() == null) return null;
        try {
            return new LocalDirectorySSLConfig(settings.tlsCertPath().toString()).getSSLContext();
        } catch (Exception e) {
            throw new IllegalStateException("cannot load Docker TLS certificates from " + settings.tlsCertPath() + ": " + e.getMessage(), e);
        }
    }

    /** The docker-java client, made on first use with the API version the engine speaks. */
    private DockerClient docker() {
        DockerClient c = client;
        if (c != null) return c;
        synchronized (this) {
            if (client != null) return client;
            String version;
            try {
                version = engine.negotiate(settings.apiVersionCap());
            } catch (IOException e) {
                throw unreachable(e);
            }
            var config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                    .withDockerHost(settings.host().toString())
                    .withApiVersion(version)
                    .withDockerTlsVerify(settings.tlsCertPath() != null);
            if (settings.tlsCertPath() != null) config.withDockerCertPath(settings.tlsCertPath().toString());
            var built = config.build();
            var http = new ZerodepDockerHttpClient.Builder()
                    .dockerHost(built.getDockerHost())
                    .sslConfig(built.getSSLConfig())
                    .maxConnections(64)
                    .connectionTimeout(Duration.ofSeconds(3))
                    .responseTimeout(Duration.ofMinutes(5))
                    .build();
            exec = new ExecApi(http, version); // before the client: a caller that sees the client finds this too
            DockerClient made = DockerClientImpl.getInstance(built, http);
            if (settings.stdinPipeDir() != null && pipes == null) pipes = localPipes(made);
            client = made;
            log.info("docker provider: engine {} speaks API {}; containers of installation {} are devswarm-{}-<name>", settings.host(), version,
                    installation, names.tag());
            return client;
        }
    }

    private StdinPipes localPipes(DockerClient docker) {
        try {
            Info info = docker.infoCmd().exec();
            capacity = capacityOf(info); // the first health check need not ask again
            return StdinPipes.localTo(settings.stdinPipeDir(), info.getName(), info.getSecurityOptions());
        } catch (RuntimeException e) {
            log.info("stdin pipes off: cannot ask the engine its name ({})", e.toString());
            return null;
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ProviderHealth health() {
        try {
            DockerClient docker = docker(); // first: making the client may read the engine's size already
            Capacity known = capacity;
            if (known == null || System.nanoTime() - known.readAtNanos() > CAPACITY_MAX_AGE_NANOS) {
                known = capacityOf(docker.infoCmd().exec());
                capacity = known;
            } else {
                docker.pingCmd().exec(); // reachable and answering is what health asks; /_ping costs the engine next to nothing
            }
            return ProviderHealth.healthy(known.cpus(), known.memoryMb());
        } catch (RuntimeException e) {
            synchronized (this) {
                client = null; // renegotiate when the engine comes back (it may be a different version)
                capacity = null; // and ask its size again: it may be another engine
            }
            return ProviderHealth.unavailable(translate("reach the engine", e).getMessage());
        }
    }

    String containerName(InstanceHandle h) {
        return names.container(h);
    }

    private String networkName(boolean internal) {
        return internal ? settings.network() + INTERNAL_SUFFIX : settings.network();
    }

    @Override
    public ObservedInstance create(InstanceHandle h, InstanceSpec spec) {
        return call("create " + h.name(), () -> {
            String network = ensureNetwork(spec.network().internal());
            Map<String, String> labels = new LinkedHashMap<>(Labels.forInstance(installation, h));
            labels.put(Labels.OWNER, ResourceNames.owner(h));
            List<Mount> mounts = new ArrayList<>();
            for (VolumeSpec v : spec.storage()) {
                if (v.persistent()) {
                    String volume = volumeFor(h, v, labels);
                    volumes.learn(h, List.of(volume));
                    mounts.add(new Mount().withType(MountType.VOLUME).withSource(volume).withTarget(v.mountPath()));
                } else {
                    mounts.add(new Mount().withType(MountType.TMPFS).withTarget(v.mountPath())
                            .withTmpfsOptions(new TmpfsOptions().withSizeBytes(v.sizeGb() * 1024L * 1024 * 1024)));
                }
            }
            StdinPipes pipes = this.pipes;
            if (pipes != null) {
                mounts.add(new Mount().withType(MountType.BIND).withSource(pipes.directory(h).toString()).withTarget(StdinPipes.CONTAINER_DIR).withReadOnly(true));
            }
            HostConfig host = HostConfig.newHostConfig().withMounts(mounts).withNetworkMode(network).withInit(settings.init());
            applyResources(host, spec.resources());
            List<ExposedPort> exposed = new ArrayList<>();
            Ports bindings = new Ports();
            for (int port : spec.network().exposedPorts()) {
                ExposedPort ep = ExposedPort.tcp(port);
                exposed.add(ep);
                if (!spec.network().internal()) bindings.bind(ep, Ports.Binding.bindIp(settings.publishAddress()));
            }
            host.withPortBindings(bindings);
            CreateContainerCmd cmd = docker().createContainerCmd(spec.image())
                    .withName(containerName(h))
                    .withHostName(h.name())
                    .withLabels(labels)
                    .withEnv(spec.env().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList())
                    .withExposedPorts(exposed)
                    .withHostConfig(host);
            if (!spec.command().isEmpty()) cmd.withCmd(spec.command());
            String id;
            try {
                id = cmd.exec().getId();
                if (pipes != null) pipes.learn(h, true);
            } catch (ConflictException nameTaken) {
                InspectContainerResponse existing = docker().inspectContainerCmd(containerName(h)).exec();
                if (!names.isInstanceContainer(h, existing.getConfig().getLabels())) {
                    throw new ProviderException(Kind.REJECTED, "container " + containerName(h) + " already exists and is not instance " + h.id() + "'s");
                }
                id = existing.getId();
                learnMounts(h, existing);
            } catch (NotFoundException noImage) {
                throw new ProviderException(Kind.REJECTED, "image '" + spec.image() + "' is not on the Docker engine; build it (deploy/images/build.sh) or pull it");
            }
            containers.remember(h, id);
            startContainer(id);
            return observe(docker().inspectContainerCmd(id).exec());
        });
    }

    /**
     * The named volume for the instance's persistent {@code v}: the one this instance made before
     * volumes were keyed by owner, under its old name (see {@link ResourceNames}); else its owner's,
     * made now or kept by an earlier delete. Creating an existing named volume returns it with the
     * labels it was made with, which must be this installation's, name's and owner's.
     */
    private String volumeFor(InstanceHandle h, VolumeSpec v, Map<String, String> labels) {
        String legacy = ResourceNames.legacyVolume(h, v);
        if (volumeLabels(legacy).filter(l -> names.isLegacyVolumeOf(h, l)).isPresent()) return legacy;
        String volume = names.volume(h, v);
        Map<String, String> wanted = new HashMap<>(labels);
        wanted.put(Labels.VOLUME, v.volumeName());
        Map<String, String> made = docker().createVolumeCmd().withName(volume).withLabels(wanted).exec().getLabels();
        if (!names.isOwnersVolume(h, v, made)) {
            throw new ProviderException(Kind.REJECTED, "volume " + volume + " already exists and is not for " + h.name() + "'s " + v.volumeName()
                    + " in this installation; devswarm does not mount it");
        }
        return volume;
    }

    /** The spec's persistent volumes for which neither the instance's legacy volume nor its owner's volume exists. */
    @Override
    public List<String> missingVolumes(InstanceHandle h, InstanceSpec spec) {
        return call("inspect volumes of " + h.name(), () -> spec.storage().stream().filter(VolumeSpec::persistent)
                .filter(v -> volumeLabels(ResourceNames.legacyVolume(h, v)).filter(l -> names.isLegacyVolumeOf(h, l)).isEmpty()
                        && volumeLabels(names.volume(h, v)).filter(l -> names.isOwnersVolume(h, v, l)).isEmpty())
                .map(VolumeSpec::volumeName).toList());
    }

    /** A volume's labels, or empty when there is no volume of that name. */
    private Optional<Map<String, String>> volumeLabels(String volume) {
        try {
            Map<String, String> labels = docker().inspectVolumeCmd(volume).exec().getLabels();
            return Optional.of(labels == null ? Map.of() : labels);
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    /**
     * Which of the instance's volumes its container mounts, and whether it has the instance's stdin
     * pipe directory. A volume with this scheme's name for the instance was checked when the container
     * was made; one with a legacy name is the instance's only if its labels say so (before volumes were
     * keyed by owner, a container could mount another instance's volume of the same name); an image's
     * anonymous volumes are not the spec's.
     */
    private void learnMounts(InstanceHandle h, InspectContainerResponse c) {
        var mounts = c.getMounts() == null ? List.<InspectContainerResponse.Mount>of() : c.getMounts();
        volumes.learn(h, mounts.stream().map(InspectContainerResponse.Mount::getName).filter(n -> n != null && isInstanceVolume(h, n)).toList());
        StdinPipes pipes = this.pipes;
        if (pipes == null) return;
        String dir = pipes.path(h).toString();
        boolean has = mounts.stream()
                .anyMatch(m -> m.getDestination() != null && StdinPipes.CONTAINER_DIR.equals(m.getDestination().getPath()) && dir.equals(m.getSource()));
        pipes.learn(h, has);
    }

    private boolean isInstanceVolume(InstanceHandle h, String volume) {
        return names.isNamedFor(h, volume)
                || volume.startsWith(ResourceNames.legacyContainer(h) + "-") && volumeLabels(volume).filter(l -> names.isLegacyVolumeOf(h, l)).isPresent();
    }

    private void applyResources(HostConfig host, Resources r) {
        host.withCpuShares((int) Math.max(2, Math.round(r.cpu().cores() * 1024)));
        host.withNanoCPUs(r.cpu().limitMillicores() > 0 ? r.cpu().limitMillicores() * 1_000_000L : 0L);
        if (r.memory().maxMb() > 0) {
            host.withMemory(r.memory().maxMb() * 1024L * 1024);
            host.withMemorySwap(r.memory().maxMb() * 1024L * 1024); // no swap beyond the limit: the limit means what it says
        }
        if (r.memory().minMb() > 0) host.withMemoryReservation(r.memory().minMb() * 1024L * 1024);
    }

    private String ensureNetwork(boolean internal) {
        String name = networkName(internal);
        if (networksReady.containsKey(name)) return name;
        synchronized (networksReady) {
            if (networksReady.containsKey(name)) return name;
            List<Network> found = docker().listNetworksCmd().withNameFilter(name).exec();
            if (found.stream().noneMatch(n -> name.equals(n.getName()))) {
                try {
                    docker().createNetworkCmd().withName(name).withDriver("bridge").withInternal(internal)
                            .withLabels(Map.of(Labels.MANAGED, "true", Labels.INSTALLATION, installation)).exec();
                } catch (ConflictException raced) {
                    // another server made it first
                }
            }
            networksReady.put(name, true);
            return name;
        }
    }

    private void startContainer(String containerId) {
        try {
            docker().startContainerCmd(containerId).exec();
        } catch (NotModifiedException alreadyRunning) {
            // idempotent start
        }
    }

    /** The container's configured environment holds every one of these names with these values (the image's own variables aside). */
    @Override
    public boolean hasEnvironment(InstanceHandle h, Map<String, String> env) {
        if (env.isEmpty()) return true; // nothing to look for: spare the start an inspect
        return call("inspect " + h.name(), () -> {
            Optional<InspectContainerResponse> c = containers.find(h).flatMap(this::inspect);
            if (c.isEmpty() || c.get().getConfig().getEnv() == null) return env.isEmpty();
            java.util.Set<String> have = java.util.Set.of(c.get().getConfig().getEnv());
            return env.entrySet().stream().allMatch(e -> have.contains(e.getKey() + "=" + e.getValue()));
        });
    }

    @Override
    public ObservedInstance start(InstanceHandle h) {
        return call("start " + h.name(), () -> containers.with(h, id -> {
            StdinPipes pipes = this.pipes;
            if (pipes != null && pipes.mountedIn(h)) pipes.directory(h); // the engine refuses a start whose bind source is gone
            startContainer(id);
            return observe(docker().inspectContainerCmd(id).exec());
        }));
    }

    @Override
    public void stop(InstanceHandle h, Duration grace) {
        call("stop " + h.name(), () -> {
            containers.run(h, id -> {
                try {
                    docker().stopContainerCmd(id).withTimeout((int) Math.max(0, grace.toSeconds())).exec();
                } catch (NotModifiedException alreadyStopped) {
                    // idempotent stop
                }
            });
            return null;
        });
    }

    @Override
    public void delete(InstanceHandle h, boolean keepVolumes) {
        call("delete " + h.name(), () -> {
            try {
                // finding the container (when this server has not met it) also learns its volumes
                containers.ifPresent(h, id -> docker().removeContainerCmd(id).withForce(true).withRemoveVolumes(false).exec());
            } catch (NotFoundException gone) {
                // removed meanwhile
            }
            containers.forget(h);
            StdinPipes pipes = this.pipes;
            if (pipes != null) pipes.remove(h);
            if (!keepVolumes) {
                for (String v : volumes.known(h).orElseGet(() -> ownVolumes(h))) {
                    try {
                        docker().removeVolumeCmd(v).exec();
                    } catch (NotFoundException gone) {
                        // removed meanwhile
                    }
                }
                volumes.forget(h);
            }
            return null;
        });
    }

    @Override
    public Optional<ObservedInstance> get(InstanceHandle h) {
        return call("inspect " + h.name(), () -> ownContainer(h).map(c -> {
            containers.remember(h, c.getId());
            return observe(c);
        }));
    }

    private Optional<InspectContainerResponse> inspect(String container) {
        try {
            return Optional.of(docker().inspectContainerCmd(container).exec());
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    /**
     * The container named after the instance, only if its labels say it is that instance's; for an
     * instance made before containers were keyed by installation, the one of its legacy name.
     */
    private Optional<InspectContainerResponse> ownContainer(InstanceHandle h) {
        Optional<InspectContainerResponse> own = Stream.of(containerName(h), ResourceNames.legacyContainer(h))
                .map(this::inspect).flatMap(Optional::stream)
                .filter(c -> names.isInstanceContainer(h, c.getConfig().getLabels()))
                .findFirst();
        own.ifPresent(c -> learnMounts(h, c));
        return own;
    }

    /** The instance's (label-checked) container as the engine sees it now. */
    private InspectContainerResponse inspectOwn(InstanceHandle h) {
        return containers.with(h, id -> docker().inspectContainerCmd(id).exec());
    }

    private Optional<String> ownContainerId(InstanceHandle h) {
        return ownContainer(h).map(InspectContainerResponse::getId);
    }

    /**
     * The instance's volumes found by their labels, for an instance this server knows no volumes of:
     * its owner's of its name in this installation, and those it made itself before volumes were keyed by owner.
     */
    private Collection<String> ownVolumes(InstanceHandle h) {
        var found = docker().listVolumesCmd().withFilter("label", List.of(Labels.NAME + "=" + h.name())).exec().getVolumes();
        return found == null ? List.of() : found.stream()
                .filter(v -> names.isOwnersVolume(h, v.getLabels()) || names.isLegacyVolumeOf(h, v.getLabels()))
                .map(InspectVolumeResponse::getName).toList();
    }

    @Override
    public List<ObservedInstance> list(Map<String, String> labels) {
        return call("list containers", () -> {
            Map<String, String> filter = new LinkedHashMap<>(labels);
            filter.put(Labels.MANAGED, "true");
            filter.put(Labels.INSTALLATION, installation);
            List<ObservedInstance> out = new ArrayList<>();
            for (Container c : docker().listContainersCmd().withShowAll(true).withLabelFilter(filter).exec()) {
                Map<String, String> l = c.getLabels();
                out.add(new ObservedInstance(l.get(Labels.INSTANCE), l.get(Labels.NAME), state(c.getState()),
                        c.getCreated() == null ? null : Instant.ofEpochSecond(c.getCreated()), c.getStatus(), l, null));
            }
            return out;
        });
    }

    private ObservedInstance observe(InspectContainerResponse c) {
        Map<String, String> labels = c.getConfig().getLabels();
        var st = c.getState();
        String detail = st.getStatus();
        if (Boolean.TRUE.equals(st.getOOMKilled())) detail += " (out of memory)";
        if ("exited".equals(st.getStatus())) detail += " with code " + st.getExitCodeLong();
        return new ObservedInstance(labels.get(Labels.INSTANCE), labels.get(Labels.NAME), state(st.getStatus()), Instant.parse(c.getCreated()), detail,
                labels, networkInfo(c));
    }

    private static ObservedInstance.State state(String dockerState) {
        return switch (dockerState == null ? "" : dockerState) {
            case "running" -> ObservedInstance.State.RUNNING;
            case "paused" -> ObservedInstance.State.SUSPENDED;
            case "created", "exited" -> ObservedInstance.State.STOPPED;
            case "dead" -> ObservedInstance.State.FAILED;
            default -> ObservedInstance.State.PENDING;
        };
    }

    private NetworkInfo networkInfo(InspectContainerResponse c) {
        String ip = null;
        Map<String, ContainerNetwork> nets = c.getNetworkSettings().getNetworks();
        if (nets != null) {
            for (String n : List.of(networkName(false), networkName(true))) {
                ContainerNetwork cn = nets.get(n);
                if (cn != null && cn.getIpAddress() != null && !cn.getIpAddress().isEmpty()) ip = cn.getIpAddress();
            }
        }
        List<NetworkInfo.PortMapping> ports = new ArrayList<>();
        List<String> urls = new ArrayList<>();
        Ports bound = c.getNetworkSettings().getPorts();
        if (bound != null) {
            bound.getBindings().forEach((exposed, binds) -> {
                if (binds == null || binds.length == 0) {
                    ports.add(new NetworkInfo.PortMapping(exposed.getPort(), 0, exposed.getProtocol().toString()));
                    return;
                }
                for (Ports.Binding b : binds) {
                    if (b.getHostIp() != null && b.getHostIp().contains(":")) continue; // the IPv6 twin of the same binding
                    int external = Integer.parseInt(b.getHostPortSpec());
                    ports.add(new NetworkInfo.PortMapping(exposed.getPort(), external, exposed.getProtocol().toString()));
                    urls.add("http://" + settings.publishAddress() + ":" + external);
                }
            });
        }
        String hostname = c.getConfig().getHostName();
        return new NetworkInfo(ip, settings.publishAddress(), hostname, ports, urls);
    }

    @Override
    public void allocateResources(InstanceHandle h, Resources r) {
        call("update resources of " + h.name(), () -> {
            HostConfig wanted = HostConfig.newHostConfig();
            applyResources(wanted, r);
            containers.run(h, id -> {
                var cmd = docker().updateContainerCmd(id)
                        .withCpuShares(wanted.getCpuShares())
                        .withNanoCPUs(wanted.getNanoCPUs());
                if (r.memory().maxMb() > 0) cmd.withMemory(wanted.getMemory()).withMemorySwap(wanted.getMemorySwap());
                if (r.memory().minMb() > 0) cmd.withMemoryReservation(wanted.getMemoryReservation());
                cmd.exec();
            });
            return null;
        });
    }

    @Override
    public ResourceUsage resourceUsage(InstanceHandle h) {
        return call("read usage of " + h.name(), () -> {
            InspectContainerResponse c = inspectOwn(h);
            int limitMillicores = (int) (c.getHostConfig().getNanoCPUs() == null ? 0 : c.getHostConfig().getNanoCPUs() / 1_000_000);
            long limitMb = c.getHostConfig().getMemory() == null ? 0 : c.getHostConfig().getMemory() / (1024 * 1024);
            double cpu = 0;
            long memMb = 0;
            if (Boolean.TRUE.equals(c.getState().getRunning())) {
                Statistics s = stats(c.getId());
                if (s != null) {
                    cpu = cpuPercent(s);
                    Long used = s.getMemoryStats() == null ? null : s.getMemoryStats().getUsage();
                    memMb = used == null ? 0 : used / (1024 * 1024);
                }
            }
            double storageGb = -1;
            double storageLimit = 0;
            var workspace = c.getMounts() == null ? null : c.getMounts().stream().filter(m -> VolumeSpec.WORKSPACE_PATH.equals(m.getDestination().getPath())).findFirst();
            if (workspace != null && workspace.isPresent() && Boolean.TRUE.equals(c.getState().getRunning())) {
                CommandResult du = execute(h, new ExecRequest(List.of("du", "-sk", VolumeSpec.WORKSPACE_PATH), null, null, null, Duration.ofSeconds(30), 4096));
                if (du.exitCode() == 0 && !du.stdout().isBlank()) {
                    storageGb = Long.parseLong(du.stdout().trim().split("\\s+")[0]) / (1024.0 * 1024.0);
                }
            }
            return new ResourceUsage(new ResourceUsage.Cpu(cpu, limitMillicores), new ResourceUsage.Memory(memMb, limitMb),
                    new ResourceUsage.Storage(storageGb, storageLimit), Instant.now());
        });
    }

    private Statistics stats(String containerId) {
        try (var callback = new ResultCallback.Adapter<Statistics>() {
            volatile Statistics last;

            @Override
            public void onNext(Statistics s) {
                last = s;
            }
        }) {
            docker().statsCmd(containerId).withNoStream(true).exec(callback).awaitCompletion(10, TimeUnit.SECONDS);
            return callback.last;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double cpuPercent(Statistics s) {
        if (s.getCpuStats() == null || s.getPreCpuStats() == null || s.getCpuStats().getCpuUsage() == null || s.getPreCpuStats().getCpuUsage() == null) return 0;
        Long total = s.getCpuStats().getCpuUsage().getTotalUsage(), preTotal = s.getPreCpuStats().getCpuUsage().getTotalUsage();
        Long system = s.getCpuStats().getSystemCpuUsage(), preSystem = s.getPreCpuStats().getSystemCpuUsage();
        if (total == null || preTotal == null || system == null || preSystem == null || system <= preSystem) return 0;
        long cpus = s.getCpuStats().getOnlineCpus() == null ? 1 : s.getCpuStats().getOnlineCpus();
        return (double) (total - preTotal) / (system - preSystem) * cpus * 100.0;
    }

    @Override
    public CommandResult execute(InstanceHandle h, ExecRequest request) {
        return call("exec in " + h.name(), () -> {
            String execId = containers.with(h, id -> execApi().create(id, request.command(), request.env(), request.user(), request.workdir(), false, false));
            try {
                EngineClient.Connection conn = engine.hijack("/exec/" + execId + "/start", "{\"Detach\":false,\"Tty\":false}");
                return RawExec.collect(conn, () -> exitCode(execId), request.maxOutputBytes(), request.timeout(), () -> kill(execId));
            } catch (IOException e) {
                throw streamFailure(h, e);
            }
        });
    }

    @Override
    public ExecStream openStream(InstanceHandle h, StreamRequest request) {
        return call("open a session in " + h.name(), () -> {
            List<String> command = request.command().isEmpty() ? List.of("/bin/sh", "-c", "exec \"${SHELL:-/bin/sh}\" -l") : request.command();
            Map<String, String> env = new HashMap<>(request.env());
            if (request.tty()) env.putIfAbsent("TERM", "xterm-256color");
            PipedExec created = containers.with(h, id -> createPipedExec(h, id, command, env, request));
            boolean attached = false;
            try {
                EngineClient.Connection conn = engine.hijack("/exec/" + created.execId() + "/start", "{\"Detach\":false,\"Tty\":" + request.tty() + "}");
                ExecStream stream = RawExec.stream(conn, request.tty(), created.pipe(), () -> exitCode(created.execId()),
                        (cols, rows) -> engine.request("POST", "/exec/" + created.execId() + "/resize?h=" + rows + "&w=" + cols, null));
                if (request.tty() && request.columns() > 0) stream.resize(request.columns(), request.rows());
                attached = true;
                return stream;
            } catch (IOException e) {
                throw streamFailure(h, e);
            } finally {
                if (!attached && created.pipe() != null) created.pipe().close();
            }
        });
    }

    /** An exec made for a session, with the FIFO that is its stdin (null: stdin through the engine). */
    private record PipedExec(String execId, StdinPipe pipe) {}

    /** Without a terminal, stdin goes through a FIFO where the container has them (a terminal's input must reach its pty). */
    private PipedExec createPipedExec(InstanceHandle h, String containerId, List<String> command, Map<String, String> env, StreamRequest request) {
        StdinPipes pipes = this.pipes;
        StdinPipe pipe = null;
        if (!request.tty() && pipes != null && pipes.mountedIn(h)) {
            try {
                pipe = pipes.open(h);
            } catch (IOException e) {
                log.info("session stdin for {} goes through the engine: {}", h.name(), e.getMessage());
            }
        }
        try {
            List<String> cmd = pipe == null ? command : pipe.wrap(command);
            Map<String, String> vars = pipe == null ? env : pipe.env(env);
            return new PipedExec(execApi().create(containerId, cmd, vars, request.user(), request.workdir(), pipe == null, request.tty()), pipe);
        } catch (RuntimeException e) {
            if (pipe != null) pipe.close();
            throw e;
        }
    }

    private Integer exitCode(String execId) {
        ExecApi.State state = execApi().inspect(execId);
        return state.running() ? null : (state.exitCode() == null ? -1 : state.exitCode());
    }

    private ExecApi execApi() {
        docker(); // negotiates the API version first
        return exec;
    }

    /**
     * Kills a timed-out command. The engine has no API for it; when the engine is local its
     * processes are ours to signal by host pid. On a remote engine the command keeps running.
     */
    private void kill(String execId) {
        try {
            long pid = execApi().inspect(execId).pid();
            if (pid > 0 && "unix".equals(settings.host().getScheme())) {
                ProcessHandle.of(pid).ifPresent(p -> {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                });
            }
        } catch (RuntimeException e) {
            log.debug("could not kill exec {}: {}", execId, e.toString());
        }
    }

    private ProviderException streamFailure(InstanceHandle h, IOException e) {
        if (e instanceof EngineClient.EngineException ee && ee.status() == 409) {
            return new ProviderException(Kind.REJECTED, "instance " + h.name() + " is not running");
        }
        return new ProviderException(Kind.UNAVAILABLE, "exec stream to " + h.name() + " failed: " + e.getMessage(), e);
    }

    /** Runs a Docker call and turns its failures into provider errors a user can act on. */
    private <T> T call(String what, Supplier<T> action) {
        try {
            return action.get();
        } catch (ProviderException e) {
            throw e;
        } catch (RuntimeException e) {
            throw translate(what, e);
        }
    }

    private ProviderException translate(String what, RuntimeException e) {
        if (e instanceof ProviderException p) return p;
        if (e instanceof NotFoundException) return new ProviderException(Kind.NOT_FOUND, "cannot " + what + ": " + dockerMessage(e), e);
        if (e instanceof ConflictException) return new ProviderException(Kind.BUSY, "cannot " + what + ": " + dockerMessage(e), e);
        if (e instanceof BadRequestException) return new ProviderException(Kind.REJECTED, "cannot " + what + ": " + dockerMessage(e), e);
        if (e instanceof DockerException de) {
            return new ProviderException(de.getHttpStatus() >= 500 && de.getHttpStatus() != 500 ? Kind.UNAVAILABLE : Kind.REJECTED,
                    "cannot " + what + ": " + dockerMessage(e), e);
        }
        Throwable root = e;
        while (root.getCause() != null) root = root.getCause();
        if (root instanceof IOException || e instanceof UncheckedIOException) return unreachable(root);
        return new ProviderException(Kind.REJECTED, "cannot " + what + ": " + e.getMessage(), e);
    }

    private ProviderException unreachable(Throwable cause) {
        String msg = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return new ProviderException(Kind.UNAVAILABLE, "Docker engine at " + settings.host() + " is unreachable: " + msg, cause);
    }

    private static String dockerMessage(RuntimeException e) {
        String m = e.getMessage();
        if (m == null) return e.getClass().getSimpleName();
        int i = m.indexOf("{\"message\":\"");
        if (i >= 0) {
            int end = m.indexOf("\"}", i);
            if (end > i) return m.substring(i + 12, end);
        }
        return m.replaceFirst("^Status \\d+: ", "").trim();
    }

    @Override
    public void close() {
        DockerClient c = client;
        if (c != null) {
            try {
                c.close();
            } catch (IOException ignored) {
                // closing is best effort
            }
        }
    }
}
