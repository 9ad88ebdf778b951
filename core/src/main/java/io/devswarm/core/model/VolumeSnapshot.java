package io.devswarm.core.model;

import java.time.Instant;

/**
 * A point-in-time copy of a persistent volume, kept by the provider.
 *
 * @param status the provider's own word ("created", "running", ...)
 */
public record VolumeSnapshot(String id, String volumeName, Instant createdAt, long sizeBytes, String status) {}
