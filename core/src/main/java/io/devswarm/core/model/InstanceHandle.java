package io.devswarm.core.model;

/**
 * What a provider needs to find the resources of one instance: its devswarm id (the ownership
 * label), its name (resource and host names), for pool members the pool (a label), and its owner
 * by id ({@link Instance#ownerId()}, never reused, unlike a username): a provider that keeps volumes
 * past a delete gives them back only to the same owner re-creating the same name, not to a new user
 * who took a deleted user's name. The owner is null where it is not known (compute found on the
 * substrate without a record).
 */
public record InstanceHandle(String id, String name, String pool, String owner) {
    public InstanceHandle {
        if (id == null || id.isBlank()) throw new IllegalArgumentException("id is blank");
        if (name == null || name.isBlank()) throw new IllegalArgumentException("name is blank");
    }

    /** A handle whose owner is not known. */
    public InstanceHandle(String id, String name, String pool) {
        this(id, name, pool, null);
    }
}
