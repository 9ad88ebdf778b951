package io.devswarm.server;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.devswarm.core.secrets.Keyring;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Date;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Real HTTP to a running server, as one caller (a bearer token, or none). */
final class ApiClient {
    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    record Response(int status, String contentType, JsonNode body, Map<String, java.util.List<String>> headers) {}

    private final int port;
    private final String token;

    ApiClient(int port, String token) {
        this.port = port;
        this.token = token;
    }

    /** A token in devswarm's own format with admin rights, signed with {@code key} in {@code issuer}'s name: how forgeries are made. */
    static String signed(Keyring.Key key, String issuer, String subject, String userId) {
        Date now = new Date();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(issuer).subject(subject).claim("uid", userId).jwtID("forged").issueTime(now)
                .expirationTime(new Date(now.getTime() + 60_000)).claim("roles", List.of("admin")).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(key.id()).type(JOSEObjectType.JWT).build(), claims);
        try {
            jwt.sign(new MACSigner(key.material()));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    /** Signs in as the admin the server made on first start, with the password from its 0600 credentials file. */
    static ApiClient firstStartAdmin(int port, Path home) {
        try {
            String password = Files.readAllLines(home.resolve("admin-credentials")).stream().filter(l -> l.startsWith("password="))
                    .findFirst().orElseThrow().substring("password=".length());
            return new ApiClient(port, null).login("admin", password);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    ApiClient login(String username, String password) {
        Response r = call("POST", "/api/v1/auth/login", JSON.writeValueAsString(Map.of("username", username, "password", password)));
        if (r.status() != 200) throw new AssertionError("login as " + username + " failed: " + r.status() + " " + r.body());
        return withToken(r.body().path("token").asString());
    }

    ApiClient withToken(String newToken) {
        return new ApiClient(port, newToken);
    }

    String token() {
        return token;
    }

    Response call(String method, String path, String json) {
        return call(method, path, json == null ? null : "application/json", json);
    }

    /** Any body with any content type; {@code path} is sent as written, percent-escapes and all. */
    Response call(String method, String path, String contentType, String body) {
        Raw r = raw(method, path, contentType, body);
        return new Response(r.status(), r.contentType(), r.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.body()), r.headers());
    }

    /** An answer as it came, its body unparsed: what a test of bad input reads before it trusts it to be JSON. */
    record Raw(int status, String contentType, String body, Map<String, java.util.List<String>> headers) {}

    Raw raw(String method, String path, String contentType, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) b.header("Content-Type", contentType);
        if (token != null) b.header("Authorization", "Bearer " + token);
        try {
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Raw(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body(), r.headers().map());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
