package io.devswarm.core.model;

/**
 * What a provider needs to find the resources of one instance: its devswarm id (the ownership
 * label), its name (resource and host names) and, for pool members, the pool (a label).
 */
public record InstanceHandle(String id, String name, String pool) {
    public InstanceHandle {
        if (id == null || id.isBlank()) throw new IllegalArgumentException("id is blank");
        if (name == null || name.isBlank()) throw new IllegalArgumentException("name is blank");
    }
}
