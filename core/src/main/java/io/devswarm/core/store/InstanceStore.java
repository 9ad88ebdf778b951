package io.devswarm.core.store;

import io.devswarm.core.model.Instance;
import io.devswarm.core.model.InstanceStatus;
import io.devswarm.core.operation.Operation;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Persistence of instances. Writes are guarded by the record's version: a write based on a
 * stale read throws {@link io.devswarm.core.model.StaleWriteException} and changes nothing.
 */
public interface InstanceStore {

    /**
     * Stores a new instance together with the operation that creates it, atomically. A taken name is
     * a {@link io.devswarm.core.model.NameTakenException}. {@code runsHereUntil}, when not null, schedules the operation (stored as started by
     * this server) for then, in the same transaction: see {@link #claim}.
     */
    void insert(Instance instance, Operation create, Instant runsHereUntil);

    /**
     * Atomically hands {@code instance} to {@code operation}: the stored record must still have
     * {@code instance.version()} and no active operation, else {@link io.devswarm.core.model.StaleWriteException}
     * and nothing is written. Stores {@code instance} (status, desired state...) with
     * {@code activeOperation} set, and inserts the operation.
     * {@code runsHereUntil}, when not null, is the lease of a server that runs the operation at once
     * (it is stored as started there): its durable schedule is written in the same transaction, for
     * then, so that any server takes it over if that one dies first.
     */
    Instance claim(Instance instance, Operation operation, Instant runsHereUntil);

    Optional<Instance> findById(String id);

    Optional<Instance> findByName(String name);

    /** The instance whose id or name is {@code idOrName} (an id wins over a name that looks like one); the API resolves paths with it on every call. */
    Optional<Instance> findByIdOrName(String idOrName);

    Page<Instance> list(InstanceQuery query);

    /** All instances placed on a provider, for the reconciler. */
    List<Instance> listByProvider(String provider);

    /** Writes {@code instance} if the stored version is still {@code instance.version()}; returns it with the new version. */
    Instance update(Instance instance);

    /**
     * As {@link #update(Instance)}, and stores {@code operation} (the one whose work this is: ended,
     * or still running) in the same transaction: the operation is never seen ended with its instance
     * not yet written. Both are written only if the stored operation is still at
     * {@code operation.attempts()} and not ended, else {@link io.devswarm.core.operation.LeaseLostException};
     * on a version conflict, {@link io.devswarm.core.model.StaleWriteException}. Either way nothing is written.
     */
    Instance update(Instance instance, Operation operation);

    /** Removes the record; a no-op if it is already gone. */
    void delete(String id);

    /**
     * Removes the record and the secrets scoped to it (a no-op for what is already gone), and stores
     * {@code ended} (its delete operation, now terminal), atomically; fenced as {@link #update(Instance, Operation)}.
     */
    void delete(String id, Operation ended);

    Map<InstanceStatus, Integer> countByStatus();

    /** Counts per provider. */
    Map<String, Integer> countByProvider();
}
