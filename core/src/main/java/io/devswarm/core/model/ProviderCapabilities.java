package io.devswarm.core.model;

import java.util.List;

/**
 * What a provider can do, asked before calling it (seed 001 ProviderCapabilities, extended).
 *
 * @param maxInstances          0 = no limit known
 * @param maxResourcesPerInstance the largest instance the substrate accepts, or null when unknown
 */
public record ProviderCapabilities(
        boolean supportsLiveResize,
        boolean supportsSuspend,
        boolean supportsSnapshots,
        boolean supportsVolumeExtension,
        boolean supportsMultiRegion,
        boolean supportsExecStream,
        boolean supportsPortForward,
        List<String> regions,
        int maxInstances,
        Resources maxResourcesPerInstance) {

    public ProviderCapabilities {
        regions = regions == null ? List.of() : List.copyOf(regions);
    }
}
