package io.devswarm.provider.fly;

import static org.assertj.core.api.Assertions.assertThat;

import io.devswarm.core.model.InstanceSpec;
import io.devswarm.core.provider.Provider;
import io.devswarm.core.provider.ProviderContext;
import io.devswarm.core.provider.feature.LiveResize;
import io.devswarm.core.provider.feature.Regions;
import io.devswarm.core.provider.feature.Suspend;
import io.devswarm.core.provider.feature.VolumeExtension;
import io.devswarm.core.provider.feature.VolumeSnapshots;
import io.devswarm.core.testing.HostCommand;
import io.devswarm.core.testing.ProviderContract;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;

/**
 * The provider contract against the Fly Machines stand-in, each machine a real container: every
 * request the provider sends and every answer it gets is checked against Fly's OpenAPI document.
 */
@DisplayName("Fly provider against the contract-checked Machines API stand-in: the provider contract")
class FlyContractTest extends ProviderContract {
    private static FlyStandIn standIn;
    private static FlyProvider provider;

    @BeforeAll
    static void start() throws Exception {
        HostCommand.requireDocker();
        standIn = new FlyStandIn();
        var context = new ProviderContext("inst-fly-contract", Clock.systemUTC(), Map.of("token", FlyStandIn.TOKEN, "api-url", standIn.url().toString(),
                "app-pattern", "ds-ct-{name}", "wait-timeout", "30"));
        provider = new FlyProvider(FlySettings.from(context), context);
    }

    @AfterAll
    static void stop() {
        if (standIn == null) return;
        try {
            assertThat(standIn.violations()).as("requests and answers outside Fly's published contract").isEmpty();
        } finally {
            standIn.close();
        }
    }

    @Override
    protected Provider provider() {
        return provider;
    }

    @Override
    protected InstanceSpec spec(String name) {
        return InstanceSpec.of(name, "devswarm/base");
    }

    /** No ExecStreams: the Machines API runs a command only to its end. */
    @Override
    protected Set<Class<?>> features() {
        return Set.of(LiveResize.class, Suspend.class, VolumeSnapshots.class, VolumeExtension.class, Regions.class);
    }

}
