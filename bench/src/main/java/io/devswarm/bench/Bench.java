package io.devswarm.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Benchmarks that print devswarm's figures beside the same work done directly on the substrate. */
@Command(name = "bench", mixinStandardHelpOptions = true, subcommands = {DockerBench.class, ScaleBench.class, SshBench.class},
        description = "devswarm benchmarks; each prints min / median / p95 beside the raw substrate and the ratio.")
public final class Bench {
    public static void main(String[] args) {
        System.exit(new CommandLine(new Bench()).execute(args));
    }
}
