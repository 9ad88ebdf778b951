package io.devswarm.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A thin client of devswarm's REST API; problem+json answers become {@link ApiException}s. */
final class ApiClient {
    static final JsonMapper JSON = JsonMapper.builder().build();

    private final URI base;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    ApiClient(String base, String token) {
        this.base = URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
        this.token = token;
    }

    /** An error answer: its status and the problem's detail, or a transport failure (status 0). */
    static final class ApiException extends RuntimeException {
        final int status;
        final JsonNode problem;

        ApiException(int status, String message, JsonNode problem) {
            super(message);
            this.status = status;
            this.problem = problem;
        }
    }

    JsonNode get(String path, Map<String, ?> query) {
        return send("GET", path, query, null);
    }

    JsonNode post(String path, Map<String, ?> query, Object body) {
        return send("POST", path, query, body);
    }

    JsonNode delete(String path, Map<String, ?> query) {
        return send("DELETE", path, query, null);
    }

    JsonNode put(String path, Object body) {
        return send("PUT", path, Map.of(), body);
    }

    private JsonNode send(String method, String path, Map<String, ?> query, Object body) {
        StringJoiner q = new StringJoiner("&", "?", "").setEmptyValue("");
        query.forEach((k, v) -> {
            if (v != null) q.add(k + "=" + URLEncoder.encode(String.valueOf(v), StandardCharsets.UTF_8));
        });
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(base + "/api/v1" + path + q)).timeout(Duration.ofMinutes(11))
                .header("Accept", "application/json, application/problem+json");
        if (token != null && !token.isBlank()) req.header("Authorization", "Bearer " + token);
        if (body != null) {
            req.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        } else {
            req.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> response;
        try {
            response = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new ApiException(0, "cannot reach the devswarm server at " + base + " (is `devswarm server` running? set --url or DEVSWARM_URL)", null);
        } catch (IOException e) {
            throw new ApiException(0, "request to " + base + " failed: " + e.getMessage(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(0, "interrupted", null);
        }
        JsonNode node = response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
        if (response.statusCode() >= 400) {
            String detail = node.path("detail").asString(node.path("error").asString("HTTP " + response.statusCode()));
            throw new ApiException(response.statusCode(), detail, node);
        }
        return node;
    }
}
