package io.devswarm.core.model;

import java.util.List;

/**
 * Networking asked for an instance (seed 001 NetworkConfig).
 *
 * @param exposedPorts ports inside the instance to publish
 * @param internal     true to keep the instance off outside networks (instance-to-instance only)
 */
public record NetworkSpec(List<Integer> exposedPorts, boolean internal) {
    public static final NetworkSpec DEFAULT = new NetworkSpec(List.of(), false);

    public NetworkSpec {
        exposedPorts = exposedPorts == null ? List.of() : List.copyOf(exposedPorts);
    }
}
