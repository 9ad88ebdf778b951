package io.devswarm.provider.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.devswarm.core.provider.ProviderContext;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Needs no cluster: only how {@code devswarm.providers.kubernetes.*} is read. */
@DisplayName("Kubernetes settings: every key, its default, and a clear error on a bad value")
class KubernetesSettingsTest {
    private static KubernetesSettings from(Map<String, String> settings) {
        return KubernetesSettings.from(new ProviderContext("settings-test", Clock.systemUTC(), settings));
    }

    @Test
    @DisplayName("without settings: namespace devenv, the kubeconfig's current context, the default storage class, 300 s to start")
    void defaults() {
        KubernetesSettings s = from(Map.of());
        assertThat(s.namespace()).isEqualTo("devenv");
        assertThat(s.context()).isNull();
        assertThat(s.masterUrl()).isNull();
        assertThat(s.storageClass()).isNull();
        assertThat(s.startTimeout()).isEqualTo(Duration.ofSeconds(300));
    }

    @Test
    @DisplayName("every key is read; a master URL is enough to run")
    void everyKey() {
        KubernetesSettings s = from(Map.of("namespace", "team-a", "context", "staging", "master-url", "https://10.0.0.1:6443", "storage-class", "fast-ssd",
                "start-timeout", "60"));
        assertThat(s.namespace()).isEqualTo("team-a");
        assertThat(s.context()).isEqualTo("staging");
        assertThat(s.masterUrl()).isEqualTo(URI.create("https://10.0.0.1:6443"));
        assertThat(s.storageClass()).isEqualTo("fast-ssd");
        assertThat(s.startTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(s.problem()).isNull();
    }

    @Test
    @DisplayName("a bad value names its key")
    void badValues() {
        assertThatThrownBy(() -> from(Map.of("start-timeout", "5m")))
                .hasMessage("devswarm.providers.kubernetes.start-timeout: '5m' is not a whole number of seconds (at least 1)");
        assertThatThrownBy(() -> from(Map.of("master-url", "10.0.0.1:6443")))
                .hasMessage("devswarm.providers.kubernetes.master-url: '10.0.0.1:6443' is not an absolute URI");
    }
}
