package io.devswarm.core.provider;

import io.devswarm.core.model.InvalidSpecException;
import io.devswarm.core.model.ProviderHealth;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * The providers of this server: those whose factory says they can run here are made and
 * kept; the others are remembered with the reason, so {@code devswarm providers} can show it.
 *
 * <p>Health is cached because placement asks on every create, and asking can cost more than the
 * rest of the create's own work: Docker's {@code /info} walks the engine's containers and images,
 * ~10 ms here. A usable answer older than {@link #HEALTH_TTL} is still given, for up to
 * {@link #MAX_STALE}, while one refresh runs in the background; so a create never waits for it. An
 * unusable answer, or one older than that, is asked again at once: a substrate that came back is
 * usable at once, and one not asked about for a long time is not trusted on an old word. A call
 * that finds the substrate gone {@linkplain #invalidateHealth invalidates} its answer.
 */
public final class ProviderRegistry implements AutoCloseable {
    static final Duration HEALTH_TTL = Duration.ofSeconds(3);
    static final Duration MAX_STALE = Duration.ofSeconds(30);

    private final Map<String, Provider> providers;
    private final Map<String, String> unavailable;
    private final Clock clock;
    private final Executor refresher;
    private final Map<String, CachedHealth> health = new ConcurrentHashMap<>();
    private final Set<String> refreshing = ConcurrentHashMap.newKeySet();

    private record CachedHealth(ProviderHealth health, Instant at) {}

    /** A provider that is registered or not, with why not. */
    public record Descriptor(String name, boolean available, String reason) {}

    public ProviderRegistry(Map<String, Provider> providers, Map<String, String> unavailable, Clock clock) {
        this(providers, unavailable, clock, task -> Thread.ofVirtual().name("devswarm-health").start(task));
    }

    /** As above, with background health refreshes run by {@code refresher}. */
    public ProviderRegistry(Map<String, Provider> providers, Map<String, String> unavailable, Clock clock, Executor refresher) {
        // in the order given (the class path's, or the caller's): "the first healthy one" and every listing
        // must not change from one start to the next, as Map.copyOf's order does
        this.providers = Collections.unmodifiableMap(new LinkedHashMap<>(providers));
        this.unavailable = Collections.unmodifiableMap(new LinkedHashMap<>(unavailable));
        this.clock = clock;
        this.refresher = refresher;
    }

    public static ProviderRegistry of(Clock clock, Provider... providers) {
        Map<String, Provider> map = new LinkedHashMap<>();
        for (Provider p : providers) map.put(p.name(), p);
        return new ProviderRegistry(map, Map.of(), clock);
    }

    /**
     * Loads every factory on the class path; {@code contextFor} supplies each one's settings.
     * Factories named in {@code disabled} are listed as unavailable without being asked.
     */
    public static ProviderRegistry load(ClassLoader loader, Function<String, ProviderContext> contextFor, Collection<String> disabled, Clock clock) {
        Map<String, Provider> made = new LinkedHashMap<>();
        Map<String, String> refused = new LinkedHashMap<>();
        for (ProviderFactory factory : ServiceLoader.load(ProviderFactory.class, loader)) {
            if (disabled.contains(factory.name())) {
                refused.put(factory.name(), "disabled by configuration");
                continue;
            }
            ProviderContext context = contextFor.apply(factory.name());
            ProviderFactory.Availability availability = factory.availability(context);
            if (availability.available()) {
                made.put(factory.name(), factory.create(context));
            } else {
                refused.put(factory.name(), availability.reason());
            }
        }
        return new ProviderRegistry(made, refused, clock);
    }

    public Optional<Provider> find(String name) {
        return Optional.ofNullable(providers.get(name));
    }

    /** The provider by name, or a field error naming {@code field} that lists what exists. */
    public Provider require(String name, String field) {
        Provider p = providers.get(name);
        if (p != null) return p;
        String why = unavailable.containsKey(name) ? "provider '" + name + "' cannot run here: " + unavailable.get(name)
                : "unknown provider '" + name + "'; available: " + String.join(", ", providers.keySet());
        throw new InvalidSpecException(field, why);
    }

    public Collection<Provider> all() {
        return providers.values();
    }

    public List<Descriptor> descriptors() {
        List<Descriptor> list = new ArrayList<>();
        providers.keySet().forEach(n -> list.add(new Descriptor(n, true, "ok")));
        unavailable.forEach((n, why) -> list.add(new Descriptor(n, false, why)));
        return list;
    }

    public ProviderHealth health(String name) {
        Provider p = providers.get(name);
        if (p == null) return ProviderHealth.unavailable(unavailable.getOrDefault(name, "unknown provider"));
        CachedHealth cached = health.get(name);
        if (cached != null) {
            Duration age = Duration.between(cached.at(), clock.instant());
            if (age.compareTo(HEALTH_TTL) < 0) return cached.health();
            if (cached.health().isUsable() && age.compareTo(MAX_STALE) < 0) {
                refreshInBackground(name, p, cached);
                return cached.health();
            }
        }
        CachedHealth fresh = ask(p);
        health.put(name, fresh);
        return fresh.health();
    }

    /** One refresh at a time per provider; its answer is dropped if the one it replaces was invalidated meanwhile. */
    private void refreshInBackground(String name, Provider p, CachedHealth stale) {
        if (!refreshing.add(name)) return;
        try {
            refresher.execute(() -> {
                try {
                    health.replace(name, stale, ask(p));
                } finally {
                    refreshing.remove(name);
                }
            });
        } catch (RuntimeException e) {
            refreshing.remove(name); // not run (shutting down): the next call tries again
        }
    }

    private CachedHealth ask(Provider p) {
        Instant at = clock.instant();
        try {
            return new CachedHealth(p.health(), at);
        } catch (RuntimeException e) {
            return new CachedHealth(ProviderHealth.unavailable(e.getMessage()), at);
        }
    }

    /** Forgets cached health, e.g. after a call failed because the substrate went away. */
    public void invalidateHealth(String name) {
        health.remove(name);
    }

    @Override
    public void close() {
        providers.values().forEach(Provider::close);
    }
}
