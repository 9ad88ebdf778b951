package io.devswarm.core.controller;

import io.devswarm.core.activity.ActivityTracker;
import io.devswarm.core.activity.AwakeReason;
import io.devswarm.core.model.ConflictException;
import io.devswarm.core.model.Instance;
import io.devswarm.core.model.InstanceStatus;
import io.devswarm.core.model.NotFoundException;
import io.devswarm.core.model.ResourceUsage;
import io.devswarm.core.operation.Priority;
import io.devswarm.core.provider.Provider;
import io.devswarm.core.provider.ProviderException;
import io.devswarm.core.provider.ProviderRegistry;
import io.devswarm.core.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scale to zero: stops running instances that had no activity for their idle timeout. Activity
 * is not only connections: an instance whose CPU is busy (a build, an agent) with no one
 * connected is kept awake, and one that is merely polled through the status API is not.
 * Stopping keeps all data; the SSH gateway wakes the instance on the next connection.
 */
public final class IdleReaper {
    private static final Logger log = LoggerFactory.getLogger(IdleReaper.class);

    private final Store store;
    private final ProviderRegistry providers;
    private final SwarmController controller;
    private final ActivityTracker activity;
    private final double cpuBusyPercent;
    private final Clock clock;

    /** What one pass did. */
    public record Report(List<String> stopped, Map<String, AwakeReason> keptAwake) {}

    /** @param cpuBusyPercent CPU use (percent of one core) at or above which an instance counts as busy */
    IdleReaper(Store store, ProviderRegistry providers, SwarmController controller, ActivityTracker activity, double cpuBusyPercent, Clock clock) {
        this.store = store;
        this.providers = providers;
        this.controller = controller;
        this.activity = activity;
        this.cpuBusyPercent = cpuBusyPercent;
        this.clock = clock;
    }

    Report reapOnce() {
        List<String> stopped = new ArrayList<>();
        Map<String, AwakeReason> kept = new LinkedHashMap<>();
        Instant now = clock.instant();
        for (Provider provider : providers.all()) {
            if (!providers.health(provider.name()).isUsable()) continue;
            for (Instance instance : store.instances().listByProvider(provider.name())) {
                Duration timeout = instance.spec().idleTimeout();
                if (instance.status() != InstanceStatus.RUNNING || instance.activeOperation() != null || timeout.isZero()) continue;
                var snapshot = activity.snapshot(instance.id());
                if (snapshot.isPresent() && snapshot.get().openSessions() > 0) {
                    kept.put(instance.name(), AwakeReason.SSH_SESSION);
                    continue;
                }
                if (activity.lastActive(instance).plus(timeout).isAfter(now)) continue;
                try {
                    ResourceUsage usage = provider.resourceUsage(instance.handle());
                    if (usage.cpu().usagePercent() >= cpuBusyPercent) {
                        activity.touch(instance.id(), AwakeReason.CPU);
                        kept.put(instance.name(), AwakeReason.CPU);
                        continue;
                    }
                } catch (ProviderException e) {
                    log.debug("idle check of {} skipped: {}", instance.name(), e.getMessage());
                    continue; // unknown is not idle
                }
                String reason = "stopped after " + describe(timeout) + " without activity";
                try {
                    controller.stop(instance.id(), Priority.LOW, reason);
                    stopped.add(instance.name());
                    log.info("idle: {} {}", instance.name(), reason);
                } catch (ConflictException busy) {
                    // an operation started meanwhile: it counts as activity
                } catch (NotFoundException deleted) {
                    // deleted since the list was read: nothing to stop, and the pass goes on
                }
            }
        }
        return new Report(stopped, kept);
    }

    private static String describe(Duration d) {
        return d.toSeconds() % 60 == 0 ? count(d.toMinutes(), "minute") : count(d.toSeconds(), "second");
    }

    private static String count(long n, String unit) {
        return n + " " + unit + (n == 1 ? "" : "s");
    }
}
