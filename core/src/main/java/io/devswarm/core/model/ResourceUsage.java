package io.devswarm.core.model;

import java.time.Instant;

/**
 * Measured usage of one instance (seed 001 ResourceUsage). A limit of 0 means unlimited;
 * a negative usage means the provider cannot measure it.
 */
public record ResourceUsage(Cpu cpu, Memory memory, Storage storage, Instant sampledAt) {
    /** @param usagePercent of one core (200 = two cores busy); limitMillicores 0 = unlimited */
    public record Cpu(double usagePercent, int limitMillicores) {}

    public record Memory(long usageMb, long limitMb) {}

    public record Storage(double usageGb, double limitGb) {}
}
