package io.devswarm.core.controller;

import io.devswarm.core.model.ConflictException;
import io.devswarm.core.model.DesiredState;
import io.devswarm.core.model.Instance;
import io.devswarm.core.operation.OperationResult;
import io.devswarm.core.operation.Priority;
import io.devswarm.core.store.InstanceQuery;
import io.devswarm.core.store.Pool;
import io.devswarm.core.store.Store;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Brings a pool to its declared size through the controller's own requests, so each member is
 * created and deleted as any instance is. Run by a scale operation and by every reconcile pass.
 */
final class Pools {
    private final Store store;
    private final SwarmController controller;

    Pools(Store store, SwarmController controller) {
        this.store = store;
        this.controller = controller;
    }

    /**
     * Makes the pool's members exactly {@code <pool>-0 .. <pool>-(replicas-1)}: missing ordinals
     * are created, higher ones deleted highest first. Members busy with another operation are
     * left for the next pass (the reconciler repeats this).
     */
    OperationResult.Scaled converge(Pool pool, boolean keepVolumes) {
        var members = store.instances().list(new InstanceQuery(null, null, pool.name(), null, null, 0, 1000)).items();
        List<String> created = new ArrayList<>();
        List<String> deleting = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (int ordinal = 0; ordinal < pool.replicas(); ordinal++) {
            String name = pool.memberName(ordinal);
            if (members.stream().noneMatch(m -> m.name().equals(name))) {
                try {
                    controller.create(new SwarmController.CreateInstance(pool.template().withName(name), pool.provider(), pool.owner(), pool.ownerId(), pool.name(),
                            Priority.DEFAULT));
                    created.add(name);
                } catch (ConflictException takenMeanwhile) {
                    // another pass (the reconciler, a second scale) created it first: converged all the same
                }
            }
        }
        List<Instance> extra = members.stream().filter(m -> ordinal(pool, m) >= pool.replicas())
                .sorted(Comparator.comparingInt((Instance m) -> ordinal(pool, m)).reversed()).toList();
        for (Instance m : extra) {
            if (m.desiredState() == DesiredState.DELETED) continue;
            try {
                controller.delete(m.id(), keepVolumes, Priority.DEFAULT);
                deleting.add(m.name());
            } catch (ConflictException busy) {
                skipped.add(m.name());
            }
        }
        return new OperationResult.Scaled(created, deleting, skipped);
    }

    private static int ordinal(Pool pool, Instance member) {
        try {
            return Integer.parseInt(member.name().substring(pool.name().length() + 1));
        } catch (RuntimeException e) {
            return Integer.MAX_VALUE;
        }
    }
}
