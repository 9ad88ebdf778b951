package io.devswarm.provider.fly;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A thin client of the Fly Machines REST API: JSON in, JSON out, errors as {@link FlyApiException}. */
final class FlyApi {
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String LEASE_HEADER = "fly-machine-lease-nonce";

    private final URI base;
    private final String token;
    private final HttpClient http;

    FlyApi(URI base, String token) {
        this.base = URI.create(base.toString().replaceAll("/$", ""));
        this.token = token;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** An error answer; {@code retryAfter} from a 429's Retry-After, else null. */
    static final class FlyApiException extends RuntimeException {
        final int status;
        final Duration retryAfter;

        FlyApiException(int status, String message, Duration retryAfter) {
            super(message);
            this.status = status;
            this.retryAfter = retryAfter;
        }
    }

    JsonNode get(String path) {
        return send("GET", path, null, null, Duration.ofSeconds(30));
    }

    JsonNode send(String method, String path, Object body, String leaseNonce, Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout)
                .header("Authorization", "Bearer " + token).header("Accept", "application/json");
        if (leaseNonce != null) b.header(LEASE_HEADER, leaseNonce);
        if (body != null) b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        else b.method(method, HttpRequest.BodyPublishers.noBody());
        HttpResponse<String> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (java.net.http.HttpTimeoutException e) {
            throw new FlyApiException(408, method + " " + path + ": no answer in " + timeout.toSeconds() + " s", null);
        } catch (IOException e) {
            throw new FlyApiException(0, "cannot reach the Fly Machines API at " + base + ": " + e.getMessage(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FlyApiException(0, "interrupted", null);
        }
        JsonNode node = r.body() == null || r.body().isBlank() ? JSON.createObjectNode() : parse(r.body());
        if (r.statusCode() >= 400) {
            String detail = node.path("error").asString("");
            if (detail.isBlank()) detail = r.body() == null || r.body().isBlank() ? "HTTP " + r.statusCode() : r.body().strip();
            Duration retry = r.headers().firstValue("Retry-After").map(v -> {
                try {
                    return Duration.ofSeconds(Long.parseLong(v.strip()));
                } catch (NumberFormatException e) {
                    return null;
                }
            }).orElse(null);
            throw new FlyApiException(r.statusCode(), detail, retry);
        }
        return node;
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (RuntimeException notJson) {
            return JSON.getNodeFactory().stringNode(body);
        }
    }

    static String query(Map<String, ?> params) {
        StringBuilder q = new StringBuilder();
        params.forEach((k, v) -> {
            if (v == null) return;
            q.append(q.isEmpty() ? '?' : '&').append(k).append('=').append(URLEncoder.encode(String.valueOf(v), StandardCharsets.UTF_8));
        });
        return q.toString();
    }
}
