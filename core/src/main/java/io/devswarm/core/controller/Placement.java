package io.devswarm.core.controller;

import io.devswarm.core.model.ProviderUnavailableException;
import io.devswarm.core.model.InvalidSpecException;
import io.devswarm.core.model.ProviderHealth;
import io.devswarm.core.provider.Provider;
import io.devswarm.core.provider.ProviderRegistry;

/**
 * Chooses the provider for a new instance: the one asked for, else the configured default,
 * else the first healthy one. An unhealthy explicit choice is refused rather than silently
 * moved elsewhere, because the user's data would then live where they did not ask.
 */
public final class Placement {
    private final ProviderRegistry registry;
    private final String defaultProvider;

    public Placement(ProviderRegistry registry, String defaultProvider) {
        this.registry = registry;
        this.defaultProvider = defaultProvider;
    }

    public Provider choose(String requested) {
        if (requested != null && !requested.isBlank()) {
            Provider p = registry.require(requested, "provider");
            requireUsable(p.name());
            return p;
        }
        if (defaultProvider != null && registry.find(defaultProvider).isPresent() && registry.health(defaultProvider).isUsable()) {
            return registry.find(defaultProvider).get();
        }
        for (Provider p : registry.all()) {
            if (registry.health(p.name()).isUsable()) return p;
        }
        if (registry.all().isEmpty()) throw new InvalidSpecException("provider", "no provider can run on this server; see GET /api/v1/providers");
        throw new ProviderUnavailableException("no provider is healthy right now: " + describe());
    }

    private void requireUsable(String name) {
        ProviderHealth h = registry.health(name);
        if (!h.isUsable()) throw new ProviderUnavailableException("provider '" + name + "' is unavailable: " + h.detail());
    }

    private String describe() {
        StringBuilder sb = new StringBuilder();
        for (Provider p : registry.all()) {
            if (!sb.isEmpty()) sb.append("; ");
            sb.append(p.name()).append(": ").append(registry.health(p.name()).detail());
        }
        return sb.toString();
    }
}
