package io.devswarm.provider.fly;

import io.devswarm.core.model.CommandResult;
import io.devswarm.core.model.InstanceHandle;
import io.devswarm.core.model.InstanceSpec;
import io.devswarm.core.model.NetworkInfo;
import io.devswarm.core.model.NetworkSpec;
import io.devswarm.core.model.ProviderHealth;
import io.devswarm.core.model.ResourceUsage;
import io.devswarm.core.model.Resources;
import io.devswarm.core.model.VolumeSnapshot;
import io.devswarm.core.model.VolumeSpec;
import io.devswarm.core.provider.ExecRequest;
import io.devswarm.core.provider.Labels;
import io.devswarm.core.provider.ObservedInstance;
import io.devswarm.core.provider.Provider;
import io.devswarm.core.provider.ProviderContext;
import io.devswarm.core.provider.ProviderException;
import io.devswarm.core.provider.ProviderException.Kind;
import io.devswarm.core.provider.feature.LiveResize;
import io.devswarm.core.provider.feature.Regions;
import io.devswarm.core.provider.feature.Suspend;
import io.devswarm.core.provider.feature.VolumeExtension;
import io.devswarm.core.provider.feature.VolumeSnapshots;
import io.devswarm.provider.fly.FlyApi.FlyApiException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Instances as Fly Machines: one app per instance (named by a pattern), a volume per persistent
 * storage entry in the machine's region, services for SSH and the exposed ports with Fly's own
 * autostop and autostart, and devswarm's labels as machine metadata. State changes are awaited
 * with the wait endpoint; changes to an existing machine hold a lease.
 */
final class FlyProvider implements Provider, LiveResize, Suspend, VolumeSnapshots, VolumeExtension, Regions {
    static final String NAME = "fly";
    /** What Fly's proxy forwards to the machine's sshd (seed 000: external 10022, internal 2222). */
    static final int SSH_EXTERNAL = 10022;
    static final int SSH_INTERNAL = 2222;
    /** Instance metadata key choosing the region of its machine and volumes (else the configured default). */
    static final String REGION_KEY = "fly.region";

    private final FlyApi api;
    private final FlySettings settings;
    private final String installation;
    private final Clock clock;

    FlyProvider(FlySettings settings, ProviderContext context) {
        this.api = new FlyApi(settings.apiUrl(), settings.token());
        this.settings = settings;
        this.installation = context.installationId();
        this.clock = context.clock();
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Only the configured default: Fly has more, and an instance may name any of them (metadata {@value #REGION_KEY}). */
    @Override
    public List<String> regions() {
        return List.of(settings.region());
    }

    @Override
    public ProviderHealth health() {
        try {
            api.get("/apps" + FlyApi.query(Map.of("org_slug", settings.org())));
            return ProviderHealth.healthy(0, 0);
        } catch (FlyApiException e) {
            return ProviderHealth.unavailable(translate("list apps", e).getMessage());
        }
    }

    @Override
    public ObservedInstance create(InstanceHandle h, InstanceSpec spec) {
        return call("create " + h.name(), () -> {
            String app = settings.app(h);
            ensureApp(app);
            Optional<JsonNode> existing = machine(app, h);
            if (existing.isPresent()) return started(app, existing.get()); // a retried create converges on the first machine
            if (!machinesOf(app).isEmpty()) throw new ProviderException(Kind.REJECTED, "Fly app " + app + " already has machines of another instance");
            String region = spec.metadata().getOrDefault(REGION_KEY, settings.region());
            ObjectNode request = FlyApi.JSON.createObjectNode();
            request.put("name", h.name());
            request.put("region", region);
            request.set("config", config(h, spec, volumes(app, spec, region)));
            JsonNode machine = api.send("POST", "/apps/" + app + "/machines", request, null, Duration.ofSeconds(60));
            return started(app, machine);
        });
    }

    /** The machine's config carries exactly this environment. */
    @Override
    public boolean hasEnvironment(InstanceHandle h, Map<String, String> env) {
        return call("read the environment of " + h.name(), () -> {
            String app = settings.app(h);
            if (!appExists(app)) return true; // nothing to compare: start says what is missing
            Optional<JsonNode> m = machine(app, h);
            if (m.isEmpty()) return true;
            Map<String, String> have = new LinkedHashMap<>();
            m.get().path("config").path("env").properties().forEach(e -> have.put(e.getKey(), e.getValue().asString()));
            return have.equals(env);
        });
    }

    @Override
    public ObservedInstance start(InstanceHandle h) {
        return call("start " + h.name(), () -> {
            String app = settings.app(h);
            JsonNode m = requireMachine(app, h);
            withLease(app, m, nonce -> api.send("POST", path(app, m) + "/start", null, nonce, Duration.ofSeconds(60)));
            return started(app, api.get(path(app, m)));
        });
    }

    /** Stops, or suspends when {@code autostop=suspend}: memory kept, resumed by start. */
    @Override
    public void stop(InstanceHandle h, Duration grace) {
        if (settings.autostop().equals("suspend")) {
            suspend(h);
            return;
        }
        ObjectNode body = FlyApi.JSON.createObjectNode();
        body.put("timeout", Math.max(1, grace.toSeconds()) + "s");
        halt(h, "stop", body, "stopped");
    }

    @Override
    public void suspend(InstanceHandle h) {
        halt(h, "suspend", null, "suspended");
    }

    /** Asks the machine to {@code verb} (stop or suspend) unless it is already halted, and waits for {@code state}. */
    private void halt(InstanceHandle h, String verb, ObjectNode body, String state) {
        call(verb + " " + h.name(), () -> {
            String app = settings.app(h);
            JsonNode m = requireMachine(app, h);
            String now = m.path("state").asString();
            if (now.equals("stopped") || now.equals("suspended")) return null;
            withLease(app, m, nonce -> api.send("POST", path(app, m) + "/" + verb, body, nonce, Duration.ofSeconds(60)));
            await(app, m, state);
            return null;
        });
    }

    @Override
    public void delete(InstanceHandle h, boolean keepVolumes) {
        call("delete " + h.name(), () -> {
            String app = settings.app(h);
            if (!appExists(app)) return null;
            Optional<JsonNode> m = machine(app, h);
            if (m.isPresent()) {
                withLease(app, m.get(), nonce -> api.send("DELETE", path(app, m.get()) + "?force=true", null, nonce, Duration.ofSeconds(60)), false);
            } else if (!machinesOf(app).isEmpty()) {
                return null; // someone else's app: not ours to touch
            }
            if (!keepVolumes) {
                for (JsonNode v : api.get("/apps/" + app + "/volumes")) {
                    try {
                        api.send("DELETE", "/apps/" + app + "/volumes/" + v.path("id").asString(), null, null, Duration.ofSeconds(30));
                    } catch (FlyApiException e) {
                        if (e.status != 404) throw e;
                    }
                }
                // an empty app is ours to remove; with kept volumes it stays, holding them
                api.send("DELETE", "/apps/" + app, null, null, Duration.ofSeconds(30));
            }
            return null;
        });
    }

    @Override
    public Optional<ObservedInstance> get(InstanceHandle h) {
        return call("get " + h.name(), () -> {
            String app = settings.app(h);
            return appExists(app) ? machine(app, h).map(m -> observe(app, m)) : Optional.empty();
        });
    }

    @Override
    public List<ObservedInstance> list(Map<String, String> labels) {
        return call("list instances", () -> {
            List<ObservedInstance> out = new ArrayList<>();
            for (JsonNode app : api.get("/apps" + FlyApi.query(Map.of("org_slug", settings.org()))).path("apps")) {
                String name = app.path("name").asString();
                for (JsonNode m : machinesOf(name)) {
                    JsonNode meta = m.path("config").path("metadata");
                    if (!"true".equals(meta.path(Labels.MANAGED).asString(null)) || !installation.equals(meta.path(Labels.INSTALLATION).asString(null))) continue;
                    if (labels.entrySet().stream().allMatch(e -> e.getValue().equals(meta.path(e.getKey()).asString(null)))) out.add(observe(name, m));
                }
            }
            return out;
        });
    }

    /** Updates the machine's guest; Fly restarts it with the new size, volumes kept. */
    @Override
    public void allocateResources(InstanceHandle h, Resources resources) {
        call("resize " + h.name(), () -> {
            String app = settings.app(h);
            JsonNode m = requireMachine(app, h);
            ObjectNode config = (ObjectNode) m.path("config").deepCopy();
            config.set("guest", guest(resources));
            update(app, m, config);
            return null;
        });
    }

    /**
     * The Machines API has no usage endpoint (Fly serves metrics through Prometheus), but a machine is
     * a VM whose /proc is its own: CPU from two samples of /proc/stat a second apart, memory from
     * /proc/meminfo, read through exec.
     */
    @Override
    public ResourceUsage resourceUsage(InstanceHandle h) {
        CommandResult r = execute(h, ExecRequest.of("sh", "-c", ProcSample.SCRIPT));
        if (r.exitCode() != 0) throw new ProviderException(Kind.NOT_FOUND, "no usage for " + h.name() + ": " + r.stderr().strip());
        ProcSample sample = ProcSample.parse(r.stdout());
        JsonNode guest = call("usage of " + h.name(), () -> requireMachine(settings.app(h), h)).path("config").path("guest");
        return new ResourceUsage(new ResourceUsage.Cpu(sample.cpuPercent(), guest.path("cpus").asInt(1) * 1000),
                new ResourceUsage.Memory(sample.memoryUsedMb(), guest.path("memory_mb").asLong(sample.memoryTotalMb())), new ResourceUsage.Storage(0, 0),
                clock.instant());
    }

    @Override
    public List<VolumeSnapshot> snapshots(InstanceHandle h, String volumeName) {
        return call("snapshots of " + volumeName + " of " + h.name(), () -> {
            String app = settings.app(h);
            JsonNode v = requireVolume(app, volumeName);
            List<VolumeSnapshot> out = new ArrayList<>();
            for (JsonNode s : api.get("/apps/" + app + "/volumes/" + v.path("id").asString() + "/snapshots")) {
                out.add(new VolumeSnapshot(s.path("id").asString(), volumeName, s.hasNonNull("created_at") ? Instant.parse(s.path("created_at").asString()) : null,
                        s.path("size").asLong(), s.path("status").asString(null)));
            }
            out.sort(java.util.Comparator.comparing(VolumeSnapshot::createdAt, java.util.Comparator.nullsLast(java.util.Comparator.reverseOrder())));
            return out;
        });
    }

    @Override
    public void createSnapshot(InstanceHandle h, String volumeName) {
        call("snapshot " + volumeName + " of " + h.name(), () -> {
            String app = settings.app(h);
            api.send("POST", "/apps/" + app + "/volumes/" + requireVolume(app, volumeName).path("id").asString() + "/snapshots", null, null,
                    Duration.ofSeconds(60));
            return null;
        });
    }

    private JsonNode requireVolume(String app, String volumeName) {
        if (!appExists(app)) throw new ProviderException(Kind.NOT_FOUND, "no Fly app " + app);
        return volume(app, volumeName).orElseThrow(() -> new ProviderException(Kind.NOT_FOUND, "no volume " + volumeName + " in app " + app));
    }

    @Override
    public CommandResult execute(InstanceHandle h, ExecRequest request) {
        return call("exec in " + h.name(), () -> {
            String app = settings.app(h);
            JsonNode m = requireMachine(app, h);
            List<String> command = new ArrayList<>();
            if (!request.env().isEmpty()) {
                command.add("env");
                request.env().forEach((k, v) -> command.add(k + "=" + v));
            }
            if (request.workdir() != null) command.addAll(List.of("sh", "-c", "cd \"$0\" && exec \"$@\"", request.workdir()));
            command.addAll(request.command());
            ObjectNode body = FlyApi.JSON.createObjectNode();
            ArrayNode cmd = body.putArray("command");
            command.forEach(cmd::add);
            body.put("timeout", Math.max(1, request.timeout().toSeconds()));
            Instant started = clock.instant();
            JsonNode r;
            try {
                r = api.send("POST", path(app, m) + "/exec", body, null, request.timeout().plusSeconds(15));
            } catch (FlyApiException e) {
                if (e.status != 408) throw e;
                return new CommandResult(-1, "", "", true, false, Duration.between(started, clock.instant()));
            }
            String out = r.path("stdout").asString("");
            String err = r.path("stderr").asString("");
            boolean truncated = out.length() > request.maxOutputBytes() || err.length() > request.maxOutputBytes();
            return new CommandResult(r.path("exit_code").asInt(-1), cap(out, request.maxOutputBytes()), cap(err, request.maxOutputBytes()), false, truncated,
                    Duration.between(started, clock.instant()));
        });
    }

    /** Grows a volume through the extend endpoint; never shrinks. */
    @Override
    public void extendVolume(InstanceHandle h, String volumeName, int sizeGb) {
        call("extend volume " + volumeName + " of " + h.name(), () -> {
            String app = settings.app(h);
            JsonNode v = requireVolume(app, volumeName);
            if (v.path("size_gb").asInt() >= sizeGb) return null;
            ObjectNode body = FlyApi.JSON.createObjectNode();
            body.put("size_gb", sizeGb);
            api.send("PUT", "/apps/" + app + "/volumes/" + v.path("id").asString() + "/extend", body, null, Duration.ofSeconds(60));
            return null;
        });
    }

    // --- mapping

    ObjectNode config(InstanceHandle h, InstanceSpec spec, Map<String, String> volumeIds) {
        ObjectNode c = FlyApi.JSON.createObjectNode();
        c.put("image", spec.image());
        ObjectNode env = c.putObject("env");
        spec.env().forEach(env::put);
        c.set("guest", guest(spec.resources()));
        ArrayNode mounts = c.putArray("mounts");
        for (VolumeSpec v : spec.storage()) {
            if (!v.persistent()) continue; // a machine's root file system is already scratch space
            ObjectNode mount = mounts.addObject();
            mount.put("volume", volumeIds.get(v.volumeName()));
            mount.put("path", v.mountPath());
            // seed 000's policy, carried out by Fly itself: grow by a step when this full, up to a cap
            if (settings.extendThresholdPercent() > 0) {
                mount.put("extend_threshold_percent", settings.extendThresholdPercent());
                mount.put("add_size_gb", settings.extendStepGb());
                mount.put("size_gb_limit", Math.max(v.sizeGb(), settings.extendMaxGb()));
            }
        }
        c.set("services", services(spec.network(), !spec.idleTimeout().isZero()));
        ObjectNode meta = c.putObject("metadata");
        Labels.forInstance(installation, h).forEach(meta::put);
        if (!spec.command().isEmpty()) {
            ArrayNode exec = c.putObject("init").putArray("exec");
            spec.command().forEach(exec::add);
        }
        c.putObject("restart").put("policy", "on-failure");
        return c;
    }

    ObjectNode guest(Resources r) {
        ObjectNode g = FlyApi.JSON.createObjectNode();
        g.put("cpu_kind", settings.cpuKind());
        g.put("cpus", (int) Math.max(1, Math.ceil(r.cpu().cores())));
        // Fly sizes memory in 256 MB steps
        g.put("memory_mb", Math.max(256, (r.memory().maxMb() + 255) / 256 * 256));
        return g;
    }

    /** @param autostop false for an instance that never idles out (idle timeout 0): Fly's proxy must not stop it either */
    ArrayNode services(NetworkSpec network, boolean autostop) {
        ArrayNode services = FlyApi.JSON.createArrayNode();
        ObjectNode ssh = services.addObject();
        ssh.put("protocol", "tcp");
        ssh.put("internal_port", SSH_INTERNAL);
        ssh.putArray("ports").addObject().put("port", SSH_EXTERNAL);
        if (autostop) autostop(ssh);
        if (!network.internal()) {
            for (int port : network.exposedPorts()) {
                ObjectNode s = services.addObject();
                s.put("protocol", "tcp");
                s.put("internal_port", port);
                ObjectNode https = s.putArray("ports").addObject();
                https.put("port", 443);
                https.putArray("handlers").add("tls").add("http");
                if (autostop) autostop(s);
            }
        }
        return services;
    }

    /** Fly's proxy stops idle machines and starts them on the next connection; "suspend" keeps memory. */
    private void autostop(ObjectNode service) {
        if (settings.autostop().equals("off")) return;
        service.put("autostop", true); // the contract's type; Fly also accepts "stop"/"suspend" strings, where suspend is asked through stop()
        service.put("autostart", true);
    }

    // --- Fly calls

    private void ensureApp(String app) {
        if (appExists(app)) return;
        ObjectNode body = FlyApi.JSON.createObjectNode();
        body.put("app_name", app);
        body.put("org_slug", settings.org());
        try {
            api.send("POST", "/apps", body, null, Duration.ofSeconds(30));
        } catch (FlyApiException e) {
            if (e.status != 409 && e.status != 422) throw e; // made meanwhile by a retried call
        }
    }

    /** Through the org's app list: the document promises that answer, not a 404 from GET /apps/{name}. */
    private boolean appExists(String app) {
        for (JsonNode a : api.get("/apps" + FlyApi.query(Map.of("org_slug", settings.org()))).path("apps")) {
            if (app.equals(a.path("name").asString())) return true;
        }
        return false;
    }

    /** Volume ids by devswarm volume name, made in the machine's region when missing (a retried create reuses them). */
    private Map<String, String> volumes(String app, InstanceSpec spec, String region) {
        Map<String, String> ids = new LinkedHashMap<>();
        for (VolumeSpec v : spec.storage()) {
            if (!v.persistent()) continue;
            Optional<JsonNode> found = volume(app, v.volumeName());
            if (found.isPresent()) {
                ids.put(v.volumeName(), found.get().path("id").asString());
                continue;
            }
            ObjectNode body = FlyApi.JSON.createObjectNode();
            body.put("name", volumeName(v.volumeName()));
            body.put("region", region);
            body.put("size_gb", v.sizeGb());
            ids.put(v.volumeName(), api.send("POST", "/apps/" + app + "/volumes", body, null, Duration.ofSeconds(60)).path("id").asString());
        }
        return ids;
    }

    private Optional<JsonNode> volume(String app, String volumeName) {
        for (JsonNode v : api.get("/apps/" + app + "/volumes")) {
            if (v.path("name").asString().equals(volumeName(volumeName)) && !v.path("state").asString().startsWith("destroy")) return Optional.of(v);
        }
        return Optional.empty();
    }

    /** Fly volume names: lower-case letters, digits and underscores. */
    static String volumeName(String name) {
        return name.toLowerCase().replaceAll("[^a-z0-9_]", "_");
    }

    private List<JsonNode> machinesOf(String app) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode m : api.get("/apps/" + app + "/machines")) {
            if (!m.path("state").asString().startsWith("destroy")) out.add(m);
        }
        return out;
    }

    private Optional<JsonNode> machine(String app, InstanceHandle h) {
        return machinesOf(app).stream().filter(m -> h.id().equals(m.path("config").path("metadata").path(Labels.INSTANCE).asString(null))).findFirst();
    }

    private JsonNode requireMachine(String app, InstanceHandle h) {
        if (!appExists(app)) throw new ProviderException(Kind.NOT_FOUND, "instance " + h.name() + " has no Fly app " + app);
        return machine(app, h).orElseThrow(() -> new ProviderException(Kind.NOT_FOUND, "instance " + h.name() + " has no machine in app " + app));
    }

    private static String path(String app, JsonNode m) {
        return "/apps/" + app + "/machines/" + m.path("id").asString();
    }

    private void update(String app, JsonNode m, ObjectNode config) {
        ObjectNode body = FlyApi.JSON.createObjectNode();
        body.set("config", config);
        withLease(app, m, nonce -> api.send("POST", path(app, m), body, nonce, Duration.ofSeconds(60)));
    }

    /**
     * Holds the machine's lease for one change, so two writers (two devswarm servers, or flyctl)
     * cannot interleave; a lease held by someone else is BUSY, worth a retry.
     */
    private void withLease(String app, JsonNode m, java.util.function.Function<String, JsonNode> change) {
        withLease(app, m, change, true);
    }

    /** @param release false when the change removes the machine, and its lease with it */
    private void withLease(String app, JsonNode m, java.util.function.Function<String, JsonNode> change, boolean release) {
        ObjectNode body = FlyApi.JSON.createObjectNode();
        body.put("ttl", 30);
        body.put("description", "devswarm " + installation);
        String nonce;
        try {
            nonce = api.send("POST", path(app, m) + "/lease", body, null, Duration.ofSeconds(30)).path("nonce").asString(null);
        } catch (FlyApiException e) {
            if (e.status == 409) throw new ProviderException(Kind.BUSY, "machine " + m.path("id").asString() + " is leased by another client: " + e.getMessage());
            throw e;
        }
        try {
            change.apply(nonce);
        } finally {
            if (release) releaseLease(app, m, nonce);
        }
    }

    private void releaseLease(String app, JsonNode m, String nonce) {
        try {
            api.send("DELETE", path(app, m) + "/lease", null, nonce, Duration.ofSeconds(30));
        } catch (FlyApiException ignored) {
            // it expires by itself after its ttl
        }
    }

    private ObservedInstance started(String app, JsonNode m) {
        await(app, m, "started");
        return observe(app, api.get(path(app, m)));
    }

    /** The wait endpoint answers 408 while the state is not reached: ask again until our own deadline. */
    private void await(String app, JsonNode m, String state) {
        Instant deadline = clock.instant().plus(settings.waitTimeout());
        String instance = m.path("instance_id").asString(null);
        while (true) {
            try {
                api.send("GET", path(app, m) + "/wait" + FlyApi.query(mapOf("instance_id", instance, "state", state, "timeout", 60)), null, null,
                        Duration.ofSeconds(75));
                return;
            } catch (FlyApiException e) {
                if (e.status != 408) throw e;
                if (clock.instant().isAfter(deadline)) {
                    throw new ProviderException(Kind.TIMEOUT, "machine " + m.path("id").asString() + " did not reach " + state + " in "
                            + settings.waitTimeout().toSeconds() + " s");
                }
                pause(); // Fly holds the request up to its timeout before a 408; an early one must not become a busy loop
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderException(Kind.TIMEOUT, "interrupted while waiting", e);
        }
    }

    private static Map<String, Object> mapOf(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    private ObservedInstance observe(String app, JsonNode m) {
        Map<String, String> labels = new LinkedHashMap<>();
        m.path("config").path("metadata").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asString()));
        String state = m.path("state").asString("");
        ObservedInstance.State s = switch (state) {
            case "started" -> ObservedInstance.State.RUNNING;
            case "stopped" -> ObservedInstance.State.STOPPED;
            case "suspended" -> ObservedInstance.State.SUSPENDED;
            case "failed" -> ObservedInstance.State.FAILED;
            default -> ObservedInstance.State.PENDING;
        };
        Instant created = m.hasNonNull("created_at") ? Instant.parse(m.path("created_at").asString()) : clock.instant();
        return new ObservedInstance(labels.get(Labels.INSTANCE), labels.getOrDefault(Labels.NAME, m.path("name").asString()), s, created,
                "fly machine " + m.path("id").asString() + " " + state + " in " + m.path("region").asString(), labels,
                s == ObservedInstance.State.RUNNING ? network(app, m) : NetworkInfo.NONE);
    }

    private NetworkInfo network(String app, JsonNode m) {
        String host = app + ".fly.dev";
        List<NetworkInfo.PortMapping> ports = new ArrayList<>();
        List<String> urls = new ArrayList<>();
        for (JsonNode s : m.path("config").path("services")) {
            for (JsonNode p : s.path("ports")) {
                ports.add(new NetworkInfo.PortMapping(s.path("internal_port").asInt(), p.path("port").asInt(), "tcp"));
                if (p.path("port").asInt() == 443) urls.add("https://" + host);
            }
        }
        return new NetworkInfo(m.path("private_ip").asString(null), null, host, ports, urls);
    }

    private static String cap(String s, int max) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return b.length <= max ? s : new String(b, 0, max, StandardCharsets.UTF_8);
    }

    // --- errors

    private <T> T call(String what, Supplier<T> work) {
        try {
            return work.get();
        } catch (FlyApiException e) {
            throw translate(what, e);
        }
    }

    /** Fly's answers as devswarm errors: what went wrong and whether trying again can help. */
    static ProviderException translate(String what, FlyApiException e) {
        String msg = what + ": " + e.getMessage();
        return switch (e.status) {
            case 0 -> new ProviderException(Kind.UNAVAILABLE, msg);
            case 401, 403 -> new ProviderException(Kind.REJECTED, what + ": Fly refused the API token (" + e.getMessage() + "); check devswarm.providers.fly.token");
            case 404 -> new ProviderException(Kind.NOT_FOUND, msg);
            case 408 -> new ProviderException(Kind.TIMEOUT, msg);
            case 409 -> new ProviderException(Kind.BUSY, msg);
            // Fly's capacity refusal: no host in the region has room for this guest now; another try (or region) may
            case 412 -> new ProviderException(Kind.BUSY, what + ": Fly has no capacity for this machine in the region now (" + e.getMessage() + ")");
            case 429 -> new ProviderException(Kind.BUSY, what + ": rate limited by Fly" + (e.retryAfter == null ? "" : "; retry after " + e.retryAfter.toSeconds() + " s"));
            case 400, 422 -> new ProviderException(Kind.REJECTED, msg);
            default -> e.status >= 500 ? new ProviderException(Kind.UNAVAILABLE, msg + " (HTTP " + e.status + ")") : new ProviderException(Kind.REJECTED, msg);
        };
    }
}
