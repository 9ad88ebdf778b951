package io.devswarm.core.model;

/**
 * Live health of a provider's substrate, with the capacity it reports.
 *
 * @param detail     human-readable reason for anything but healthy
 * @param cpuCores   capacity in cores, 0 when unknown
 * @param memoryMb   capacity in MB, 0 when unknown
 */
public record ProviderHealth(Status status, String detail, double cpuCores, long memoryMb) {
    public enum Status { HEALTHY, DEGRADED, UNAVAILABLE }

    public static ProviderHealth healthy(double cpuCores, long memoryMb) {
        return new ProviderHealth(Status.HEALTHY, "ok", cpuCores, memoryMb);
    }

    public static ProviderHealth unavailable(String detail) {
        return new ProviderHealth(Status.UNAVAILABLE, detail, 0, 0);
    }

    public boolean isUsable() {
        return status != Status.UNAVAILABLE;
    }
}
