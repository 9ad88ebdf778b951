package io.devswarm.core.provider;

import static org.assertj.core.api.Assertions.assertThat;

import io.devswarm.core.model.ProviderHealth;
import io.devswarm.core.testing.InMemoryProvider;
import io.devswarm.core.testing.MovableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

/** Placement asks for health on every create; these say when that answer is asked of the substrate, and when it waits. */
class ProviderRegistryTest {
    private static final ProviderHealth DOWN = ProviderHealth.unavailable("engine unreachable");

    private final MovableClock clock = new MovableClock(Instant.parse("2026-12-01T00:00:00Z"));
    private final InMemoryProvider provider = new InMemoryProvider("memory", "test", clock);
    /** Background refreshes wait here until a test runs them. */
    private final List<Runnable> background = new ArrayList<>();
    private final ProviderRegistry registry = new ProviderRegistry(Map.of("memory", provider), Map.of(), clock, background::add);

    @Test
    void asksOnceWithinItsTimeToLive() {
        assertThat(registry.health("memory").isUsable()).isTrue();
        clock.advance(ProviderRegistry.HEALTH_TTL.minusMillis(1));
        registry.health("memory");
        assertThat(provider.healthChecks()).isEqualTo(1);
        assertThat(background).isEmpty();
    }

    @Test
    void aStaleUsableAnswerIsGivenAtOnceWhileOneRefreshRunsInTheBackground() {
        registry.health("memory");
        provider.setHealth(DOWN);
        clock.advance(ProviderRegistry.HEALTH_TTL);

        assertThat(registry.health("memory").isUsable()).as("the create does not wait for the substrate").isTrue();
        assertThat(registry.health("memory").isUsable()).isTrue();
        assertThat(background).as("one refresh, however many ask meanwhile").hasSize(1);
        assertThat(provider.healthChecks()).isEqualTo(1);

        background.removeFirst().run();
        assertThat(registry.health("memory")).isEqualTo(DOWN);
        assertThat(provider.healthChecks()).isEqualTo(2);
    }

    @Test
    void anUnusableAnswerIsAskedAgainOnceItIsStaleSoARecoveredSubstrateIsUsableAtOnce() {
        provider.setHealth(DOWN);
        assertThat(registry.health("memory")).isEqualTo(DOWN);
        provider.setHealth(ProviderHealth.healthy(2, 1024));
        clock.advance(ProviderRegistry.HEALTH_TTL);

        assertThat(registry.health("memory").isUsable()).isTrue();
        assertThat(background).isEmpty();
    }

    @Test
    void anAnswerPastTheLongestStalenessIsNotTrusted() {
        registry.health("memory");
        provider.setHealth(DOWN);
        clock.advance(ProviderRegistry.MAX_STALE);

        assertThat(registry.health("memory")).isEqualTo(DOWN);
        assertThat(background).isEmpty();
    }

    @Test
    void anInvalidatedAnswerIsAskedAgainAndARefreshStartedBeforeDoesNotBringItBack() {
        registry.health("memory");
        clock.advance(ProviderRegistry.HEALTH_TTL);
        registry.health("memory"); // starts a refresh, which will still see the substrate up
        registry.invalidateHealth("memory");
        background.removeFirst().run();

        provider.setHealth(DOWN);
        assertThat(registry.health("memory")).as("a failed call said the substrate went away: ask now").isEqualTo(DOWN);
    }

    @Test
    void aRefreshThatCouldNotStartIsTriedAgainByTheNextCall() {
        int[] refusals = {1};
        var registry = new ProviderRegistry(Map.of("memory", provider), Map.of(), clock, task -> {
            if (refusals[0]-- > 0) throw new RejectedExecutionException("shutting down");
            background.add(task);
        });
        registry.health("memory");
        clock.advance(ProviderRegistry.HEALTH_TTL);

        assertThat(registry.health("memory").isUsable()).as("the refused refresh is not the caller's error").isTrue();
        assertThat(background).isEmpty();
        registry.health("memory");
        assertThat(background).hasSize(1);
    }

    @Test
    void anUnknownProviderIsUnavailableWithoutAsking() {
        assertThat(registry.health("fly").isUsable()).isFalse();
    }
}
