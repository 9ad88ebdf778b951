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

    /**
     * A usable local Docker engine, or the test is skipped with the reason; in CI
     * ({@code -Ddevswarm.requireInfra=true}) a missing engine fails instead.
     */
    public static void requireDocker() {
        String why;
        try {
            String out = run("docker", "info", "--format", "{{.ServerVersion}}");
            if (!out.isBlank() && !out.contains("Cannot connect") && !out.contains("error")) return;
            why = "docker info: " + out;
        } catch (IOException | InterruptedException e) {
            why = "docker: " + e.getMessage();
        }
        if (Boolean.getBoolean("devswarm.requireInfra")) org.junit.jupiter.api.Assertions.fail("Docker engine required in CI but not usable: " + why);
        org.junit.jupiter.api.Assumptions.assumeTrue(false, "no Docker engine, skipping: " + why);
    }
}
