package io.devswarm.provider.docker.internal;

import io.devswarm.core.model.InstanceHandle;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which named volumes are an instance's, as this server learned them: from the spec when it
 * made them, or from the mounts of the instance's (label-checked) container. An instance's
 * storage never changes after its create, so what was learned stays true. A delete then removes
 * exactly these and need not list the engine's volumes: a list made while the container is being
 * removed costs the engine ~7 ms of its time on two cores. Unknown (another server made the
 * instance, and its container is gone) means the volumes must be found by label.
 */
public final class InstanceVolumes {
    private final Map<String, Set<String>> byInstance = new ConcurrentHashMap<>();

    public void learn(InstanceHandle h, Collection<String> volumeNames) {
        if (volumeNames.isEmpty()) return;
        byInstance.computeIfAbsent(h.id(), k -> ConcurrentHashMap.newKeySet()).addAll(volumeNames);
    }

    /** The instance's volume names, if this server knows them. */
    public Optional<Collection<String>> known(InstanceHandle h) {
        return Optional.ofNullable(byInstance.get(h.id())).map(Set::copyOf);
    }

    /** Once its volumes are removed. */
    public void forget(InstanceHandle h) {
        byInstance.remove(h.id());
    }
}
