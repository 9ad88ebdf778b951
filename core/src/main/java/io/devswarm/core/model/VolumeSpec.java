package io.devswarm.core.model;

/**
 * One storage entry of an instance (seed 001 StorageConfig).
 *
 * @param volumeName short name, unique within the instance ("workspace")
 * @param sizeGb     requested size; providers that cannot cap a volume report it as a quota only
 * @param persistent true: survives stop, restart, recreate; false: scratch space gone on stop
 * @param mountPath  absolute path inside the instance
 */
public record VolumeSpec(String volumeName, int sizeGb, boolean persistent, String mountPath) {
    public static final String WORKSPACE = "workspace";
    public static final String WORKSPACE_PATH = "/workspace";

    public static VolumeSpec workspace(int sizeGb) {
        return new VolumeSpec(WORKSPACE, sizeGb, true, WORKSPACE_PATH);
    }
}
