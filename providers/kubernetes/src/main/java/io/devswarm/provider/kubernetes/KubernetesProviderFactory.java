package io.devswarm.provider.kubernetes;

import io.devswarm.core.provider.Provider;
import io.devswarm.core.provider.ProviderContext;
import io.devswarm.core.provider.ProviderFactory;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/** Registers the {@code kubernetes} provider with the service loader; its settings are {@link KubernetesSettings}. */
public final class KubernetesProviderFactory implements ProviderFactory {
    @Override
    public String name() {
        return KubernetesProvider.NAME;
    }

    @Override
    public Availability availability(ProviderContext context) {
        String problem = KubernetesSettings.from(context).problem();
        return problem == null ? Availability.yes() : Availability.no(problem);
    }

    @Override
    public Provider create(ProviderContext context) {
        KubernetesSettings settings = KubernetesSettings.from(context);
        Config base = settings.masterUrl() != null ? new ConfigBuilder().withMasterUrl(settings.masterUrl().toString()).build()
                : Config.autoConfigure(settings.context());
        Config config = new ConfigBuilder(base).withRequestTimeout(30_000).withConnectionTimeout(5_000).build();
        return new KubernetesProvider(new KubernetesClientBuilder().withConfig(config).build(), settings, context);
    }
}
