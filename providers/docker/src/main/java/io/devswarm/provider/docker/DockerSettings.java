package io.devswarm.provider.docker;

import io.devswarm.core.provider.ProviderContext;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Settings of the Docker provider ({@code devswarm.providers.docker.*}), defaulting to the
 * standard environment variables and the local socket.
 *
 * @param host           engine address: unix:///var/run/docker.sock, tcp://host:2376
 * @param tlsCertPath    directory with ca.pem, cert.pem, key.pem for tcp with TLS; null = plain
 * @param network        bridge network every instance joins
 * @param publishAddress host address exposed ports are published on
 * @param apiVersionCap  highest API version to speak; the engine's own is used when lower
 * @param init           run an init process as PID 1 (signals reach the command, zombies are reaped)
 * @param stdinPipeDir   where session stdin FIFOs are made for containers to read (setting {@code stdin-pipes}:
 *                       {@code auto}, the default, or {@code off}); null = off. Used only with an engine on this
 *                       machine, see {@code internal.StdinPipes}
 */
public record DockerSettings(URI host, Path tlsCertPath, String network, String publishAddress, String apiVersionCap, boolean init, Path stdinPipeDir) {
    public static final String DEFAULT_SOCKET = "unix:///var/run/docker.sock";

    public static DockerSettings from(ProviderContext context) {
        String host = context.setting("host").orElseGet(() -> envOr("DOCKER_HOST", DEFAULT_SOCKET));
        String tlsVerify = context.setting("tls-verify").orElseGet(() -> envOr("DOCKER_TLS_VERIFY", ""));
        Path certs = null;
        if (!tlsVerify.isEmpty() && !tlsVerify.equals("0") && !tlsVerify.equalsIgnoreCase("false")) {
            certs = Path.of(context.setting("cert-path").orElseGet(() -> envOr("DOCKER_CERT_PATH", System.getProperty("user.home") + "/.docker")));
        }
        URI uri = URI.create(host);
        String pipes = context.setting("stdin-pipes", "auto");
        if (!pipes.equals("auto") && !pipes.equals("off")) throw new IllegalArgumentException("devswarm.providers.docker.stdin-pipes must be auto or off, not '" + pipes + "'");
        Path pipeDir = pipes.equals("auto") && "unix".equals(uri.getScheme()) && context.dataDir() != null ? context.dataDir().resolve("stdin") : null;
        return new DockerSettings(uri, certs, context.setting("network", "devswarm"), context.setting("publish-address", "127.0.0.1"),
                context.setting("api-version-cap", "1.44"), Boolean.parseBoolean(context.setting("init", "true")), pipeDir);
    }

    /** Why this engine address cannot work here, or null when it may. */
    String problem() {
        return switch (host.getScheme() == null ? "" : host.getScheme()) {
            case "unix" -> Files.exists(Path.of(host.getPath())) ? null : "no Docker engine socket at " + host.getPath() + " (is dockerd running?)";
            case "tcp" -> tlsCertPath != null && !Files.isDirectory(tlsCertPath) ? "TLS certificate directory " + tlsCertPath + " does not exist" : null;
            default -> "unsupported DOCKER_HOST '" + host + "': use unix:// or tcp://";
        };
    }

    private static String envOr(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
