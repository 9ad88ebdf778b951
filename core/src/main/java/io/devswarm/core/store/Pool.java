package io.devswarm.core.store;

import io.devswarm.core.model.InstanceSpec;
import java.time.Instant;

/**
 * A named set of identical instances {@code <name>-0 .. <name>-(replicas-1)} (StatefulSet semantics).
 *
 * @param template spec of every member; its name is replaced by the member's name
 * @param ownerId  what owns its members, by id; {@code owner} is that owner's username
 */
public record Pool(String name, String provider, int replicas, InstanceSpec template, String owner, String ownerId, Instant createdAt, Instant updatedAt) {
    public String memberName(int ordinal) {
        return name + "-" + ordinal;
    }
}
