package io.devswarm.core.model;

import java.time.Instant;

/**
 * An instance as devswarm records it (seed 001 Instance).
 *
 * @param statusReason     why the status is what it is, when that is not obvious (failures)
 * @param owner            the owner's username, as shown
 * @param ownerId          who owns it, by id ({@link io.devswarm.core.access.Owners}): what access is decided by
 * @param activeOperation  id of the lifecycle operation that owns the instance now, or null
 * @param version          optimistic-lock counter; every update increments it
 */
public record Instance(
        String id,
        String name,
        String provider,
        InstanceStatus status,
        String statusReason,
        DesiredState desiredState,
        Instant createdAt,
        Instant updatedAt,
        Instant lastActive,
        InstanceSpec spec,
        NetworkInfo network,
        String owner,
        String ownerId,
        String pool,
        String activeOperation,
        long version) {

    /** The most of a status reason kept (its column's size): a provider's long message must not fail the write. */
    public static final int MAX_REASON = 4096;

    public Instance {
        statusReason = Texts.fit(statusReason, MAX_REASON);
    }

    public InstanceHandle handle() {
        return new InstanceHandle(id, name, pool, ownerId);
    }

    public Instance withStatus(InstanceStatus newStatus, String reason) {
        return new Instance(id, name, provider, newStatus, reason, desiredState, createdAt, updatedAt, lastActive, spec, network, owner, ownerId, pool, activeOperation, version);
    }

    public Instance withDesiredState(DesiredState newDesired) {
        return new Instance(id, name, provider, status, statusReason, newDesired, createdAt, updatedAt, lastActive, spec, network, owner, ownerId, pool, activeOperation, version);
    }

    public Instance withNetwork(NetworkInfo newNetwork) {
        return new Instance(id, name, provider, status, statusReason, desiredState, createdAt, updatedAt, lastActive, spec, newNetwork, owner, ownerId, pool, activeOperation, version);
    }

    public Instance withSpec(InstanceSpec newSpec) {
        return new Instance(id, name, provider, status, statusReason, desiredState, createdAt, updatedAt, lastActive, newSpec, network, owner, ownerId, pool, activeOperation, version);
    }

    public Instance withActiveOperation(String operationId) {
        return new Instance(id, name, provider, status, statusReason, desiredState, createdAt, updatedAt, lastActive, spec, network, owner, ownerId, pool, operationId, version);
    }

    public Instance withLastActive(Instant when) {
        return new Instance(id, name, provider, status, statusReason, desiredState, createdAt, updatedAt, when, spec, network, owner, ownerId, pool, activeOperation, version);
    }
}
