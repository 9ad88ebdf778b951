package io.devswarm.core.provider;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * What devswarm hands a provider when it makes one: which installation it belongs to (its
 * resources are labelled with it), a clock, its own settings ({@code devswarm.providers.<name>.*}
 * with the prefix removed, read through {@link ProviderSettings}) and a directory of its own on this
 * server's disk.
 *
 * @param dataDir where the provider may keep files on this server ({@code $DEVSWARM_HOME/providers/<name>});
 *                null when it has none
 */
public record ProviderContext(String installationId, Clock clock, Map<String, String> settings, Path dataDir) {
    public ProviderContext {
        if (installationId == null || installationId.isBlank()) throw new IllegalArgumentException("installationId is blank");
        clock = clock == null ? Clock.systemUTC() : clock;
        settings = settings == null ? Map.of() : Map.copyOf(settings);
    }

    /** A context without a data directory. */
    public ProviderContext(String installationId, Clock clock, Map<String, String> settings) {
        this(installationId, clock, settings, null);
    }
}
