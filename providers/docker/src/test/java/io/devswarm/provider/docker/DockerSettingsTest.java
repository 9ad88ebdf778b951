package io.devswarm.provider.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.devswarm.core.provider.ProviderContext;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Needs no engine: only how {@code devswarm.providers.docker.*} is read. */
@DisplayName("Docker settings: every key, its default, and a clear error on a bad value")
class DockerSettingsTest {
    private static final Path DATA = Path.of("/srv/devswarm/providers/docker");

    private static DockerSettings from(Map<String, String> settings) {
        return DockerSettings.from(new ProviderContext("settings-test", Clock.systemUTC(), settings, DATA));
    }

    @Test
    @DisplayName("without settings: the local socket (or DOCKER_HOST), no TLS, bridge devswarm on 127.0.0.1, init, stdin pipes in the data directory")
    void defaults() {
        DockerSettings s = from(Map.of("host", DockerSettings.DEFAULT_SOCKET));
        assertThat(s.host()).isEqualTo(URI.create("unix:///var/run/docker.sock"));
        assertThat(s.network()).isEqualTo("devswarm");
        assertThat(s.publishAddress()).isEqualTo("127.0.0.1");
        assertThat(s.apiVersionCap()).isEqualTo("1.44");
        assertThat(s.init()).isTrue();
        assertThat(s.stdinPipeDir()).isEqualTo(DATA.resolve("stdin"));
        String dockerHost = System.getenv("DOCKER_HOST");
        assertThat(from(Map.of()).host()).isEqualTo(URI.create(dockerHost == null || dockerHost.isBlank() ? DockerSettings.DEFAULT_SOCKET : dockerHost));
    }

    @Test
    @DisplayName("every key is read; stdin pipes stay off for an engine elsewhere")
    void everyKey() {
        DockerSettings s = from(Map.of("host", "tcp://10.0.0.5:2376", "tls-verify", "1", "cert-path", "/etc/docker-certs", "network", "lab",
                "publish-address", "0.0.0.0", "api-version-cap", "1.41", "init", "false", "stdin-pipes", "auto"));
        assertThat(s).isEqualTo(new DockerSettings(URI.create("tcp://10.0.0.5:2376"), Path.of("/etc/docker-certs"), "lab", "0.0.0.0", "1.41", false, null));
        assertThat(from(Map.of("host", "tcp://10.0.0.5:2375", "tls-verify", "0")).tlsCertPath()).isNull();
        assertThat(from(Map.of("host", DockerSettings.DEFAULT_SOCKET, "stdin-pipes", "off")).stdinPipeDir()).isNull();
    }

    @Test
    @DisplayName("a bad value names its key")
    void badValues() {
        assertThatThrownBy(() -> from(Map.of("stdin-pipes", "on")))
                .hasMessage("devswarm.providers.docker.stdin-pipes: 'on' is not one of auto, off");
        assertThatThrownBy(() -> from(Map.of("init", "yes"))).hasMessage("devswarm.providers.docker.init: 'yes' is not true or false");
        assertThatThrownBy(() -> from(Map.of("api-version-cap", "v1.41")))
                .hasMessage("devswarm.providers.docker.api-version-cap: 'v1.41' is not an API version such as 1.44");
        assertThatThrownBy(() -> from(Map.of("host", "/var/run/docker.sock")))
                .hasMessage("devswarm.providers.docker.host: '/var/run/docker.sock' is not an absolute URI");
        assertThat(from(Map.of("host", "npipe:////./pipe/docker_engine")).problem()).startsWith("unsupported Docker host 'npipe:");
    }
}
