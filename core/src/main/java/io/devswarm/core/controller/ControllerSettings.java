package io.devswarm.core.controller;

import java.time.Duration;
import java.time.Instant;

/**
 * Knobs of the controller, with the defaults a laptop install runs on.
 *
 * @param defaultProvider placement's choice when a request names none
 * @param workerId        this server's name in operation records
 * @param stopGrace       how long a stop waits before killing
 * @param maxAttempts     most tries of a lifecycle operation (exec is never retried); a backstop: transient
 *                        errors are retried by time, until the operation would outlive {@code stuckTimeout}
 * @param retryBase       first backoff after a transient failure; doubles per attempt
 * @param retryMax        backoff ceiling: after an outage, work resumes at most this long after the substrate is back
 * @param orphanGrace     age a labelled resource without a record must reach before it is removed
 * @param stuckTimeout    how long an operation may run before it is failed (by its runner, else the reconciler)
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
        return new ControllerSettings(defaultProvider, workerId, Duration.ofSeconds(10), 100, Duration.ofSeconds(1), Duration.ofSeconds(15),
                Duration.ofMinutes(2), Duration.ofMinutes(15));
    }

    public Duration backoff(int attempt) {
        long factor = 1L << Math.min(Math.max(attempt - 1, 0), 20);
        Duration d = retryBase.multipliedBy(factor);
        return d.compareTo(retryMax) > 0 ? retryMax : d;
    }

    /**
     * Whether an operation that began at {@code startedAt} and has made {@code attempts} may try again
     * after {@code delay}: an outage as long as an engine restart must not fail it, one that outlasts
     * the stuck timeout does.
     */
    public boolean mayRetry(int attempts, int maxAttempts, Instant startedAt, Instant now, Duration delay) {
        return attempts < maxAttempts && startedAt.plus(stuckTimeout).isAfter(now.plus(delay));
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
