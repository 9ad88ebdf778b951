package io.devswarm.core.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Runs a command on the test host (the docker CLI, ssh...) and returns its trimmed output. */
public final class HostCommand {
    private HostCommand() {}

    public static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        p.waitFor();
        return out;
    }

    /** {@code docker <args>}. */
    public static String docker(String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 1];
        command[0] = "docker";
        System.arraycopy(args, 0, command, 1, args.length);
        return run(command);
    }

    /** The id of the container installation {@code installation} made for its instance {@code name} (found by their labels), or "" when it has none. */
    public static String containerOf(String installation, String name) throws IOException, InterruptedException {
        return docker("ps", "-aq", "--filter", "label=devswarm.installation=" + installation, "--filter", "label=devswarm.name=" + name);
    }

    /**
     * A usable local Docker engine with the devswarm/base image built, or the test is skipped with
     * the reason; in CI ({@code -Ddevswarm.requireInfra=true}) a missing one fails instead.
     */
    public static void requireDocker() {
        String why = null;
        try {
            Process p = new ProcessBuilder("docker", "image", "inspect", "devswarm/base:latest").redirectErrorStream(true).start();
            p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            if (p.waitFor() != 0) why = "Docker engine or devswarm/base image missing (run deploy/images/build.sh base)";
        } catch (IOException | InterruptedException e) {
            why = "no docker CLI: " + e.getMessage();
        }
        if (why == null) return;
        if (Boolean.getBoolean("devswarm.requireInfra")) org.junit.jupiter.api.Assertions.fail("required in CI: " + why);
        org.junit.jupiter.api.Assumptions.assumeTrue(false, why);
    }
}
