package io.devswarm.provider.fly;

import io.devswarm.core.provider.Provider;
import io.devswarm.core.provider.ProviderContext;
import io.devswarm.core.provider.ProviderFactory;
import java.net.URI;
import java.time.Duration;
import java.util.Set;

/**
 * Settings ({@code devswarm.providers.fly.*}): {@code token} (else FLY_API_TOKEN), {@code api-url}
 * (default https://api.machines.dev/v1), {@code org} (default personal), {@code region} (default
 * iad), {@code app-pattern} (default devswarm-{name}), {@code cpu-kind} (shared or performance),
 * {@code autostop} (stop, suspend or off), {@code wait-timeout} (seconds, default 120), and volume
 * auto-extension: {@code extend-threshold-percent} (80; 0 = off), {@code extend-step-gb} (5),
 * {@code extend-max-gb} (100).
 */
public final class FlyProviderFactory implements ProviderFactory {
    @Override
    public String name() {
        return "fly";
    }

    @Override
    public Availability availability(ProviderContext context) {
        return token(context) == null ? Availability.no("no Fly API token: set devswarm.providers.fly.token or FLY_API_TOKEN") : Availability.yes();
    }

    @Override
    public Provider create(ProviderContext context) {
        String autostop = context.setting("autostop", "stop");
        if (!Set.of("stop", "suspend", "off").contains(autostop)) throw new IllegalArgumentException("devswarm.providers.fly.autostop must be stop, suspend or off");
        var settings = new FlyProvider.Settings(context.setting("org", "personal"), context.setting("region", "iad"),
                context.setting("app-pattern", "devswarm-{name}"), context.setting("cpu-kind", "shared"), autostop,
                Duration.ofSeconds(Long.parseLong(context.setting("wait-timeout", "120"))), Integer.parseInt(context.setting("extend-threshold-percent", "80")),
                Integer.parseInt(context.setting("extend-step-gb", "5")), Integer.parseInt(context.setting("extend-max-gb", "100")));
        return new FlyProvider(new FlyApi(URI.create(context.setting("api-url", "https://api.machines.dev/v1")), token(context)), settings,
                context.installationId(), context.clock());
    }

    private static String token(ProviderContext context) {
        return context.setting("token").orElseGet(() -> {
            String env = System.getenv("FLY_API_TOKEN");
            return env == null || env.isBlank() ? null : env;
        });
    }
}
