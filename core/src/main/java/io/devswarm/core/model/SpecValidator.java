package io.devswarm.core.model;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks an {@link InstanceSpec} before anything is created, naming each bad field by its JSON
 * path, so a rejected request never leaves a half-made instance behind.
 */
public final class SpecValidator {
    /** DNS-1123 label: it becomes a host name, a container name and part of volume names. */
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern VOLUME_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

    static final double MAX_CORES = 256;
    static final int MAX_MILLICORES = 256_000;
    static final int MAX_MEMORY_MB = 1_048_576;
    static final int MAX_STORAGE_GB = 16_384;

    private SpecValidator() {}

    public static void validate(InstanceSpec spec) {
        List<FieldError> errors = new ArrayList<>();
        checkName(spec.name(), "name", errors);
        if ("root".equals(spec.name())) {
            // the SSH user name is the instance, and the gateway never lets anyone in as root
            errors.add(new FieldError("name", "is reserved: the SSH gateway refuses the user root"));
        }
        if (spec.image() == null || spec.image().isBlank()) {
            errors.add(new FieldError("image", "is required"));
        }
        for (String key : spec.env().keySet()) {
            if (!ENV_NAME.matcher(key).matches()) {
                errors.add(new FieldError("env." + key, "is not a valid environment variable name"));
            }
        }
        checkResources(spec.resources(), "resources", errors);
        checkNetwork(spec.network(), errors);
        checkStorage(spec.storage(), errors);
        for (Map.Entry<String, String> e : spec.metadata().entrySet()) {
            if (e.getKey().isBlank() || e.getKey().length() > 63) {
                errors.add(new FieldError("metadata", "keys must be 1-63 characters"));
            }
            if (e.getValue() != null && e.getValue().length() > 1024) {
                errors.add(new FieldError("metadata." + e.getKey(), "must be at most 1024 characters"));
            }
        }
        if (spec.idleTimeout().isNegative()) {
            errors.add(new FieldError("idleTimeoutMinutes", "must be >= 0 (0 = never stop)"));
        }
        if (!errors.isEmpty()) throw new InvalidSpecException(errors);
    }

    public static void checkName(String name, String field, List<FieldError> errors) {
        if (name == null || name.isBlank()) {
            errors.add(new FieldError(field, "is required"));
        } else if (name.length() > 63) {
            errors.add(new FieldError(field, "must be at most 63 characters (DNS-1123 label)"));
        } else if (!DNS_LABEL.matcher(name).matches()) {
            errors.add(new FieldError(field, "must be a DNS-1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit"));
        }
    }

    public static void validateResources(Resources resources) {
        List<FieldError> errors = new ArrayList<>();
        checkResources(resources, "resources", errors);
        if (!errors.isEmpty()) throw new InvalidSpecException(errors);
    }

    private static void checkResources(Resources r, String path, List<FieldError> errors) {
        if (r.cpu().cores() <= 0 || r.cpu().cores() > MAX_CORES) {
            errors.add(new FieldError(path + ".cpu.cores", "must be > 0 and <= " + (int) MAX_CORES));
        }
        if (r.cpu().limitMillicores() < 0 || r.cpu().limitMillicores() > MAX_MILLICORES) {
            errors.add(new FieldError(path + ".cpu.limit", "must be between 0 (no limit) and " + MAX_MILLICORES + " millicores"));
        }
        if (r.memory().minMb() < 0 || r.memory().minMb() > MAX_MEMORY_MB) {
            errors.add(new FieldError(path + ".memory.min", "must be between 0 and " + MAX_MEMORY_MB + " MB"));
        }
        if (r.memory().maxMb() < 0 || r.memory().maxMb() > MAX_MEMORY_MB) {
            errors.add(new FieldError(path + ".memory.max", "must be between 0 (no limit) and " + MAX_MEMORY_MB + " MB"));
        } else if (r.memory().maxMb() > 0 && r.memory().maxMb() < 6) {
            errors.add(new FieldError(path + ".memory.max", "must be at least 6 MB"));
        } else if (r.memory().maxMb() > 0 && r.memory().maxMb() < r.memory().minMb()) {
            errors.add(new FieldError(path + ".memory.max", "memory.max < memory.min"));
        }
        if (r.storageGb() < 1 || r.storageGb() > MAX_STORAGE_GB) {
            errors.add(new FieldError(path + ".storage.size", "must be between 1 and " + MAX_STORAGE_GB + " GB"));
        }
    }

    private static void checkNetwork(NetworkSpec n, List<FieldError> errors) {
        for (int i = 0; i < n.exposedPorts().size(); i++) {
            Integer p = n.exposedPorts().get(i);
            if (p == null || p < 1 || p > 65535) {
                errors.add(new FieldError("network.exposedPorts[" + i + "]", "must be a port between 1 and 65535"));
            }
        }
        if (new HashSet<>(n.exposedPorts()).size() != n.exposedPorts().size()) {
            errors.add(new FieldError("network.exposedPorts", "contains duplicates"));
        }
    }

    private static void checkStorage(List<VolumeSpec> storage, List<FieldError> errors) {
        Set<String> names = new HashSet<>();
        Set<String> paths = new HashSet<>();
        for (int i = 0; i < storage.size(); i++) {
            VolumeSpec v = storage.get(i);
            String path = "storage[" + i + "]";
            if (v == null) {
                errors.add(new FieldError(path, "must not be null"));
                continue;
            }
            if (v.volumeName() == null || !VOLUME_NAME.matcher(v.volumeName()).matches() || v.volumeName().length() > 32) {
                errors.add(new FieldError(path + ".volumeName", "must be 1-32 lowercase letters, digits or '-'"));
            } else if (!names.add(v.volumeName())) {
                errors.add(new FieldError(path + ".volumeName", "duplicate volume name '" + v.volumeName() + "'"));
            }
            if (v.mountPath() == null || !v.mountPath().startsWith("/") || v.mountPath().equals("/")) {
                errors.add(new FieldError(path + ".mountPath", "must be an absolute path other than /"));
            } else if (!paths.add(v.mountPath())) {
                errors.add(new FieldError(path + ".mountPath", "duplicate mount path '" + v.mountPath() + "'"));
            }
            if (v.sizeGb() < 1 || v.sizeGb() > MAX_STORAGE_GB) {
                errors.add(new FieldError(path + ".size", "must be between 1 and " + MAX_STORAGE_GB + " GB"));
            }
        }
    }
}
