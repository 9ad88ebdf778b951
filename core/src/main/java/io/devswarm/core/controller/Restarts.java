package io.devswarm.core.controller;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When an instance whose compute died may be started again: at once after a first death, then after
 * a backoff of 10 s doubling up to 5 min while it keeps dying within 10 min of its last restart (a
 * crash loop must not hammer the substrate). Kept by the reconciler in memory: after the server that
 * reconciles restarts, the count starts again.
 */
final class Restarts {
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(10);
    static final Duration MAX_BACKOFF = Duration.ofMinutes(5);
    static final Duration CALM = Duration.ofMinutes(10);

    /** Deaths in a row, how the last one looked, the last restart, and when the next may be. */
    record Deaths(int count, String what, Instant lastRestart, Instant due) {}

    private final Map<String, Deaths> byInstance = new ConcurrentHashMap<>();

    /** Counts a death ({@code what} it looked like) seen at {@code now}; the answer says when the instance may be started again. */
    Deaths died(String instanceId, String what, Instant now) {
        return byInstance.compute(instanceId, (id, before) -> {
            if (before == null || before.lastRestart() == null || before.lastRestart().plus(CALM).isBefore(now)) return new Deaths(1, what, null, now);
            int count = before.count() + 1;
            return new Deaths(count, what, before.lastRestart(), before.lastRestart().plus(backoff(count)));
        });
    }

    /** The deaths of an instance waiting to be started again, if it is. */
    Deaths waiting(String instanceId) {
        Deaths d = byInstance.get(instanceId);
        return d == null || d.due() == null ? null : d;
    }

    void restarted(String instanceId, Instant now) {
        byInstance.computeIfPresent(instanceId, (id, d) -> new Deaths(d.count(), d.what(), now, null));
    }

    void forget(String instanceId) {
        byInstance.remove(instanceId);
    }

    static Duration backoff(int deaths) {
        if (deaths <= 1) return Duration.ZERO;
        Duration d = FIRST_BACKOFF.multipliedBy(1L << Math.min(deaths - 2, 20));
        return d.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : d;
    }
}
