package io.devswarm.provider.fly;

import io.devswarm.core.provider.Provider;
import io.devswarm.core.provider.ProviderContext;
import io.devswarm.core.provider.ProviderFactory;

/** Registers the {@code fly} provider with the service loader; its settings are {@link FlySettings}. */
public final class FlyProviderFactory implements ProviderFactory {
    @Override
    public String name() {
        return FlyProvider.NAME;
    }

    @Override
    public Availability availability(ProviderContext context) {
        String problem = FlySettings.from(context).problem();
        return problem == null ? Availability.yes() : Availability.no(problem);
    }

    @Override
    public Provider create(ProviderContext context) {
        return new FlyProvider(FlySettings.from(context), context);
    }
}
