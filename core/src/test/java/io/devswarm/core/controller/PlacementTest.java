package io.devswarm.core.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.devswarm.core.model.InvalidSpecException;
import io.devswarm.core.model.ProviderHealth;
import io.devswarm.core.model.ProviderUnavailableException;
import io.devswarm.core.provider.ProviderRegistry;
import io.devswarm.core.testing.InMemoryProvider;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** Where a new instance goes, and why a create is refused instead of moved. */
class PlacementTest {
    private final Clock clock = Clock.systemUTC();
    private final InMemoryProvider docker = new InMemoryProvider("docker", "test", clock);
    private final InMemoryProvider fly = new InMemoryProvider("fly", "test", clock);
    private final ProviderRegistry registry = ProviderRegistry.of(clock, docker, fly);

    @Test
    void theDefaultWhenItIsHealthyElseTheFirstHealthyOne() {
        assertThat(new Placement(registry, "fly").choose(null).name()).isEqualTo("fly");
        fly.setHealth(ProviderHealth.unavailable("token expired"));
        assertThat(new Placement(ProviderRegistry.of(clock, docker, fly), "fly").choose(" ").name()).isEqualTo("docker");
    }

    @Test
    void anUnhealthyProviderAskedForByNameIsRefusedNotSwapped() {
        docker.setHealth(ProviderHealth.unavailable("engine unreachable"));
        assertThatThrownBy(() -> new Placement(registry, null).choose("docker"))
                .isInstanceOf(ProviderUnavailableException.class).hasMessage("provider 'docker' is unavailable: engine unreachable");
    }

    @Test
    void noneHealthySaysWhatEachOneSaid() {
        docker.setHealth(ProviderHealth.unavailable("engine unreachable"));
        fly.setHealth(ProviderHealth.unavailable("token expired"));
        assertThatThrownBy(() -> new Placement(registry, "docker").choose(null))
                .isInstanceOf(ProviderUnavailableException.class)
                .hasMessage("no provider is healthy right now: docker: engine unreachable; fly: token expired");
    }

    @Test
    void anUnknownProviderIsAFieldError() {
        assertThatThrownBy(() -> new Placement(registry, null).choose("k8s"))
                .isInstanceOf(InvalidSpecException.class).hasMessageContaining("unknown provider 'k8s'; available: docker, fly");
    }
}
