package io.devswarm.server.instances;

import io.devswarm.core.access.AccessPolicy;
import io.devswarm.core.access.Caller;
import io.devswarm.core.access.ForbiddenException;
import io.devswarm.core.controller.SwarmController;
import io.devswarm.core.model.CapabilityMissingException;
import io.devswarm.core.model.Instance;
import io.devswarm.core.model.NotFoundException;
import io.devswarm.core.model.VolumeSnapshot;
import io.devswarm.core.provider.Provider;
import io.devswarm.core.provider.ProviderRegistry;
import io.devswarm.core.provider.feature.VolumeSnapshots;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** Snapshots of an instance's persistent volumes, where its provider keeps them (Fly.io). */
@RestController
@Tag(name = "instances")
class SnapshotController {
    private final SwarmController controller;
    private final ProviderRegistry providers;

    SnapshotController(SwarmController controller, ProviderRegistry providers) {
        this.controller = controller;
        this.providers = providers;
    }

    @GetMapping("/api/v1/instances/{id}/volumes/{volume}/snapshots")
    @Operation(summary = "Snapshots of a persistent volume, newest first")
    List<VolumeSnapshot> list(@AuthenticationPrincipal Caller caller, @PathVariable String id, @PathVariable String volume) {
        Instance instance = AccessPolicy.visible(caller, controller.find(id), id);
        if (!AccessPolicy.readsDetails(caller)) throw new ForbiddenException("your roles allow instance status only");
        return snapshots(instance, volume).snapshots(instance.handle(), volume);
    }

    @PostMapping("/api/v1/instances/{id}/volumes/{volume}/snapshots")
    @Operation(summary = "Start a snapshot of a persistent volume (202; it is listed once the provider has it)")
    ResponseEntity<Void> create(@AuthenticationPrincipal Caller caller, @PathVariable String id, @PathVariable String volume) {
        Instance instance = AccessPolicy.manageable(caller, controller.find(id), id);
        snapshots(instance, volume).createSnapshot(instance.handle(), volume);
        return ResponseEntity.status(HttpStatus.ACCEPTED).build();
    }

    private VolumeSnapshots snapshots(Instance instance, String volume) {
        Provider provider = providers.require(instance.provider(), "provider");
        VolumeSnapshots snapshots = provider.feature(VolumeSnapshots.class)
                .orElseThrow(() -> new CapabilityMissingException("provider " + provider.name() + " cannot snapshot volumes"));
        if (instance.spec().storage().stream().noneMatch(v -> v.persistent() && v.volumeName().equals(volume))) {
            throw new NotFoundException("persistent volume", volume);
        }
        return snapshots;
    }
}
