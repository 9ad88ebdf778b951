package io.devswarm.core.controller;

import java.time.Duration;

/**
 * How often and how much the control plane does on its own.
 *
 * @param localRuns        operations this server runs at once outside the schedule's threads
 * @param lease            how long an operation run here stays this server's without a renewal; a
 *                         server that died leaves it to others after this
 * @param reconcileEvery   time between reconcile passes
 * @param idleCheckEvery   time between idle checks; zero for no auto-stop
 * @param cpuBusyPercent   CPU use (percent of one core) at or above which an instance counts as busy
 * @param activityFlush    how often this server writes the activity it saw to the store; zero for never
 */
public record Schedules(int localRuns, Duration lease, Duration reconcileEvery, Duration idleCheckEvery, double cpuBusyPercent, Duration activityFlush) {
    public static Schedules defaults() {
        return new Schedules(64, Duration.ofSeconds(10), Duration.ofSeconds(15), Duration.ofSeconds(30), 10.0, Duration.ofSeconds(15));
    }

    public Schedules withReconcileEvery(Duration every) {
        return new Schedules(localRuns, lease, every, idleCheckEvery, cpuBusyPercent, activityFlush);
    }

    public Schedules withIdleCheckEvery(Duration every) {
        return new Schedules(localRuns, lease, reconcileEvery, every, cpuBusyPercent, activityFlush);
    }

    public Schedules withLease(Duration lease) {
        return new Schedules(localRuns, lease, reconcileEvery, idleCheckEvery, cpuBusyPercent, activityFlush);
    }

    public Schedules withLocalRuns(int runs) {
        return new Schedules(runs, lease, reconcileEvery, idleCheckEvery, cpuBusyPercent, activityFlush);
    }

    public Schedules withCpuBusyPercent(double percent) {
        return new Schedules(localRuns, lease, reconcileEvery, idleCheckEvery, percent, activityFlush);
    }

    public Schedules withActivityFlush(Duration every) {
        return new Schedules(localRuns, lease, reconcileEvery, idleCheckEvery, cpuBusyPercent, every);
    }
}
