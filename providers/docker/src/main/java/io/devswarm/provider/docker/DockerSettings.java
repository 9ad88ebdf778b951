package io.devswarm.provider.docker;

import io.devswarm.core.provider.ProviderContext;
import io.devswarm.core.provider.ProviderSettings;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Settings of the Docker provider, {@code devswarm.providers.docker.*}; where a key is not set, the
 * Docker CLI's own environment variables, then the local socket.
 *
 * @param host           {@code host}, else DOCKER_HOST, else unix:///var/run/docker.sock: the engine, unix:// or tcp://host:2376
 * @param tlsCertPath    {@code cert-path}, else DOCKER_CERT_PATH, else ~/.docker: ca.pem, cert.pem and key.pem for tcp with TLS,
 *                       used when {@code tls-verify} (else DOCKER_TLS_VERIFY) is set and not 0 or false; null = plain
 * @param network        {@code network} (devswarm): the bridge network every instance joins
 * @param publishAddress {@code publish-address} (127.0.0.1): the host address exposed ports are published on
 * @param apiVersionCap  {@code api-version-cap} (1.44): the highest API version to speak; the engine's own is used when lower
 * @param init           {@code init} (true): run an init process as PID 1 (signals reach the command, zombies are reaped)
 * @param stdinPipeDir   where session stdin FIFOs are made for containers to read ({@code stdin-pipes}: {@code auto}, the default,
 *                       or {@code off}); null = off. Used only with an engine on this machine, see {@code internal.StdinPipes}
 */
public record DockerSettings(URI host, Path tlsCertPath, String network, String publishAddress, String apiVersionCap, boolean init, Path stdinPipeDir) {
    public static final String DEFAULT_SOCKET = "unix:///var/run/docker.sock";

    public static DockerSettings from(ProviderContext context) {
        ProviderSettings s = ProviderSettings.of(DockerProvider.NAME, context);
        URI host = s.uri("host", s.env("DOCKER_HOST").orElse(DEFAULT_SOCKET));
        // as the Docker CLI reads DOCKER_TLS_VERIFY: any value but 0 or false turns TLS on
        String tlsVerify = s.text("tls-verify").or(() -> s.env("DOCKER_TLS_VERIFY")).orElse("");
        Path certs = tlsVerify.isEmpty() || tlsVerify.equals("0") || tlsVerify.equalsIgnoreCase("false") ? null
                : Path.of(s.text("cert-path").or(() -> s.env("DOCKER_CERT_PATH")).orElse(System.getProperty("user.home") + "/.docker"));
        String apiVersionCap = s.text("api-version-cap", "1.44");
        if (!apiVersionCap.matches("\\d+\\.\\d+")) throw s.invalid("api-version-cap", "'" + apiVersionCap + "' is not an API version such as 1.44");
        boolean pipes = s.oneOf("stdin-pipes", "auto", "auto", "off").equals("auto");
        Path pipeDir = pipes && "unix".equals(host.getScheme()) && context.dataDir() != null ? context.dataDir().resolve("stdin") : null;
        return new DockerSettings(host, certs, s.text("network", "devswarm"), s.text("publish-address", "127.0.0.1"), apiVersionCap,
                s.flag("init", true), pipeDir);
    }

    /** Why this engine address cannot work here, or null when it may. */
    String problem() {
        return switch (host.getScheme() == null ? "" : host.getScheme()) {
            case "unix" -> Files.exists(Path.of(host.getPath())) ? null : "no Docker engine socket at " + host.getPath() + " (is dockerd running?)";
            case "tcp" -> tlsCertPath != null && !Files.isDirectory(tlsCertPath) ? "TLS certificate directory " + tlsCertPath + " does not exist" : null;
            default -> "unsupported Docker host '" + host + "' (devswarm.providers.docker.host, else DOCKER_HOST): use unix:// or tcp://";
        };
    }
}
