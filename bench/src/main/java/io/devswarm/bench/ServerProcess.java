package io.devswarm.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The real server jar in its own JVM, as users run it, plus a small HTTP client for it. The client
 * is the JDK's blocking one (keep-alive, on the caller's thread), as docker-java's is on the raw
 * side: the JDK's asynchronous HttpClient hands each request to its selector thread and back, and
 * those two thread hops cost ~1.5 ms per call here, which is the bench's client and not devswarm.
 */
final class ServerProcess implements AutoCloseable {
    static final JsonMapper JSON = JsonMapper.builder().build();

    final Process process;
    final String base;
    private String token;

    ServerProcess(Path jar, Path home, List<String> extraArgs) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        if (!Files.exists(jar)) throw new IllegalStateException("server jar not found at " + jar + " (./mvnw -DskipTests package)");
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-jar", jar.toString(),
                "--server.port=" + port, "--devswarm.home=" + home, "--logging.level.root=WARN"));
        if (extraArgs.stream().noneMatch(a -> a.startsWith("--devswarm.ssh.port="))) cmd.add("--devswarm.ssh.port=0");
        cmd.addAll(extraArgs);
        process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(home.resolve("server.log").toFile()).start();
        base = "http://127.0.0.1:" + port + "/api/v1";
        for (int i = 0; i < 600; i++) {
            try {
                if (send("GET", "/health", null).statusCode() == 200) {
                    signIn(home);
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            if (!process.isAlive()) throw new IllegalStateException("server exited; see " + home.resolve("server.log"));
            Thread.sleep(100);
        }
        throw new IllegalStateException("server did not become healthy; see " + home.resolve("server.log"));
    }

    /** As the admin the server made on first start: the bench measures the API as a signed-in user meets it. */
    private void signIn(Path home) throws IOException {
        Path credentials = home.resolve("admin-credentials");
        if (!Files.exists(credentials)) throw new IllegalStateException("no " + credentials + ": the bench needs a fresh database");
        String password = Files.readAllLines(credentials).stream().filter(l -> l.startsWith("password=")).findFirst().orElseThrow().substring(9);
        token = ok("POST", "/auth/login", JSON.writeValueAsString(java.util.Map.of("username", "admin", "password", password))).path("token").asString();
    }

    record Answer(int statusCode, String body) {}

    Answer send(String method, String path, String json) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(base + path).toURL().openConnection();
        c.setConnectTimeout(5000);
        c.setRequestMethod(method);
        if (token != null) c.setRequestProperty("Authorization", "Bearer " + token);
        if (json != null) {
            c.setDoOutput(true);
            c.setRequestProperty("Content-Type", "application/json");
            try (OutputStream out = c.getOutputStream()) {
                out.write(json.getBytes(StandardCharsets.UTF_8));
            }
        }
        int status = c.getResponseCode();
        // read to the end, so that the connection goes back to the keep-alive cache
        try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
            return new Answer(status, in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** Sends and requires a 2xx answer whose operation (if any) completed. */
    JsonNode ok(String method, String path, String json) throws IOException {
        Answer r = send(method, path, json);
        JsonNode body = JSON.readTree(r.body());
        if (r.statusCode() >= 300) throw new IllegalStateException(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
        JsonNode op = body.path("operation");
        if (!op.isMissingNode() && !"completed".equals(op.path("status").asString())) {
            throw new IllegalStateException(method + " " + path + ": operation " + op.path("status").asString() + ": " + op.path("error").asString(""));
        }
        return body;
    }

    /** CPU time the server's JIT compiler threads have used so far (Linux: their /proc task stats). */
    long jitCpuNanos() throws IOException {
        long ticks = 0;
        try (var tasks = Files.list(Path.of("/proc/" + process.pid() + "/task"))) {
            for (Path task : tasks.toList()) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException ended) {
                    continue; // the thread ended meanwhile
                }
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                if (!name.startsWith("C1 Compiler") && !name.startsWith("C2 Compiler")) continue;
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
            }
        }
        return ticks * 10_000_000L; // USER_HZ = 100
    }

    long rssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", ""));
        }
        return -1;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
