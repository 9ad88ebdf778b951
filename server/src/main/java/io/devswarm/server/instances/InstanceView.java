package io.devswarm.server.instances;

import io.devswarm.core.activity.ActivityTracker;
import io.devswarm.core.model.DesiredState;
import io.devswarm.core.model.InstanceStatus;
import java.time.Duration;
import io.devswarm.core.model.Instance;
import io.devswarm.core.model.NetworkInfo;
import io.devswarm.core.model.NetworkSpec;
import io.devswarm.core.model.Resources;
import io.devswarm.core.model.VolumeSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** An instance as the API shows it (seed 001 Instance, with the spec's fields flattened in). */
public record InstanceView(
        String id,
        String name,
        String provider,
        String status,
        String statusReason,
        String desiredState,
        Instant createdAt,
        Instant updatedAt,
        Instant lastActive,
        String image,
        List<String> command,
        Map<String, String> env,
        Resources resources,
        NetworkSpec network,
        NetworkInfo networkInfo,
        List<VolumeSpec> storage,
        Map<String, String> metadata,
        long idleTimeoutMinutes,
        String restartPolicy,
        String owner,
        String pool,
        String activeOperation,
        Instant lastActiveAt,
        long inactivitySeconds,
        Long autoStopInSeconds,
        String awakeReason,
        SshAccess ssh) {

    /**
     * The view with activity: seconds since the last activity, seconds until auto-stop (absent
     * when the instance is not running or never stops), and what last kept it awake.
     *
     * @param ssh how to reach it over SSH; null without a gateway
     */
    public static InstanceView of(Instance i, ActivityTracker activity, Instant now, SshAccess ssh) {
        Instant last = activity.lastActive(i);
        long inactive = Math.max(0, Duration.between(last, now).toSeconds());
        var snapshot = activity.snapshot(i.id());
        boolean sessions = snapshot.isPresent() && snapshot.get().openSessions() > 0;
        Long autoStopIn = i.status() != InstanceStatus.RUNNING || i.spec().idleTimeout().isZero() ? null
                : sessions ? i.spec().idleTimeout().toSeconds() : Math.max(0, i.spec().idleTimeout().toSeconds() - inactive);
        // what kept it awake is of a running instance only: after a stop the last reason is history
        String reason = i.status() != InstanceStatus.RUNNING ? null : snapshot.map(s -> s.reason() == null ? null : s.reason().wireName()).orElse(null);
        return new InstanceView(i.id(), i.name(), i.provider(), i.status().wireName(), i.statusReason(), desired(i.desiredState()), i.createdAt(),
                i.updatedAt(), last, i.spec().image(), i.spec().command(), i.spec().env(), i.spec().resources(), i.spec().network(), i.network(),
                i.spec().storage(), i.spec().metadata(), i.spec().idleTimeout().toMinutes(), i.spec().restartPolicy().wireName(), i.owner(), i.pool(), i.activeOperation(), last, inactive,
                autoStopIn, reason, ssh);
    }

    /** What a status-only role (viewer) sees: state and timings, no image, environment, resources or connection info. */
    public InstanceView statusOnly() {
        return new InstanceView(id, name, provider, status, statusReason, desiredState, createdAt, updatedAt, lastActive, null, null, null, null, null, null,
                null, null, idleTimeoutMinutes, restartPolicy, owner, pool, activeOperation, lastActiveAt, inactivitySeconds, autoStopInSeconds, awakeReason, null);
    }

    private static String desired(DesiredState d) {
        return d.name().toLowerCase();
    }
}
