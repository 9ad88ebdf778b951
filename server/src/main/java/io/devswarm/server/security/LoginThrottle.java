package io.devswarm.server.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failed sign-ins counted per source address and per username in a sliding window; past the
 * limit, further attempts are refused before any password is checked. Per server: an attacker
 * spreading over servers gets the limit once per server, still far from a useful guessing rate.
 */
final class LoginThrottle {
    private final int attempts;
    private final Duration window;
    private final Clock clock;
    private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();

    LoginThrottle(int attempts, Duration window, Clock clock) {
        this.attempts = attempts;
        this.window = window;
        this.clock = clock;
    }

    /** How long until {@code keys} may try again; zero when they may now. */
    Duration retryAfter(String... keys) {
        Instant now = clock.instant();
        Duration wait = Duration.ZERO;
        for (String key : keys) {
            Deque<Instant> q = failures.get(key);
            if (q == null) continue;
            synchronized (q) {
                while (!q.isEmpty() && q.peekFirst().isBefore(now.minus(window))) q.pollFirst();
                if (q.size() >= attempts) {
                    Duration w = Duration.between(now, q.peekFirst().plus(window));
                    if (w.compareTo(wait) > 0) wait = w;
                }
            }
        }
        return wait;
    }

    void failed(String... keys) {
        Instant now = clock.instant();
        if (failures.size() > 10_000) forgetOlderThan(now.minus(window)); // many names tried once each: keep memory bounded
        for (String key : keys) {
            Deque<Instant> q = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
            synchronized (q) {
                q.addLast(now);
                while (q.size() > attempts) q.pollFirst();
            }
        }
    }

    private void forgetOlderThan(Instant cutoff) {
        failures.values().removeIf(q -> {
            synchronized (q) {
                return q.isEmpty() || q.peekLast().isBefore(cutoff);
            }
        });
    }

    void succeeded(String username) {
        failures.remove("user:" + username);
    }
}
