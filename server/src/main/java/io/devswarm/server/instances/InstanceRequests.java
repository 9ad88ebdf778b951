package io.devswarm.server.instances;

import io.devswarm.core.model.InstanceSpec;
import io.devswarm.core.model.NetworkSpec;
import io.devswarm.core.model.Resources;
import io.devswarm.core.model.RestartPolicy;
import io.devswarm.core.model.VolumeSpec;
import io.devswarm.server.users.Username;
import jakarta.validation.constraints.NotEmpty;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.hibernate.validator.constraints.Range;

/** Request bodies of the instances API; field names are what problem+json errors point at. */
final class InstanceRequests {
    private static final String BETWEEN = "must be between {min} and {max}";

    private InstanceRequests() {}

    record Cpu(Double cores, Integer limit) {}

    record Memory(Integer min, Integer max) {}

    record Storage(Integer size) {}

    record ResourcesBody(Cpu cpu, Memory memory, Storage storage) {
        Resources toResources() {
            Resources.Cpu c = cpu == null ? Resources.Cpu.DEFAULT
                    : new Resources.Cpu(cpu.cores() == null ? Resources.Cpu.DEFAULT.cores() : cpu.cores(), cpu.limit() == null ? 0 : cpu.limit());
            Resources.Memory m = memory == null ? Resources.Memory.DEFAULT
                    : new Resources.Memory(memory.min() == null ? 0 : memory.min(), memory.max() == null ? Resources.Memory.DEFAULT.maxMb() : memory.max());
            return new Resources(c, m, storage == null || storage.size() == null ? Resources.DEFAULT.storageGb() : storage.size());
        }
    }

    record NetworkBody(List<Integer> exposedPorts, Boolean internal) {
        NetworkSpec toSpec() {
            return new NetworkSpec(exposedPorts, Boolean.TRUE.equals(internal));
        }
    }

    record VolumeBody(String volumeName, Integer size, Boolean persistent, String mountPath) {
        VolumeSpec toSpec(int defaultSize) {
            return new VolumeSpec(volumeName, size == null ? defaultSize : size, persistent == null || persistent, mountPath);
        }
    }

    /**
     * POST /api/v1/instances. {@code owner} is the user whose SSH keys reach the instance, named by
     * an orchestrator or admin; blank is absent, and the caller owns it.
     */
    record CreateInstance(String name, String image, List<String> command, Map<String, String> env, String provider, ResourcesBody resources,
                          NetworkBody network, List<VolumeBody> storage, Map<String, String> metadata, Integer idleTimeoutMinutes, String priority,
                          @Username String owner, String restartPolicy) {
        CreateInstance {
            owner = owner == null || owner.isBlank() ? null : owner;
        }

        InstanceSpec toSpec() {
            Resources r = resources == null ? Resources.DEFAULT : resources.toResources();
            return new InstanceSpec(name, image, command, env, r, network == null ? null : network.toSpec(),
                    storage == null ? null : storage.stream().map(v -> v == null ? null : v.toSpec(r.storageGb())).toList(), metadata,
                    idleTimeoutMinutes == null ? null : Duration.ofMinutes(idleTimeoutMinutes),
                    restartPolicy == null ? null : RestartPolicy.parse(restartPolicy, "restartPolicy"));
        }
    }

    /** PUT/PATCH /api/v1/instances/{id}: absent fields stay as they are. */
    record UpdateInstance(ResourcesBody resources, Map<String, String> metadata, Integer idleTimeoutMinutes) {}

    /** POST /api/v1/instances/{id}/exec; a null inside {@code command} is refused as the body is read. */
    record Exec(@NotEmpty(message = "must be a non-empty list of strings") List<String> command, Map<String, String> env, String user, String workdir,
                @Range(min = 1, max = 3600, message = BETWEEN) Integer timeoutSeconds, @Range(min = 1, max = 16 << 20, message = BETWEEN) Integer maxOutputBytes,
                String priority) {}
}
