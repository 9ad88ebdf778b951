package io.devswarm.core.provider.feature;

import io.devswarm.core.model.InstanceHandle;

/**
 * Growing a persistent volume where it is, its data kept: a Fly.io volume's extend, a Kubernetes
 * claim on a StorageClass that allows expansion. Volumes are named as in the instance's spec.
 */
public interface VolumeExtension {

    /**
     * Grows the volume to {@code sizeGb}; never shrinks, so a size at or below the current one
     * changes nothing.
     *
     * @throws io.devswarm.core.provider.ProviderException NOT_FOUND when the instance has no such volume
     */
    void extendVolume(InstanceHandle instance, String volumeName, int sizeGb);
}
