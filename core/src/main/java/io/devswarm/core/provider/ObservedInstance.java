package io.devswarm.core.provider;

import io.devswarm.core.model.InstanceHandle;
import io.devswarm.core.model.NetworkInfo;
import java.time.Instant;
import java.util.Map;

/**
 * What a provider sees of one instance's resources on its substrate.
 *
 * @param instanceId the devswarm id read back from the resource's labels
 * @param createdAt  when the substrate created it (orphan grace periods count from here)
 * @param detail     the substrate's own words for the state ("Exited (137) 2 minutes ago")
 * @param labels     all labels on the main resource
 */
public record ObservedInstance(
        String instanceId,
        String name,
        State state,
        Instant createdAt,
        String detail,
        Map<String, String> labels,
        NetworkInfo network) {

    public enum State {
        /** Being created or started by the substrate. */
        PENDING,
        RUNNING,
        STOPPED,
        SUSPENDED,
        /** The substrate reports it broken (dead, OOM-killed at create, image missing). */
        FAILED
    }

    public ObservedInstance {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        network = network == null ? NetworkInfo.NONE : network;
    }

    /** A handle to these resources, found on the substrate: their owner is not known. */
    public InstanceHandle handle() {
        return new InstanceHandle(instanceId, name, labels.get(Labels.POOL));
    }
}
