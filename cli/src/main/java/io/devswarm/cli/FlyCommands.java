package io.devswarm.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code devswarm fly render}: the fly.toml of an instance, for deploying it with flyctl. */
@Command(name = "fly", description = "Fly.io helpers.", subcommands = {FlyCommands.Render.class, FlyCommands.Snapshots.class})
final class FlyCommands {
    @ParentCommand
    Main main;

    @Command(name = "render", description = "Write a fly.toml for an instance (services, mounts with auto-extension, autostop, checks).")
    static final class Render implements Callable<Integer> {
        @ParentCommand
        FlyCommands fly;

        @Parameters(description = "instance name or id") String instance;
        @Option(names = "--app", description = "Fly app name (default: devswarm-<name>)") String app;
        @Option(names = "--region", defaultValue = "iad", description = "primary region (default: ${DEFAULT-VALUE})") String region;
        @Option(names = "--autostop", defaultValue = "stop", description = "stop, suspend or off (default: ${DEFAULT-VALUE})") String autostop;
        @Option(names = {"-f", "--file"}, description = "write here instead of standard output") Path file;

        @Override
        public Integer call() throws Exception {
            var view = fly.main.client().get("/instances/" + instance, Map.of());
            String toml = FlyToml.render(view, app == null ? "devswarm-" + view.path("name").asString() : app, region, autostop);
            if (file == null) {
                System.out.print(toml);
            } else {
                Files.writeString(file, toml);
                System.err.println("wrote " + file);
            }
            return 0;
        }
    }

    @Command(name = "snapshots", description = "List the snapshots of an instance's volume, or take one with --create.")
    static final class Snapshots implements Callable<Integer> {
        @ParentCommand
        FlyCommands fly;

        @Parameters(description = "instance name or id") String instance;
        @Option(names = "--volume", defaultValue = "workspace", description = "volume (default: ${DEFAULT-VALUE})") String volume;
        @Option(names = "--create", description = "take a snapshot now") boolean create;

        @Override
        public Integer call() {
            String path = "/instances/" + instance + "/volumes/" + volume + "/snapshots";
            if (create) {
                fly.main.client().post(path, Map.of(), null);
                System.err.println("snapshot of " + volume + " of " + instance + " requested");
                return 0;
            }
            fly.main.out().table(fly.main.client().get(path, Map.of()), java.util.List.of(Output.Column.of("ID", "id"), Output.Column.of("CREATED", "createdAt"),
                    Output.Column.of("SIZE", "sizeBytes"), Output.Column.of("STATUS", "status")));
            return 0;
        }
    }
}
