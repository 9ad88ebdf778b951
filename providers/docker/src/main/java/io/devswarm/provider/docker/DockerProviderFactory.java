package io.devswarm.provider.docker;

import io.devswarm.core.provider.Provider;
import io.devswarm.core.provider.ProviderContext;
import io.devswarm.core.provider.ProviderFactory;

/** Registers the {@code docker} provider with the service loader. */
public final class DockerProviderFactory implements ProviderFactory {
    @Override
    public String name() {
        return DockerProvider.NAME;
    }

    @Override
    public Availability availability(ProviderContext context) {
        String problem = DockerSettings.from(context).problem();
        return problem == null ? Availability.yes() : Availability.no(problem);
    }

    @Override
    public Provider create(ProviderContext context) {
        return new DockerProvider(DockerSettings.from(context), context);
    }
}
