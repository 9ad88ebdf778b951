package io.devswarm.provider.docker;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.devswarm.core.provider.ProviderContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * Test access to the real Docker engine. Without one, tests skip with the reason, except in CI
 * ({@code -Ddevswarm.requireInfra=true}) where a missing engine fails the build.
 */
final class DockerEngine {
    static final String BASE_IMAGE = "devswarm/base:latest";
    /** The providers' data directory, as the server gives one: stdin pipes are on, as they are by default. */
    static final Path DATA_DIR = tempDir();

    private DockerEngine() {}

    static DockerProvider provider(String installation) {
        return provider(installation, Map.of());
    }

    static DockerProvider provider(String installation, Map<String, String> settings) {
        return provider(new ProviderContext(installation, Clock.systemUTC(), settings, DATA_DIR));
    }

    static DockerProvider provider(ProviderContext context) {
        DockerSettings s = DockerSettings.from(context);
        String problem = s.problem();
        if (problem == null) {
            DockerProvider p = new DockerProvider(s, context);
            var health = p.health();
            if (health.isUsable()) {
                requireImage(p);
                return p;
            }
            problem = health.detail();
        }
        if (Boolean.getBoolean("devswarm.requireInfra")) fail("Docker engine required in CI but not usable: " + problem);
        assumeTrue(false, "no Docker engine, skipping: " + problem);
        return null;
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("devswarm-docker-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void requireImage(DockerProvider p) {
        try {
            Process proc = new ProcessBuilder("docker", "image", "inspect", BASE_IMAGE).redirectErrorStream(true).start();
            if (proc.waitFor() != 0) {
                String why = BASE_IMAGE + " is not built: run deploy/images/build.sh base";
                if (Boolean.getBoolean("devswarm.requireInfra")) fail(why);
                assumeTrue(false, why);
            }
        } catch (Exception e) {
            // no docker CLI: the provider tests themselves will say what is missing
        }
    }
}
