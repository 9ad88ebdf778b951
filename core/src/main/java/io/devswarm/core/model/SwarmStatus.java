package io.devswarm.core.model;

import java.util.List;

/**
 * The whole swarm at a glance (seed 001 SwarmStatus). Resource figures are what running instances
 * have been allocated ("used") against what the healthy providers report as capacity ("total").
 */
public record SwarmStatus(
        int totalInstances,
        int runningInstances,
        int stoppedInstances,
        int failedInstances,
        int transitionalInstances,
        Usage resourceUsage,
        List<ProviderSummary> providers) {

    public record Usage(Amount cpu, Amount memory, Amount storage) {}

    /** used and total in the unit of the field: cores, MB, GB. total 0 = unknown. */
    public record Amount(double used, double total) {}

    public record ProviderSummary(String type, ProviderHealth.Status status, String detail, int instances) {}
}
