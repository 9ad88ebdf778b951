package io.devswarm.core.provider;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * What devswarm hands a provider when it makes one: which installation it belongs to (its
 * resources are labelled with it), a clock, and its own settings ({@code devswarm.providers.<name>.*}
 * with the prefix removed).
 */
public record ProviderContext(String installationId, Clock clock, Map<String, String> settings) {
    public ProviderContext {
        if (installationId == null || installationId.isBlank()) throw new IllegalArgumentException("installationId is blank");
        clock = clock == null ? Clock.systemUTC() : clock;
        settings = settings == null ? Map.of() : Map.copyOf(settings);
    }

    public Optional<String> setting(String key) {
        return Optional.ofNullable(settings.get(key)).filter(v -> !v.isBlank());
    }

    public String setting(String key, String defaultValue) {
        return setting(key).orElse(defaultValue);
    }
}
