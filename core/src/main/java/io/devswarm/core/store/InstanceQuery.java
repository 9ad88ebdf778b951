package io.devswarm.core.store;

import io.devswarm.core.model.InstanceStatus;

/** Filters for listing instances; null means any. Sorted by name. {@code ownerId} as {@link io.devswarm.core.model.Instance#ownerId}. */
public record InstanceQuery(String provider, InstanceStatus status, String pool, String ownerId, String nameContains, int offset, int limit) {
    public static final int MAX_LIMIT = 1000;

    public InstanceQuery {
        if (offset < 0) throw new IllegalArgumentException("offset < 0");
        if (limit < 1 || limit > MAX_LIMIT) throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT);
    }

    public static InstanceQuery all(int limit) {
        return new InstanceQuery(null, null, null, null, null, 0, limit);
    }
}
