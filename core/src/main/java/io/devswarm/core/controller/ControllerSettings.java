package io.devswarm.core.controller;

import java.time.Duration;

/**
 * Knobs of the controller, with the defaults a laptop install runs on.
 *
 * @param defaultProvider placement's choice when a request names none
 * @param workerId        this server's name in operation records
 * @param stopGrace       how long a stop waits before killing
 * @param maxAttempts     tries of a lifecycle operation before it fails (exec is never retried)
 * @param retryBase       first backoff after a transient failure; doubles per attempt
 * @param retryMax        backoff ceiling
 * @param orphanGrace     age a labelled resource without a record must reach before it is removed
 * @param stuckTimeout    how long an operation may run before the reconciler fails it
 */
public record ControllerSettings(
        String defaultProvider,
        String workerId,
        Duration stopGrace,
        int maxAttempts,
        Duration retryBase,
        Duration retryMax,
        Duration orphanGrace,
        Duration stuckTimeout) {

    public static ControllerSettings defaults(String defaultProvider, String workerId) {
        return new ControllerSettings(defaultProvider, workerId, Duration.ofSeconds(10), 5, Duration.ofSeconds(1), Duration.ofSeconds(60),
                Duration.ofMinutes(2), Duration.ofMinutes(15));
    }

    public Duration backoff(int attempt) {
        long factor = 1L << Math.min(Math.max(attempt - 1, 0), 20);
        Duration d = retryBase.multipliedBy(factor);
        return d.compareTo(retryMax) > 0 ? retryMax : d;
    }

    public ControllerSettings withOrphanGrace(Duration grace) {
        return new ControllerSettings(defaultProvider, workerId, stopGrace, maxAttempts, retryBase, retryMax, grace, stuckTimeout);
    }

    public ControllerSettings withStuckTimeout(Duration timeout) {
        return new ControllerSettings(defaultProvider, workerId, stopGrace, maxAttempts, retryBase, retryMax, orphanGrace, timeout);
    }

    public ControllerSettings withRetry(int attempts, Duration base, Duration max) {
        return new ControllerSettings(defaultProvider, workerId, stopGrace, attempts, base, max, orphanGrace, stuckTimeout);
    }
}
