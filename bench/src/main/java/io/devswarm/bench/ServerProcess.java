package io.devswarm.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.http.message.BasicClassicHttpRequest;
import org.apache.hc.core5.util.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The real server jar in its own JVM, as users run it, plus a small HTTP client for it. The client
 * is Apache HttpClient 5's classic one, blocking on the caller's thread with keep-alive: the library
 * docker-java's transport is built on, so both sides of a comparison pay the same client. (The
 * JDK's asynchronous HttpClient hands each request to its selector thread and back, ~1.5 ms per call
 * here; its HttpURLConnection cost ~0.3 ms more than a bare socket per call after an idle moment.
 * Neither is devswarm's time.)
 */
final class ServerProcess implements AutoCloseable {
    static final JsonMapper JSON = JsonMapper.builder().build();

    final Process process;
    final String base;
    private final CloseableHttpClient http = HttpClients.custom()
            .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create().setMaxConnTotal(64).setMaxConnPerRoute(64)
                    .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(Timeout.ofSeconds(5)).build()).build())
            .disableAutomaticRetries().disableRedirectHandling().disableCookieManagement().disableContentCompression().build();
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
        var request = new BasicClassicHttpRequest(method, URI.create(base + path));
        if (token != null) request.setHeader(HttpHeaders.AUTHORIZATION, "Bearer " + token);
        if (json != null) request.setEntity(new StringEntity(json, ContentType.APPLICATION_JSON));
        // the whole body is read, so the connection goes back to the pool for the next call
        return http.execute(request, response -> new Answer(response.getCode(),
                response.getEntity() == null ? "" : EntityUtils.toString(response.getEntity(), StandardCharsets.UTF_8)));
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
        try {
            http.close();
        } catch (IOException ignored) {
            // the server goes next anyway
        }
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
