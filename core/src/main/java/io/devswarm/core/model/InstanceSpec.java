package io.devswarm.core.model;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What an instance should be (seed 001 InstanceConfig). Null collections become empty; missing
 * resources and network take defaults; no storage entry means one persistent {@code /workspace}.
 *
 * @param idleTimeout   stop after this long without activity; {@link Duration#ZERO} means never
 * @param restartPolicy what happens when its compute dies while it should run (default: restarted)
 */
public record InstanceSpec(
        String name,
        String image,
        List<String> command,
        Map<String, String> env,
        Resources resources,
        NetworkSpec network,
        List<VolumeSpec> storage,
        Map<String, String> metadata,
        Duration idleTimeout,
        RestartPolicy restartPolicy) {

    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(30);

    public InstanceSpec {
        command = command == null ? List.of() : List.copyOf(command);
        env = env == null ? Map.of() : Map.copyOf(env);
        resources = resources == null ? Resources.DEFAULT : resources;
        network = network == null ? NetworkSpec.DEFAULT : network;
        storage = storage == null || storage.isEmpty() ? List.of(VolumeSpec.workspace(resources.storageGb())) : List.copyOf(storage);
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        idleTimeout = idleTimeout == null ? DEFAULT_IDLE_TIMEOUT : idleTimeout;
        restartPolicy = restartPolicy == null ? RestartPolicy.ALWAYS : restartPolicy;
    }

    /** With the default restart policy. */
    public InstanceSpec(String name, String image, List<String> command, Map<String, String> env, Resources resources, NetworkSpec network,
                        List<VolumeSpec> storage, Map<String, String> metadata, Duration idleTimeout) {
        this(name, image, command, env, resources, network, storage, metadata, idleTimeout, null);
    }

    public static InstanceSpec of(String name, String image) {
        return new InstanceSpec(name, image, null, null, null, null, null, null, null);
    }

    public InstanceSpec withName(String newName) {
        return new InstanceSpec(newName, image, command, env, resources, network, storage, metadata, idleTimeout, restartPolicy);
    }

    public InstanceSpec withResources(Resources newResources) {
        return new InstanceSpec(name, image, command, env, newResources, network, storage, metadata, idleTimeout, restartPolicy);
    }

    public InstanceSpec withMetadata(Map<String, String> newMetadata) {
        return new InstanceSpec(name, image, command, env, resources, network, storage, newMetadata, idleTimeout, restartPolicy);
    }

    public InstanceSpec withIdleTimeout(Duration newIdleTimeout) {
        return new InstanceSpec(name, image, command, env, resources, network, storage, metadata, newIdleTimeout, restartPolicy);
    }

    public InstanceSpec withRestartPolicy(RestartPolicy policy) {
        return new InstanceSpec(name, image, command, env, resources, network, storage, metadata, idleTimeout, policy);
    }

    public InstanceSpec withImage(String newImage) {
        return new InstanceSpec(name, newImage, command, env, resources, network, storage, metadata, idleTimeout, restartPolicy);
    }

    /** This spec with {@code extra} added to its environment, winning over names it already has. */
    public InstanceSpec withEnvAdded(Map<String, String> extra) {
        if (extra.isEmpty()) return this;
        Map<String, String> merged = new java.util.LinkedHashMap<>(env);
        merged.putAll(extra);
        return new InstanceSpec(name, image, command, merged, resources, network, storage, metadata, idleTimeout, restartPolicy);
    }
}
