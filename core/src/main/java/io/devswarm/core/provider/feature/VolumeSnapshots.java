package io.devswarm.core.provider.feature;

import io.devswarm.core.model.InstanceHandle;
import io.devswarm.core.model.VolumeSnapshot;
import java.util.List;

/**
 * Point-in-time copies of an instance's persistent volumes, kept by the substrate itself (Fly.io
 * volume snapshots). Volumes are named as in the instance's spec.
 */
public interface VolumeSnapshots {

    /**
     * The snapshots of the persistent volume {@code volumeName}, newest first.
     *
     * @throws io.devswarm.core.provider.ProviderException NOT_FOUND when the instance has no such volume
     */
    List<VolumeSnapshot> snapshots(InstanceHandle instance, String volumeName);

    /** Starts a snapshot of the volume; {@link #snapshots} lists it once the substrate has it. */
    void createSnapshot(InstanceHandle instance, String volumeName);
}
