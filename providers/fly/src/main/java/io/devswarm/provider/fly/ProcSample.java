package io.devswarm.provider.fly;

import io.devswarm.core.provider.ProviderException;

/** CPU and memory of a VM from its own /proc: the "cpu" line of /proc/stat twice, a second apart, then /proc/meminfo. */
record ProcSample(double cpuPercent, long memoryUsedMb, long memoryTotalMb) {
    static final String SCRIPT = "head -1 /proc/stat; sleep 1; head -1 /proc/stat; grep -E '^(MemTotal|MemAvailable):' /proc/meminfo; grep -c '^cpu[0-9]' /proc/stat";

    /** cpuPercent is of one core, as devswarm counts CPU use: busy jiffies over all jiffies, times the VM's CPU count. */
    static ProcSample parse(String output) {
        String[] lines = output.strip().split("\n");
        if (lines.length < 5 || !lines[0].startsWith("cpu ") || !lines[1].startsWith("cpu ")) {
            throw new ProviderException(ProviderException.Kind.NOT_FOUND, "unexpected /proc output: " + output.strip().lines().findFirst().orElse(""));
        }
        long[] a = jiffies(lines[0]), b = jiffies(lines[1]);
        long total = 0, idle = (b[3] - a[3]) + (b.length > 4 ? b[4] - a[4] : 0);
        for (int i = 0; i < a.length; i++) total += b[i] - a[i];
        int cpus = Math.max(1, Integer.parseInt(lines[4].strip()));
        double busy = total <= 0 ? 0 : (double) (total - idle) / total;
        long memTotal = kb(lines[2]), memAvailable = kb(lines[3]);
        return new ProcSample(busy * 100 * cpus, (memTotal - memAvailable) >> 10, memTotal >> 10);
    }

    private static long[] jiffies(String line) {
        String[] parts = line.trim().split("\\s+");
        long[] out = new long[parts.length - 1];
        for (int i = 1; i < parts.length; i++) out[i - 1] = Long.parseLong(parts[i]);
        return out;
    }

    private static long kb(String line) {
        return Long.parseLong(line.replaceAll("\\D", ""));
    }
}
