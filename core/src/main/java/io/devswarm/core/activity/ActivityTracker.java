package io.devswarm.core.activity;

import io.devswarm.core.model.StaleWriteException;
import io.devswarm.core.model.Instance;
import io.devswarm.core.model.NotFoundException;
import io.devswarm.core.store.InstanceStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Activity of instances as this server sees it: open SSH sessions, their traffic, forwarded
 * connections, API execs, CPU seen by the idle check. Kept in memory, because traffic is
 * frequent, and flushed to the store's {@code lastActive} periodically by every server, so the
 * one server that runs the idle check sees sessions held on the others.
 */
public final class ActivityTracker {
    /** Store writes of lastActive are skipped when nothing newer than this happened. */
    private static final Duration FLUSH_GRANULARITY = Duration.ofSeconds(10);

    private final Clock clock;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    /** What is known about one instance's activity. */
    public record Snapshot(Instant lastActive, AwakeReason reason, int openSessions) {}

    private static final class Entry {
        volatile Instant lastActive;
        volatile AwakeReason reason;
        volatile Instant flushed = Instant.EPOCH;
        int sessions;
        /** What the open sessions are; while any is open, that is what keeps the instance awake. */
        AwakeReason sessionReason;
    }

    public ActivityTracker(Clock clock) {
        this.clock = clock;
    }

    public void touch(String instanceId, AwakeReason reason) {
        Entry e = entries.computeIfAbsent(instanceId, k -> new Entry());
        e.lastActive = clock.instant();
        e.reason = reason;
    }

    public void sessionOpened(String instanceId, AwakeReason reason) {
        Entry e = entries.computeIfAbsent(instanceId, k -> new Entry());
        synchronized (e) {
            e.sessions++;
            e.sessionReason = reason;
        }
        touch(instanceId, reason);
    }

    public void sessionClosed(String instanceId) {
        Entry e = entries.get(instanceId);
        if (e == null) return;
        synchronized (e) {
            e.sessions = Math.max(0, e.sessions - 1);
        }
        e.lastActive = clock.instant();
    }

    public Optional<Snapshot> snapshot(String instanceId) {
        Entry e = entries.get(instanceId);
        if (e == null || e.lastActive == null) return Optional.empty();
        synchronized (e) {
            // a session's wake-up start, or an exec beside it, does not hide the session that holds the instance
            return e.sessions > 0 ? Optional.of(new Snapshot(clock.instant(), e.sessionReason, e.sessions))
                    : Optional.of(new Snapshot(e.lastActive, e.reason, 0));
        }
    }

    /** The later of the stored and the tracked last activity. */
    public Instant lastActive(Instance instance) {
        Instant stored = instance.lastActive() == null ? instance.createdAt() : instance.lastActive();
        return snapshot(instance.id()).map(Snapshot::lastActive).filter(t -> t.isAfter(stored)).orElse(stored);
    }

    /** Writes newer activity (and "now" for open sessions) to the store; forgets instances that are gone. */
    public void flush(InstanceStore store) {
        for (var item : entries.entrySet()) {
            Optional<Snapshot> s = snapshot(item.getKey());
            Entry e = item.getValue();
            if (s.isEmpty() || !s.get().lastActive().isAfter(e.flushed.plus(FLUSH_GRANULARITY))) continue;
            try {
                Instance current = store.findById(item.getKey()).orElseThrow(() -> new NotFoundException("instance", item.getKey()));
                if (current.lastActive() == null || s.get().lastActive().isAfter(current.lastActive())) {
                    store.update(current.withLastActive(s.get().lastActive()));
                }
                e.flushed = s.get().lastActive();
            } catch (NotFoundException gone) {
                entries.remove(item.getKey());
            } catch (StaleWriteException raced) {
                // written meanwhile: the next flush tries again
            }
        }
    }
}
