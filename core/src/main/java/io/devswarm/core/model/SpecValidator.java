package io.devswarm.core.model;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
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
    /**
     * An image reference as Docker, Kubernetes and Fly.io read it: [registry[:port]/]path[:tag][@digest],
     * path components lowercase (the distribution project's grammar, without IPv6 registries).
     */
    private static final Pattern IMAGE;

    static {
        String component = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
        String host = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*(?::[0-9]+)?";
        String tag = "[\\w][\\w.-]{0,127}";
        String digest = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
        IMAGE = Pattern.compile("(?<name>(?:" + host + "/)?" + component + "(?:/" + component + ")*)(?::" + tag + ")?(?:@" + digest + ")?");
    }

    /** Docker's longest image name (registry and path); a tag and a digest come on top. */
    static final int MAX_IMAGE_NAME = 255;
    /** A longest name, ":" and tag, "@sha512:" and its digest. */
    static final int MAX_IMAGE = MAX_IMAGE_NAME + 1 + 128 + 8 + 128;

    static final double MAX_CORES = 256;
    static final int MAX_MILLICORES = 256_000;
    /** Docker's smallest CPU limit (0.01 CPU) and memory reservation (6 MB). */
    static final int MIN_MILLICORES = 10;
    static final int MIN_MEMORY_MB = 6;
    static final int MAX_MEMORY_MB = 1_048_576;
    static final int MAX_STORAGE_GB = 16_384;

    private static final String NUL = "must not contain NUL (U+0000): a process cannot be given one";

    private SpecValidator() {}

    public static void validate(InstanceSpec spec) {
        List<FieldError> errors = new ArrayList<>();
        checkName(spec.name(), "name", errors);
        if ("root".equals(spec.name())) {
            // the SSH user name is the instance, and the gateway never lets anyone in as root
            errors.add(new FieldError("name", "is reserved: the SSH gateway refuses the user root"));
        }
        checkImage(spec.image(), errors);
        for (int i = 0; i < spec.command().size(); i++) {
            if (spec.command().get(i).indexOf('\0') >= 0) errors.add(new FieldError("command[" + i + "]", NUL));
        }
        for (Map.Entry<String, String> e : spec.env().entrySet()) {
            if (!ENV_NAME.matcher(e.getKey()).matches()) {
                errors.add(new FieldError("env." + e.getKey(), "is not a valid environment variable name"));
            } else if (e.getValue().indexOf('\0') >= 0) {
                errors.add(new FieldError("env." + e.getKey(), NUL));
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

    /** Refuses an image reference no substrate could pull, before anything is made for it. */
    public static void validateImage(String image) {
        List<FieldError> errors = new ArrayList<>();
        checkImage(image, errors);
        if (!errors.isEmpty()) throw new InvalidSpecException(errors);
    }

    private static void checkImage(String image, List<FieldError> errors) {
        if (image == null || image.isBlank()) {
            errors.add(new FieldError("image", "is required"));
        } else if (image.length() > MAX_IMAGE) {
            errors.add(new FieldError("image", "must be at most " + MAX_IMAGE + " characters"));
        } else {
            Matcher m = IMAGE.matcher(image);
            if (!m.matches()) {
                errors.add(new FieldError("image", "must be an image reference such as 'devswarm/dev', 'registry:5000/team/dev:1.2' or 'name@sha256:…' (lowercase path)"));
            } else if (m.group("name").length() > MAX_IMAGE_NAME) {
                errors.add(new FieldError("image", "must be at most " + MAX_IMAGE_NAME + " characters before its tag"));
            }
        }
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
        if (!(r.cpu().cores() > 0 && r.cpu().cores() <= MAX_CORES)) { // so written, NaN is refused too
            errors.add(new FieldError(path + ".cpu.cores", "must be > 0 and <= " + (int) MAX_CORES));
        }
        int limit = r.cpu().limitMillicores();
        if (limit != 0 && (limit < MIN_MILLICORES || limit > MAX_MILLICORES)) {
            errors.add(new FieldError(path + ".cpu.limit", "must be 0 (no limit) or between " + MIN_MILLICORES + " and " + MAX_MILLICORES + " millicores"));
        }
        int min = r.memory().minMb();
        if (min != 0 && (min < MIN_MEMORY_MB || min > MAX_MEMORY_MB)) {
            errors.add(new FieldError(path + ".memory.min", "must be 0 (none) or between " + MIN_MEMORY_MB + " and " + MAX_MEMORY_MB + " MB"));
        }
        if (r.memory().maxMb() < 0 || r.memory().maxMb() > MAX_MEMORY_MB) {
            errors.add(new FieldError(path + ".memory.max", "must be between 0 (no limit) and " + MAX_MEMORY_MB + " MB"));
        } else if (r.memory().maxMb() > 0 && r.memory().maxMb() < MIN_MEMORY_MB) {
            errors.add(new FieldError(path + ".memory.max", "must be at least " + MIN_MEMORY_MB + " MB"));
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
