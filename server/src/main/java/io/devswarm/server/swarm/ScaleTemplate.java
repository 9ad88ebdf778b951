package io.devswarm.server.swarm;

import io.devswarm.core.model.InstanceSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The spec every member of a new pool gets; its name is set per member. */
record ScaleTemplate(String image, List<String> command, Map<String, String> env, Integer idleTimeoutMinutes) {
    InstanceSpec toSpec() {
        return new InstanceSpec("template", image, command, env, null, null, null, null,
                idleTimeoutMinutes == null ? null : Duration.ofMinutes(idleTimeoutMinutes));
    }
}
