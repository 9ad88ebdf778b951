package io.devswarm.provider.fly;

import io.devswarm.core.model.InstanceHandle;
import io.devswarm.core.provider.ProviderContext;
import io.devswarm.core.provider.ProviderSettings;
import java.net.URI;
import java.time.Duration;

/**
 * Settings of the Fly.io provider, {@code devswarm.providers.fly.*}.
 *
 * @param token                  {@code token}, else FLY_API_TOKEN; null = none, and the provider cannot run
 * @param apiUrl                 {@code api-url} (https://api.machines.dev/v1): the Machines API
 * @param org                    {@code org} (personal): the organisation the apps are made in
 * @param region                 {@code region} (iad): where machines and volumes go unless an instance names its own
 *                               (metadata {@value FlyProvider#REGION_KEY})
 * @param appPattern             {@code app-pattern} (devswarm-{name}): each instance's app, {name} being its name
 * @param cpuKind                {@code cpu-kind} (shared): shared or performance
 * @param autostop               {@code autostop} (stop): what Fly's proxy does to an idle machine, and what stop does: stop, suspend
 *                               (memory kept) or off
 * @param waitTimeout            {@code wait-timeout} (120, seconds): how long a state change is awaited
 * @param extendThresholdPercent {@code extend-threshold-percent} (80; 0 = off): how full a volume is when Fly grows it
 * @param extendStepGb           {@code extend-step-gb} (5): by how much
 * @param extendMaxGb            {@code extend-max-gb} (100): up to what size
 */
record FlySettings(String token, URI apiUrl, String org, String region, String appPattern, String cpuKind, String autostop,
                   Duration waitTimeout, int extendThresholdPercent, int extendStepGb, int extendMaxGb) {

    static FlySettings from(ProviderContext context) {
        ProviderSettings s = ProviderSettings.of(FlyProvider.NAME, context);
        String region = s.text("region", "iad");
        if (!region.matches("[a-z]{3}")) throw s.invalid("region", "'" + region + "' is not a Fly region code such as iad or ams");
        String appPattern = s.text("app-pattern", "devswarm-{name}");
        if (!appPattern.contains("{name}")) throw s.invalid("app-pattern", "'" + appPattern + "' has no {name}: every instance would share one app");
        return new FlySettings(s.text("token").or(() -> s.env("FLY_API_TOKEN")).orElse(null), s.uri("api-url", "https://api.machines.dev/v1"),
                s.text("org", "personal"), region, appPattern, s.oneOf("cpu-kind", "shared", "shared", "performance"),
                s.oneOf("autostop", "stop", "stop", "suspend", "off"), s.seconds("wait-timeout", Duration.ofSeconds(120)),
                s.number("extend-threshold-percent", 80, 0, 100), s.number("extend-step-gb", 5, 1, Integer.MAX_VALUE),
                s.number("extend-max-gb", 100, 1, Integer.MAX_VALUE));
    }

    /** Why the provider cannot run with these settings, or null when it can. */
    String problem() {
        return token == null ? "no Fly API token: set devswarm.providers.fly.token or FLY_API_TOKEN" : null;
    }

    String app(InstanceHandle h) {
        return appPattern.replace("{name}", h.name());
    }

    /** Without the token: settings may end up in a log, the token must not. */
    @Override
    public String toString() {
        return "FlySettings[apiUrl=" + apiUrl + ", org=" + org + ", region=" + region + ", appPattern=" + appPattern + ", cpuKind=" + cpuKind
                + ", autostop=" + autostop + ", waitTimeout=" + waitTimeout + ", extend=" + extendThresholdPercent + "%/" + extendStepGb + "/"
                + extendMaxGb + " GB]";
    }
}
