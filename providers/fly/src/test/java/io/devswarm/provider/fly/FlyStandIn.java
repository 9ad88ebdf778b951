package io.devswarm.provider.fly;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A stateful stand-in for the Fly Machines API, for tests: apps, volumes, machines, leases, wait,
 * exec and extend, where each machine is a real container on the local Docker engine (so exec
 * runs real commands and volume data really persists) and each volume a Docker volume. Every
 * request and every answer goes through {@link FlyContract}, so neither the provider nor this
 * stand-in can drift from Fly's published document unnoticed.
 */
final class FlyStandIn implements AutoCloseable {
    static final String TOKEN = "fly-test-token";
    private static final JsonMapper JSON = FlyApi.JSON;
    private static final Pattern ROUTE = Pattern.compile("^/v1/apps(?:/([^/]+)(?:/(machines|volumes)(?:/([^/]+)(?:/([a-z]+))?)?)?)?$");

    private final HttpServer server;
    private final FlyContract contract = new FlyContract();
    private final Map<String, ObjectNode> apps = new ConcurrentHashMap<>();
    private final Map<String, ObjectNode> machines = new ConcurrentHashMap<>();
    private final Map<String, ObjectNode> volumes = new ConcurrentHashMap<>();
    private final Map<String, String[]> leases = new ConcurrentHashMap<>(); // machine -> {nonce, expiresAtSeconds}
    private final AtomicInteger ips = new AtomicInteger(2);

    /** Failure injection: the next N answers of a kind. */
    final AtomicInteger waitsBeforeReady = new AtomicInteger();
    final AtomicInteger capacityRefusals = new AtomicInteger();
    final AtomicInteger rateLimits = new AtomicInteger();

    FlyStandIn() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
    }

    List<String> violations() {
        return contract.violations();
    }

    /** Takes a lease on the machine as another client would, for {@code seconds}. */
    void leaseAsSomeoneElse(String machineId, int seconds) {
        leases.put(machineId, new String[] {"other-" + machineId, Long.toString(Instant.now().getEpochSecond() + seconds)});
    }

    String machineIdOf(String app) {
        return machines.values().stream().filter(m -> m.path("app").asString().equals(app)).findFirst().orElseThrow().path("id").asString();
    }

    private void handle(HttpExchange ex) throws IOException {
        String method = ex.getRequestMethod();
        URI uri = ex.getRequestURI();
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, List<String>> query = query(uri.getRawQuery());
        Answer a;
        try {
            a = route(ex, method, uri.getPath(), query, body);
        } catch (RuntimeException e) {
            a = error(500, e.toString());
        }
        contract.check(method, uri.getPath(), query, body, a.status, a.body);
        byte[] out = a.body == null ? new byte[0] : a.body.getBytes(StandardCharsets.UTF_8);
        if (a.body != null) ex.getResponseHeaders().set("Content-Type", "application/json");
        if (a.status == 429) ex.getResponseHeaders().set("Retry-After", "1");
        ex.sendResponseHeaders(a.status, out.length == 0 ? -1 : out.length);
        if (out.length > 0) ex.getResponseBody().write(out);
        ex.close();
    }

    private record Answer(int status, String body) {}

    private static Answer ok(Object body) {
        return new Answer(200, body == null ? null : JSON.writeValueAsString(body));
    }

    private static Answer error(int status, String message) {
        return new Answer(status, JSON.writeValueAsString(Map.of("error", message)));
    }

    private Answer route(HttpExchange ex, String method, String path, Map<String, List<String>> query, String body) {
        if (!("Bearer " + TOKEN).equals(ex.getRequestHeaders().getFirst("Authorization"))) return error(401, "unauthorized");
        if (rateLimits.getAndUpdate(n -> Math.max(0, n - 1)) > 0) return error(429, "rate limit exceeded");
        Matcher m = ROUTE.matcher(path);
        if (!m.matches()) return error(404, "no route " + path);
        String app = m.group(1), kind = m.group(2), id = m.group(3), action = m.group(4);
        String nonce = ex.getRequestHeaders().getFirst(FlyApi.LEASE_HEADER);
        if (app == null) {
            if (method.equals("GET")) {
                ArrayNode list = JSON.createArrayNode();
                apps.values().forEach(a -> list.addObject().put("id", a.path("id").asString()).put("name", a.path("name").asString())
                        .put("machine_count", machinesOf(a.path("name").asString()).size()));
                ObjectNode r = JSON.createObjectNode();
                r.set("apps", list);
                r.put("total_apps", list.size());
                return ok(r);
            }
            JsonNode req = JSON.readTree(body);
            String name = req.path("app_name").asString();
            if (apps.containsKey(name)) return error(400, "app " + name + " already exists");
            ObjectNode a = JSON.createObjectNode().put("id", "app_" + name).put("name", name).put("status", "pending");
            a.putObject("organization").put("name", req.path("org_slug").asString()).put("slug", req.path("org_slug").asString());
            apps.put(name, a);
            return new Answer(201, null);
        }
        if (!apps.containsKey(app)) return error(404, "app not found");
        if (kind == null) {
            if (method.equals("GET")) return ok(apps.get(app));
            machinesOf(app).forEach(mm -> docker("rm", "-f", container(mm)));
            machines.values().removeIf(mm -> mm.path("app").asString().equals(app));
            volumes.values().stream().filter(v -> v.path("app").asString().equals(app)).toList().forEach(v -> docker("volume", "rm", "-f", dockerVolume(v)));
            volumes.values().removeIf(v -> v.path("app").asString().equals(app));
            apps.remove(app);
            return new Answer(202, null);
        }
        return kind.equals("volumes") ? volumes(method, app, id, action, body) : machines(method, app, id, action, query, body, nonce);
    }

    private Answer volumes(String method, String app, String id, String action, String body) {
        if (id == null && method.equals("GET")) {
            ArrayNode list = JSON.createArrayNode();
            volumes.values().stream().filter(v -> v.path("app").asString().equals(app)).forEach(v -> list.add(publicView(v)));
            return ok(list);
        }
        if (id == null) {
            JsonNode req = JSON.readTree(body);
            String vid = "vol_" + random(14);
            ObjectNode v = JSON.createObjectNode().put("id", vid).put("name", req.path("name").asString()).put("region", req.path("region").asString())
                    .put("size_gb", req.path("size_gb").asInt()).put("state", "created").put("app", app).put("created_at", Instant.now().toString());
            docker("volume", "create", "--label", "devswarm.fly-standin=true", dockerVolume(v));
            volumes.put(vid, v);
            return ok(publicView(v));
        }
        ObjectNode v = volumes.get(id);
        if (v == null) return error(404, "volume not found");
        if ("snapshots".equals(action)) {
            ArrayNode snaps = (ArrayNode) v.withArray("snapshots");
            if (method.equals("POST")) {
                snaps.addObject().put("id", "vs_" + random(10)).put("created_at", Instant.now().toString()).put("size", v.path("size_gb").asLong() << 30)
                        .put("status", "created").put("digest", random(16));
                return new Answer(200, null);
            }
            return ok(snaps);
        }
        if ("extend".equals(action)) {
            v.put("size_gb", JSON.readTree(body).path("size_gb").asInt());
            ObjectNode r = JSON.createObjectNode().put("needs_restart", false);
            r.set("volume", publicView(v));
            return ok(r);
        }
        if (method.equals("DELETE")) {
            docker("volume", "rm", "-f", dockerVolume(v));
            volumes.remove(id);
            v.put("state", "destroyed");
            return ok(publicView(v));
        }
        return ok(publicView(v));
    }

    private Answer machines(String method, String app, String id, String action, Map<String, List<String>> query, String body, String nonce) {
        if (id == null && method.equals("GET")) {
            ArrayNode list = JSON.createArrayNode();
            machinesOf(app).forEach(mm -> list.add(publicView(mm)));
            return ok(list);
        }
        if (id == null) return createMachine(app, JSON.readTree(body));
        ObjectNode mm = machines.get(id);
        if (mm == null) return error(404, "machine not found");
        if (action == null && method.equals("GET")) return ok(publicView(mm));
        if ("lease".equals(action)) return lease(method, id, nonce);
        if ("wait".equals(action)) {
            if (waitsBeforeReady.getAndUpdate(n -> Math.max(0, n - 1)) > 0) return new Answer(408, null);
            return new Answer(mm.path("state").asString().equals(query.getOrDefault("state", List.of("started")).getFirst()) ? 200 : 408, null);
        }
        if ("exec".equals(action)) return exec(mm, JSON.readTree(body));
        String[] lease = leases.get(id);
        if (lease != null && Long.parseLong(lease[1]) > Instant.now().getEpochSecond() && !lease[0].equals(nonce)) return error(409, "machine is leased by " + lease[0]);
        switch (action == null ? method : action) {
            case "start" -> {
                docker(mm.path("state").asString().equals("suspended") ? "unpause" : "start", container(mm));
                mm.put("state", "started");
            }
            case "stop" -> {
                docker("stop", "-t", "2", container(mm));
                mm.put("state", "stopped");
            }
            case "suspend" -> {
                docker("pause", container(mm));
                mm.put("state", "suspended");
            }
            case "DELETE" -> {
                docker("rm", "-f", container(mm));
                machines.remove(id);
                leases.remove(id);
                return new Answer(200, null);
            }
            case "POST" -> {
                mm.set("config", JSON.readTree(body).path("config"));
                return ok(publicView(mm));
            }
            default -> {
                return error(404, "no action " + action);
            }
        }
        return new Answer(200, null);
    }

    private Answer createMachine(String app, JsonNode req) {
        if (capacityRefusals.getAndUpdate(n -> Math.max(0, n - 1)) > 0) return error(412, "insufficient resources available to fulfill request");
        JsonNode config = req.path("config");
        String mid = random(14);
        ObjectNode mm = JSON.createObjectNode().put("id", mid).put("name", req.path("name").asString()).put("region", req.path("region").asString())
                .put("instance_id", "01H" + random(23).toUpperCase()).put("private_ip", "fdaa:0:1:a7b:1::" + ips.getAndIncrement()).put("app", app)
                .put("created_at", Instant.now().toString()).put("state", "created");
        mm.set("config", config);
        List<String> run = new ArrayList<>(List.of("run", "-d", "--init", "--name", container(mm), "--label", "devswarm.fly-standin=true",
                "--memory", config.path("guest").path("memory_mb").asInt(256) + "m"));
        config.path("env").properties().forEach(e -> run.addAll(List.of("-e", e.getKey() + "=" + e.getValue().asString())));
        for (JsonNode mount : config.path("mounts")) {
            ObjectNode v = volumes.get(mount.path("volume").asString());
            if (v == null) return error(400, "volume " + mount.path("volume").asString() + " not found");
            v.put("attached_machine_id", mid);
            run.addAll(List.of("-v", dockerVolume(v) + ":" + mount.path("path").asString()));
        }
        run.add(config.path("image").asString());
        config.path("init").path("exec").forEach(c -> run.add(c.asString()));
        docker(run.toArray(String[]::new));
        mm.put("state", "started");
        machines.put(mid, mm);
        return ok(publicView(mm));
    }

    private Answer lease(String method, String id, String nonce) {
        String[] held = leases.get(id);
        boolean live = held != null && Long.parseLong(held[1]) > Instant.now().getEpochSecond();
        if (method.equals("POST")) {
            if (live) return error(409, "lease currently held by " + held[0]);
            String n = random(12);
            long expires = Instant.now().getEpochSecond() + 30;
            leases.put(id, new String[] {n, Long.toString(expires)});
            return ok(JSON.createObjectNode().put("nonce", n).put("expires_at", expires).put("owner", "devswarm").put("version", "1"));
        }
        if (method.equals("DELETE")) {
            if (live && held[0].equals(nonce)) leases.remove(id);
            return new Answer(200, null);
        }
        return live ? ok(JSON.createObjectNode().put("nonce", held[0]).put("expires_at", Long.parseLong(held[1]))) : error(404, "no lease");
    }

    private Answer exec(ObjectNode mm, JsonNode req) {
        List<String> cmd = new ArrayList<>(List.of("docker", "exec", container(mm)));
        req.path("command").forEach(c -> cmd.add(c.asString()));
        int timeout = req.path("timeout").asInt(30);
        try {
            Process p = new ProcessBuilder(cmd).start();
            p.getOutputStream().close();
            ByteArrayOutputStream stdout = new ByteArrayOutputStream(), stderr = new ByteArrayOutputStream();
            Thread o = Thread.ofVirtual().start(() -> copy(p.getInputStream(), stdout));
            Thread e = Thread.ofVirtual().start(() -> copy(p.getErrorStream(), stderr));
            if (!p.waitFor(timeout, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return error(408, "deadline exceeded");
            }
            o.join();
            e.join();
            ObjectNode r = JSON.createObjectNode().put("exit_code", p.exitValue()).put("stdout", stdout.toString(StandardCharsets.UTF_8))
                    .put("stderr", stderr.toString(StandardCharsets.UTF_8));
            return ok(r);
        } catch (IOException | InterruptedException ex) {
            return error(500, ex.toString());
        }
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        try {
            in.transferTo(out);
        } catch (IOException ignored) {
            // the process is gone
        }
    }

    private List<ObjectNode> machinesOf(String app) {
        return machines.values().stream().filter(mm -> mm.path("app").asString().equals(app)).toList();
    }

    /** Our bookkeeping fields are not part of Fly's schema. */
    private static ObjectNode publicView(ObjectNode o) {
        ObjectNode copy = o.deepCopy();
        copy.remove("app");
        copy.remove("snapshots");
        return copy;
    }

    private static String container(JsonNode mm) {
        return "flystandin-" + mm.path("id").asString();
    }

    private static String dockerVolume(JsonNode v) {
        return "flystandin-" + v.path("id").asString();
    }

    private static void docker(String... args) {
        List<String> cmd = new ArrayList<>(List.of("docker"));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0 && !args[0].equals("rm") && !(args[0].equals("volume") && args[1].equals("rm"))) {
                throw new IllegalStateException("docker " + String.join(" ", args) + ": " + out.strip());
            }
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String random(int n) {
        String alphabet = "0123456789abcdef";
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) sb.append(alphabet.charAt(ThreadLocalRandom.current().nextInt(alphabet.length())));
        return sb.toString();
    }

    private static Map<String, List<String>> query(String raw) {
        Map<String, List<String>> q = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) return q;
        for (String pair : raw.split("&")) {
            String[] kv = pair.split("=", 2);
            q.computeIfAbsent(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), k -> new ArrayList<>())
                    .add(kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        return q;
    }

    @Override
    public void close() {
        server.stop(0);
        machines.values().forEach(mm -> docker("rm", "-f", container(mm)));
        volumes.values().forEach(v -> docker("volume", "rm", "-f", dockerVolume(v)));
    }
}
