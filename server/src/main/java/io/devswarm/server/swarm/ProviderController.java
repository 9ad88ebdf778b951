package io.devswarm.server.swarm;

import io.devswarm.core.model.NotFoundException;
import io.devswarm.core.model.ProviderHealth;
import io.devswarm.core.provider.Provider;
import io.devswarm.core.provider.ProviderRegistry;
import io.devswarm.core.provider.feature.ExecStreams;
import io.devswarm.core.provider.feature.LiveResize;
import io.devswarm.core.provider.feature.Regions;
import io.devswarm.core.provider.feature.Suspend;
import io.devswarm.core.provider.feature.VolumeExtension;
import io.devswarm.core.provider.feature.VolumeSnapshots;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Optional;
import io.devswarm.core.access.AccessPolicy;
import io.devswarm.core.access.Caller;
import io.devswarm.core.access.Role;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Which substrates this server can use, their capabilities and live health. */
@RestController
@RequestMapping("/api/v1/providers")
@Tag(name = "providers")
class ProviderController {
    private final ProviderRegistry registry;

    ProviderController(ProviderRegistry registry) {
        this.registry = registry;
    }

    record ProviderView(String name, boolean available, String reason, String status, String health, Capabilities capabilities, double cpuCores,
                        long memoryMb) {}

    /**
     * The optional features a provider implements, under the names the API has always shown.
     * Port forwarding is the SSH gateway's own ({@code ssh -L} through a forwarder inside the
     * instance), so a provider has it exactly when it has exec streams.
     */
    record Capabilities(boolean supportsLiveResize, boolean supportsSuspend, boolean supportsSnapshots, boolean supportsVolumeExtension,
                        boolean supportsMultiRegion, boolean supportsExecStream, boolean supportsPortForward, List<String> regions) {
        static Capabilities of(Provider p) {
            boolean streams = p.feature(ExecStreams.class).isPresent();
            Optional<Regions> regions = p.feature(Regions.class);
            return new Capabilities(p.feature(LiveResize.class).isPresent(), p.feature(Suspend.class).isPresent(), p.feature(VolumeSnapshots.class).isPresent(),
                    p.feature(VolumeExtension.class).isPresent(), regions.isPresent(), streams, streams, regions.map(Regions::regions).orElse(List.of()));
        }
    }

    @GetMapping
    List<ProviderView> list(@AuthenticationPrincipal Caller caller) {
        AccessPolicy.requireUser(caller);
        return registry.descriptors().stream().map(d -> view(d.name())).toList();
    }

    @GetMapping("/{name}")
    ProviderView get(@AuthenticationPrincipal Caller caller, @PathVariable String name) {
        AccessPolicy.requireUser(caller);
        return view(name);
    }

    @PostMapping("/{name}/validate")
    @Operation(summary = "Check the provider's configuration by talking to its substrate now")
    ProviderView validate(@AuthenticationPrincipal Caller caller, @PathVariable String name) {
        AccessPolicy.requireRole(caller, Role.ADMIN, Role.ORCHESTRATOR);
        registry.invalidateHealth(name);
        return view(name);
    }

    private ProviderView view(String name) {
        var descriptor = registry.descriptors().stream().filter(d -> d.name().equals(name)).findFirst()
                .orElseThrow(() -> new NotFoundException("provider", name));
        if (!descriptor.available()) {
            return new ProviderView(name, false, descriptor.reason(), "unavailable", descriptor.reason(), null, 0, 0);
        }
        ProviderHealth h = registry.health(name);
        var p = registry.find(name).orElseThrow();
        return new ProviderView(name, true, "ok", h.status().name().toLowerCase(), h.detail(), Capabilities.of(p), h.cpuCores(), h.memoryMb());
    }
}
