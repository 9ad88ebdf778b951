package io.devswarm.core.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Provider settings: typed values, defaults, environment fallbacks, errors naming the whole key")
class ProviderSettingsTest {
    private static ProviderSettings settings(Map<String, String> values) {
        return new ProviderSettings("fly", values, Map.of("FLY_API_TOKEN", "from-env", "EMPTY", " ")::get);
    }

    @Test
    @DisplayName("a blank value counts as absent, so the default applies")
    void blankIsAbsent() {
        ProviderSettings s = settings(Map.of("org", "team", "region", "  "));
        assertThat(s.text("org")).contains("team");
        assertThat(s.text("region", "iad")).isEqualTo("iad");
        assertThat(s.text("app-pattern")).isEmpty();
        assertThat(s.key("region")).isEqualTo("devswarm.providers.fly.region");
    }

    @Test
    @DisplayName("environment variables are read through the given environment; blank ones are unset")
    void environment() {
        ProviderSettings s = settings(Map.of());
        assertThat(s.env("FLY_API_TOKEN")).contains("from-env");
        assertThat(s.env("EMPTY")).isEmpty();
        assertThat(s.env("UNSET")).isEmpty();
    }

    @Test
    @DisplayName("each typed value is read, or its default given when the key is not set")
    void typedValues() {
        ProviderSettings s = settings(Map.of("autostop", "suspend", "extend-step-gb", " 7 ", "wait-timeout", "30", "init", "FALSE",
                "api-url", "http://127.0.0.1:4280/v1"));
        assertThat(s.oneOf("autostop", "stop", "stop", "suspend", "off")).isEqualTo("suspend");
        assertThat(s.oneOf("cpu-kind", "shared", "shared", "performance")).isEqualTo("shared");
        assertThat(s.number("extend-step-gb", 5, 1, Integer.MAX_VALUE)).isEqualTo(7);
        assertThat(s.number("extend-max-gb", 100, 1, Integer.MAX_VALUE)).isEqualTo(100);
        assertThat(s.seconds("wait-timeout", Duration.ofSeconds(120))).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.seconds("start-timeout", Duration.ofSeconds(300))).isEqualTo(Duration.ofSeconds(300));
        assertThat(s.flag("init", true)).isFalse();
        assertThat(s.flag("tty", true)).isTrue();
        assertThat(s.uri("api-url", "https://api.machines.dev/v1")).isEqualTo(URI.create("http://127.0.0.1:4280/v1"));
        assertThat(s.uri("master-url")).isEqualTo(Optional.empty());
    }

    @Test
    @DisplayName("a bad value is refused with its whole key, the value and what was expected")
    void badValues() {
        ProviderSettings s = settings(Map.of("autostop", "sometimes", "extend-threshold-percent", "120", "extend-step-gb", "five", "wait-timeout", "2m",
                "init", "yes", "api-url", "api.machines.dev", "master-url", "https://[::1"));
        assertThatThrownBy(() -> s.oneOf("autostop", "stop", "stop", "suspend", "off"))
                .hasMessage("devswarm.providers.fly.autostop: 'sometimes' is not one of stop, suspend, off");
        assertThatThrownBy(() -> s.number("extend-threshold-percent", 80, 0, 100))
                .hasMessage("devswarm.providers.fly.extend-threshold-percent: '120' is not a whole number (0 to 100)");
        assertThatThrownBy(() -> s.number("extend-step-gb", 5, 1, Integer.MAX_VALUE))
                .hasMessage("devswarm.providers.fly.extend-step-gb: 'five' is not a whole number (at least 1)");
        assertThatThrownBy(() -> s.seconds("wait-timeout", Duration.ofSeconds(120)))
                .hasMessage("devswarm.providers.fly.wait-timeout: '2m' is not a whole number of seconds (at least 1)");
        assertThatThrownBy(() -> s.flag("init", true)).hasMessage("devswarm.providers.fly.init: 'yes' is not true or false");
        assertThatThrownBy(() -> s.uri("api-url", "https://api.machines.dev/v1"))
                .hasMessage("devswarm.providers.fly.api-url: 'api.machines.dev' is not an absolute URI");
        assertThatThrownBy(() -> s.uri("master-url")).hasMessage("devswarm.providers.fly.master-url: 'https://[::1' is not an absolute URI");
        assertThat(s.invalid("region", "'IAD' is not a region")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("devswarm.providers.fly.region: 'IAD' is not a region");
    }
}
