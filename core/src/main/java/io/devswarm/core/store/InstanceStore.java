package io.devswarm.core.store;

import io.devswarm.core.model.Instance;
import io.devswarm.core.model.InstanceStatus;
import io.devswarm.core.operation.Operation;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Persistence of instances. Writes are guarded by the record's version: a write based on a
 * stale read throws {@link io.devswarm.core.model.ConflictException} and changes nothing.
 */
public interface InstanceStore {

    /** Stores a new instance together with the operation that creates it, atomically. A taken name is a conflict. */
    void insert(Instance instance, Operation create);

    /**
     * Atomically hands {@code instance} to {@code operation}: the stored record must still have
     * {@code instance.version()} and no active operation. Stores {@code instance} (status,
     * desired state...) with {@code activeOperation} set, and inserts the operation.
     */
    Instance claim(Instance instance, Operation operation);

    Optional<Instance> findById(String id);

    Optional<Instance> findByName(String name);

    /** The instance whose id or name is {@code idOrName}; one query, as the API resolves paths on every call. */
    Optional<Instance> findByIdOrName(String idOrName);

    Page<Instance> list(InstanceQuery query);

    /** All instances placed on a provider, for the reconciler. */
    List<Instance> listByProvider(String provider);

    /** Writes {@code instance} if the stored version is still {@code instance.version()}; returns it with the new version. */
    Instance update(Instance instance);

    /** Removes the record; a no-op if it is already gone. */
    void delete(String id);

    Map<InstanceStatus, Integer> countByStatus();

    /** Counts per provider. */
    Map<String, Integer> countByProvider();
}
