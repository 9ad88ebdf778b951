package io.devswarm.provider.fly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.devswarm.core.model.InstanceHandle;
import io.devswarm.core.provider.ProviderContext;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Needs no Docker: only how {@code devswarm.providers.fly.*} is read. */
@DisplayName("Fly settings: every key, its default, and a clear error on a bad value")
class FlySettingsTest {
    private static FlySettings from(Map<String, String> settings) {
        return FlySettings.from(new ProviderContext("settings-test", Clock.systemUTC(), settings));
    }

    @Test
    @DisplayName("without settings: the public Machines API, org personal in iad, apps devswarm-{name}, shared CPUs, autostop, 120 s, 80 % / 5 / 100 GB")
    void defaults() {
        FlySettings s = from(Map.of("token", "t0k"));
        assertThat(s).isEqualTo(new FlySettings("t0k", URI.create("https://api.machines.dev/v1"), "personal", "iad", "devswarm-{name}", "shared", "stop",
                Duration.ofSeconds(120), 80, 5, 100));
        assertThat(s.problem()).isNull();
        assertThat(s.app(new InstanceHandle("i-1", "web-1", null))).isEqualTo("devswarm-web-1");
    }

    @Test
    @DisplayName("every key is read")
    void everyKey() {
        FlySettings s = from(Map.ofEntries(Map.entry("token", "t0k"), Map.entry("api-url", "http://127.0.0.1:4280/v1"), Map.entry("org", "team"),
                Map.entry("region", "ams"), Map.entry("app-pattern", "ds-{name}"), Map.entry("cpu-kind", "performance"), Map.entry("autostop", "suspend"),
                Map.entry("wait-timeout", "30"), Map.entry("extend-threshold-percent", "0"), Map.entry("extend-step-gb", "10"),
                Map.entry("extend-max-gb", "500")));
        assertThat(s).isEqualTo(new FlySettings("t0k", URI.create("http://127.0.0.1:4280/v1"), "team", "ams", "ds-{name}", "performance", "suspend",
                Duration.ofSeconds(30), 0, 10, 500));
    }

    @Test
    @DisplayName("without a token (setting or FLY_API_TOKEN) the provider cannot run, and says how to give one; the token never shows in toString")
    void token() {
        String env = System.getenv("FLY_API_TOKEN");
        FlySettings none = from(Map.of());
        assertThat(none.token()).isEqualTo(env == null || env.isBlank() ? null : env);
        if (none.token() == null) assertThat(none.problem()).isEqualTo("no Fly API token: set devswarm.providers.fly.token or FLY_API_TOKEN");
        assertThat(from(Map.of("token", "s3cret-token")).toString()).doesNotContain("s3cret-token").contains("region=iad");
    }

    @Test
    @DisplayName("a bad value names its key")
    void badValues() {
        assertThatThrownBy(() -> from(Map.of("region", "us-east"))).hasMessage("devswarm.providers.fly.region: 'us-east' is not a Fly region code such as iad or ams");
        assertThatThrownBy(() -> from(Map.of("app-pattern", "devswarm")))
                .hasMessage("devswarm.providers.fly.app-pattern: 'devswarm' has no {name}: every instance would share one app");
        assertThatThrownBy(() -> from(Map.of("autostop", "never"))).hasMessage("devswarm.providers.fly.autostop: 'never' is not one of stop, suspend, off");
        assertThatThrownBy(() -> from(Map.of("cpu-kind", "gpu"))).hasMessage("devswarm.providers.fly.cpu-kind: 'gpu' is not one of shared, performance");
        assertThatThrownBy(() -> from(Map.of("wait-timeout", "0")))
                .hasMessage("devswarm.providers.fly.wait-timeout: '0' is not a whole number of seconds (at least 1)");
        assertThatThrownBy(() -> from(Map.of("extend-threshold-percent", "85%")))
                .hasMessage("devswarm.providers.fly.extend-threshold-percent: '85%' is not a whole number (0 to 100)");
        assertThatThrownBy(() -> from(Map.of("api-url", "api.machines.dev"))).hasMessage("devswarm.providers.fly.api-url: 'api.machines.dev' is not an absolute URI");
    }
}
