package io.devswarm.provider.docker.internal;

import com.github.dockerjava.api.exception.NotFoundException;
import io.devswarm.core.model.InstanceHandle;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Which container is an instance's. Containers are named after instances, but a name proves
 * nothing (anyone can make a container called {@code devswarm-web}), so the first time this
 * server meets an instance its container is looked up by name and its instance label checked.
 * From then on the container's id, which no other container can have, is used directly, so a
 * lifecycle call costs the engine call alone. An id the engine no longer knows (another server
 * re-created the container, or it was removed behind our back) is looked up again, once.
 */
public final class ContainerIds {
    private final Map<String, String> byInstance = new ConcurrentHashMap<>();
    private final Function<InstanceHandle, Optional<String>> lookup;
    private final Function<InstanceHandle, RuntimeException> missing;

    /**
     * @param lookup  the id of the instance's container, found by name, only if its labels say it is that instance's
     * @param missing the error when the instance has no container
     */
    public ContainerIds(Function<InstanceHandle, Optional<String>> lookup, Function<InstanceHandle, RuntimeException> missing) {
        this.lookup = lookup;
        this.missing = missing;
    }

    /** The id of a container devswarm made (or just checked) for this instance. */
    public void remember(InstanceHandle h, String containerId) {
        byInstance.put(h.id(), containerId);
    }

    public void forget(InstanceHandle h) {
        byInstance.remove(h.id());
    }

    /** The instance's container id, if it has a container. */
    public Optional<String> find(InstanceHandle h) {
        String known = byInstance.get(h.id());
        if (known != null) return Optional.of(known);
        Optional<String> found = lookup.apply(h);
        found.ifPresent(id -> byInstance.put(h.id(), id));
        return found;
    }

    /**
     * Runs {@code action} on the instance's container id. If the engine answers 404 for a
     * remembered id, the id is looked up again and the action repeated once; the answer then stands.
     */
    public <T> T with(InstanceHandle h, Function<String, T> action) {
        return apply(h, action, () -> {
            throw missing.apply(h);
        });
    }

    /** As {@link #run(InstanceHandle, Consumer)}, doing nothing when the instance has no container. */
    public void ifPresent(InstanceHandle h, Consumer<String> action) {
        apply(h, id -> {
            action.accept(id);
            return null;
        }, () -> null);
    }

    private <T> T apply(InstanceHandle h, Function<String, T> action, Supplier<T> noContainer) {
        String known = byInstance.get(h.id());
        if (known != null) {
            try {
                return action.apply(known);
            } catch (NotFoundException stale) {
                byInstance.remove(h.id(), known);
            }
        }
        Optional<String> found = find(h);
        return found.isPresent() ? action.apply(found.get()) : noContainer.get();
    }

    /** As {@link #with(InstanceHandle, Function)} for an action without a result. */
    public void run(InstanceHandle h, Consumer<String> action) {
        with(h, id -> {
            action.accept(id);
            return null;
        });
    }
}
