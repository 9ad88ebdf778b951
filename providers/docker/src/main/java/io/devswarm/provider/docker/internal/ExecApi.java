package io.devswarm.provider.docker.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.exception.BadRequestException;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.transport.DockerHttpClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The two exec calls on every command's path, exec create and exec inspect, sent through
 * docker-java's transport (its pooled connections, unix socket or TLS) without its command layer.
 * Mapping each answer to docker-java's full response types cost about a millisecond of CPU per
 * call here, more than all the rest of an exec's client work; these calls read the two or three
 * fields they need. Error answers become docker-java's exceptions, so callers handle one kind.
 */
public final class ExecApi {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DockerHttpClient http;
    private final String prefix;

    /** @param apiVersion the version negotiated with the engine, as in {@code /v1.41/...} */
    public ExecApi(DockerHttpClient http, String apiVersion) {
        this.http = http;
        this.prefix = "/v" + apiVersion;
    }

    /** What exec inspect says; {@code exitCode} is null while the process runs. */
    public record State(boolean running, Integer exitCode, long pid) {}

    /** {@code POST /containers/{id}/exec}: the new exec's id. Nothing runs until it is started. */
    public String create(String containerId, List<String> command, Map<String, String> env, String user, String workdir, boolean stdin, boolean tty) {
        ObjectNode body = JSON.createObjectNode()
                .put("AttachStdin", stdin)
                .put("AttachStdout", true)
                .put("AttachStderr", true)
                .put("Tty", tty);
        ArrayNode cmd = body.putArray("Cmd");
        command.forEach(cmd::add);
        if (!env.isEmpty()) {
            ArrayNode vars = body.putArray("Env");
            env.forEach((k, v) -> vars.add(k + "=" + v));
        }
        if (user != null) body.put("User", user);
        if (workdir != null) body.put("WorkingDir", workdir);
        return call(DockerHttpClient.Request.Method.POST, "/containers/" + containerId + "/exec", body).path("Id").asText();
    }

    /** {@code GET /exec/{id}/json}. */
    public State inspect(String execId) {
        JsonNode r = call(DockerHttpClient.Request.Method.GET, "/exec/" + execId + "/json", null);
        boolean running = r.path("Running").asBoolean();
        JsonNode code = r.path("ExitCode");
        return new State(running, running || !code.isNumber() ? null : code.asInt(), r.path("Pid").asLong());
    }

    private JsonNode call(DockerHttpClient.Request.Method method, String path, JsonNode body) {
        var request = DockerHttpClient.Request.builder().method(method).path(prefix + path);
        try {
            if (body != null) request.putHeader("Content-Type", "application/json").bodyBytes(JSON.writeValueAsBytes(body));
            try (DockerHttpClient.Response response = http.execute(request.build()); InputStream in = response.getBody()) {
                byte[] answer = in.readAllBytes();
                int status = response.getStatusCode();
                if (status >= 200 && status < 300) return JSON.readTree(answer);
                throw error(status, new String(answer, StandardCharsets.UTF_8).trim());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** As docker-java words them ("Status 404: {...}"), so its message parsing and error kinds apply. */
    private static DockerException error(int status, String body) {
        String message = "Status " + status + ": " + body;
        return switch (status) {
            case 400 -> new BadRequestException(message);
            case 404 -> new NotFoundException(message);
            case 409 -> new ConflictException(message);
            default -> new DockerException(message, status);
        };
    }
}
