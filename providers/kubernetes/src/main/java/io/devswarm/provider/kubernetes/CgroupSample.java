package io.devswarm.provider.kubernetes;

/**
 * CPU and memory of a container read from its cgroup (v2) inside the pod: {@code usage_usec} of
 * cpu.stat twice, one second apart, then memory.current.
 */
record CgroupSample(double cpuPercent, long memoryMb) {
    static final String SCRIPT = "f=/sys/fs/cgroup; grep usage_usec $f/cpu.stat; sleep 1; grep usage_usec $f/cpu.stat; cat $f/memory.current";

    /** Parses the script's output: "usage_usec A", "usage_usec B" (B - A microseconds of CPU in one second), then bytes. */
    static CgroupSample parse(String output) {
        String[] lines = output.strip().split("\n");
        if (lines.length < 3 || !lines[0].startsWith("usage_usec") || !lines[1].startsWith("usage_usec")) {
            throw new io.devswarm.core.provider.ProviderException(io.devswarm.core.provider.ProviderException.Kind.NOT_FOUND,
                    "no metrics API and no cgroup v2 statistics in the pod (" + output.strip().lines().findFirst().orElse("no output") + ")");
        }
        long first = Long.parseLong(lines[0].split("\\s+")[1]);
        long second = Long.parseLong(lines[1].split("\\s+")[1]);
        long bytes = Long.parseLong(lines[2].strip());
        return new CgroupSample((second - first) / 10_000.0, bytes >> 20);
    }
}
