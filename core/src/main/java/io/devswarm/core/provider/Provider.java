package io.devswarm.core.provider;

import io.devswarm.core.model.CommandResult;
import io.devswarm.core.model.InstanceHandle;
import io.devswarm.core.model.InstanceSpec;
import io.devswarm.core.model.ProviderHealth;
import io.devswarm.core.model.ResourceUsage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One substrate that runs instances: a Docker engine, a Kubernetes namespace, a Fly.io org.
 *
 * <p>All methods block; callers run them on virtual threads. Implementations are thread-safe.
 * Every resource a provider makes carries the labels {@link Labels#MANAGED}, {@link
 * Labels#INSTANCE} and {@link Labels#INSTALLATION}, so that {@link #list} finds all it owns,
 * including what a crash left behind. Lifecycle methods are idempotent: the controller may
 * repeat any call after a crash, and a repeated call must converge, not fail or duplicate.
 *
 * <p>Failures are {@link ProviderException}s whose kind says whether a retry can help.
 *
 * <p>This interface is what every substrate does. What only some do is an optional feature with
 * an interface of its own in {@code io.devswarm.core.provider.feature} (interactive streams, live
 * resize, snapshots...), which the provider implements when it has the feature. Callers ask
 * {@link #feature} before they use one, so what a provider announces cannot disagree with its code.
 */
public interface Provider extends AutoCloseable {

    /** The registration name ("docker"), as in the API's {@code provider} field. */
    String name();

    /**
     * This provider as the optional feature {@code type} (an interface of
     * {@code io.devswarm.core.provider.feature}), or empty when it lacks it. A provider has a
     * feature exactly when it implements the interface: that is this default, which providers
     * keep. Constant for the provider's lifetime.
     */
    default <T> Optional<T> feature(Class<T> type) {
        return type.isInstance(this) ? Optional.of(type.cast(this)) : Optional.empty();
    }

    /** A live check of the substrate; fast (a ping), never throws. */
    ProviderHealth health();

    /**
     * Makes the instance's resources (volumes, network, compute) and starts it. If resources
     * with this instance's id already exist (a retried create), they are reused: persistent
     * volumes keep their data, the compute is brought to running.
     *
     * @return the instance as observed once running
     */
    ObservedInstance create(InstanceHandle instance, InstanceSpec spec);

    /**
     * Whether the instance's compute already runs with {@code env} (these names with these values)
     * in its environment. A start re-creates the compute when not (volumes kept), so that changed
     * secrets reach its processes. Providers that cannot tell answer true.
     */
    default boolean hasEnvironment(InstanceHandle instance, Map<String, String> env) {
        return true;
    }

    /** Starts a stopped instance; no-op when already running. */
    ObservedInstance start(InstanceHandle instance);

    /** Stops gracefully, killing after {@code grace}; persistent data is kept. No-op when stopped. */
    void stop(InstanceHandle instance, Duration grace);

    /**
     * Removes the instance's compute and, unless {@code keepVolumes}, its persistent volumes.
     * No-op when nothing is left; never fails because something is already gone.
     */
    void delete(InstanceHandle instance, boolean keepVolumes);

    /** The instance's compute as the substrate sees it, or empty when it has none. */
    Optional<ObservedInstance> get(InstanceHandle instance);

    /**
     * Every instance this installation owns on the substrate whose labels include all of
     * {@code labels} (empty = all). Used by the reconciler to find orphans and drift.
     */
    List<ObservedInstance> list(Map<String, String> labels);

    /**
     * CPU and memory in use now (and workspace storage where the substrate can tell): the idle
     * reaper leaves an instance running while it is busy.
     *
     * @throws ProviderException NOT_FOUND when the instance has no compute
     */
    ResourceUsage resourceUsage(InstanceHandle instance);

    /**
     * The persistent volumes of {@code spec} that this instance had but that are gone (removed outside
     * devswarm), by their names in the spec; empty when all are there. Asked before the compute is
     * replaced: a new, empty volume must never stand in silently for lost data.
     */
    default List<String> missingVolumes(InstanceHandle instance, InstanceSpec spec) {
        return List.of();
    }

    /** Runs a command to completion, honouring the request's timeout and output cap. */
    CommandResult execute(InstanceHandle instance, ExecRequest request);

    /** Releases clients and threads; instances keep running. */
    @Override
    default void close() {}
}
