package io.devswarm.server.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Sign-in attempts counted per source address and per username in a sliding window. An attempt
 * is counted when it starts, before any password is checked, and the count and the check of the
 * limit are one step: a burst of parallel guesses gets the limit, not one check each. A success
 * takes its attempt back, so only failures (and guesses still being checked) use up the limit.
 * Per server: an attacker spreading over servers gets the limit once per server, still far from a
 * useful guessing rate.
 */
final class LoginThrottle {
    private final int attempts;
    private final Duration window;
    private final Clock clock;
    /** Guarded by {@code this}: a few deque operations per sign-in, next to a password hash that takes milliseconds. */
    private final Map<String, Deque<Instant>> counted = new HashMap<>();

    LoginThrottle(int attempts, Duration window, Clock clock) {
        this.attempts = attempts;
        this.window = window;
        this.clock = clock;
    }

    /** An attempt counted against its keys: {@link #succeeded} takes it back, a failure leaves it counted. */
    record Attempt(List<String> keys, Instant at) {}

    /** The outcome of {@link #begin}: an attempt that may go on, or how long until {@code keys} may try again. */
    record Admission(Attempt attempt, Duration retryAfter) {
        boolean admitted() {
            return attempt != null;
        }
    }

    /** Counts an attempt against every key, unless one of them is at the limit: then nothing is counted. */
    synchronized Admission begin(String... keys) {
        Instant now = clock.instant();
        Instant cutoff = now.minus(window);
        if (counted.size() > 10_000) forgetOlderThan(cutoff); // many names tried once each: keep memory bounded
        Duration wait = Duration.ZERO;
        for (String key : keys) {
            Deque<Instant> q = counted.get(key);
            if (q == null) continue;
            while (!q.isEmpty() && q.peekFirst().isBefore(cutoff)) q.pollFirst();
            if (q.size() >= attempts) {
                Duration w = Duration.between(now, q.peekFirst().plus(window));
                if (w.compareTo(wait) > 0) wait = w;
            }
        }
        if (!wait.isZero()) return new Admission(null, wait);
        for (String key : keys) counted.computeIfAbsent(key, k -> new ArrayDeque<>()).addLast(now);
        return new Admission(new Attempt(List.of(keys), now), Duration.ZERO);
    }

    /** The attempt signed in: it no longer counts, and neither do the user's earlier failures. */
    synchronized void succeeded(Attempt attempt, String userKey) {
        for (String key : attempt.keys()) {
            Deque<Instant> q = counted.get(key);
            if (q != null) q.removeLastOccurrence(attempt.at());
        }
        counted.remove(userKey);
    }

    private void forgetOlderThan(Instant cutoff) {
        counted.values().removeIf(q -> q.isEmpty() || q.peekLast().isBefore(cutoff));
    }
}
