package io.devswarm.server.instances;

import io.devswarm.core.model.DesiredState;
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
        String owner,
        String pool,
        String activeOperation) {

    public static InstanceView of(Instance i) {
        return new InstanceView(i.id(), i.name(), i.provider(), i.status().wireName(), i.statusReason(), desired(i.desiredState()), i.createdAt(),
                i.updatedAt(), i.lastActive(), i.spec().image(), i.spec().command(), i.spec().env(), i.spec().resources(), i.spec().network(), i.network(),
                i.spec().storage(), i.spec().metadata(), i.spec().idleTimeout().toMinutes(), i.owner(), i.pool(), i.activeOperation());
    }

    private static String desired(DesiredState d) {
        return d.name().toLowerCase();
    }
}
