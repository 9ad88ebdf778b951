package io.devswarm.core.model;

/**
 * Compute and storage asked for an instance (seed 001 ResourceConfig).
 *
 * @param cpu       CPU shares and hard limit
 * @param memory    reserved (min) and hard-limit (max) memory
 * @param storageGb default size of the workspace volume
 */
public record Resources(Cpu cpu, Memory memory, int storageGb) {
    public static final Resources DEFAULT = new Resources(Cpu.DEFAULT, Memory.DEFAULT, 10);

    public Resources {
        cpu = cpu == null ? Cpu.DEFAULT : cpu;
        memory = memory == null ? Memory.DEFAULT : memory;
        storageGb = storageGb == 0 ? DEFAULT_STORAGE_GB : storageGb;
    }

    private static final int DEFAULT_STORAGE_GB = 10;

    /**
     * @param cores            relative weight, in cores (1.0 = one core's worth of shares)
     * @param limitMillicores  hard CPU limit in millicores; 0 means no limit
     */
    public record Cpu(double cores, int limitMillicores) {
        public static final Cpu DEFAULT = new Cpu(1.0, 0);
    }

    /**
     * @param minMb reserved memory (soft limit) in MB; 0 means none
     * @param maxMb hard memory limit in MB; 0 means no limit
     */
    public record Memory(int minMb, int maxMb) {
        public static final Memory DEFAULT = new Memory(0, 2048);
    }
}
