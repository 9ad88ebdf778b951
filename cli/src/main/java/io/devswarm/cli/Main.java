package io.devswarm.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The devswarm CLI: a REST client of the server (it never starts Spring itself). Server URL
 * and token come from flags, else DEVSWARM_URL / DEVSWARM_TOKEN, else $DEVSWARM_HOME/cli.properties
 * ({@code url=}, {@code token=}; DEVSWARM_HOME defaults to ~/.devswarm, as the server's), else
 * http://127.0.0.1:8080.
 *
 * <p>Exit codes: 0 ok, 1 the operation failed, 2 bad usage, 3 refused by the server (4xx),
 * 4 server unreachable, 5 server error (5xx).
 */
@Command(name = "devswarm", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT, version = "devswarm 0.1.0",
        description = "Persistent, scale-to-zero developer environments.",
        subcommands = {ServerCommand.class, InstanceCommands.Create.class, InstanceCommands.ListInstances.class, InstanceCommands.Get.class,
                InstanceCommands.Start.class, InstanceCommands.Stop.class, InstanceCommands.Restart.class, InstanceCommands.Recreate.class,
                InstanceCommands.Delete.class,
                InstanceCommands.Exec.class, SshCommand.class, SshConfigCommand.class, KeyCommands.class, SwarmCommands.Ops.class, SwarmCommands.Providers.class,
                SwarmCommands.Status.class, SwarmCommands.Scale.class, AuthCommands.Login.class, AuthCommands.Logout.class, AuthCommands.WhoAmI.class,
                AuthCommands.Passwd.class, AccessCommands.Users.class, AccessCommands.Secrets.class, AccessCommands.Audit.class,
                AccessCommands.InstanceToken.class, FlyCommands.class})
public final class Main {
    static final int OPERATION_FAILED = 1;
    static final int REFUSED = 3;
    static final int UNREACHABLE = 4;
    static final int SERVER_ERROR = 5;
    static final int USAGE = 2;
    static final FileAttribute<?> OWNER_ONLY = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    @Option(names = "--url", scope = ScopeType.INHERIT, description = "server URL (env DEVSWARM_URL)")
    String url;

    @Option(names = "--token", scope = ScopeType.INHERIT, description = "API token (env DEVSWARM_TOKEN)")
    String token;

    @Option(names = {"-o", "--output"}, scope = ScopeType.INHERIT, defaultValue = "table", description = "table or json")
    Output.Format output;

    ApiClient client() {
        return new ApiClient(serverUrl(), first(token, System.getenv("DEVSWARM_TOKEN"), config().getProperty("token"), null));
    }

    String serverUrl() {
        return first(url, System.getenv("DEVSWARM_URL"), config().getProperty("url"), "http://127.0.0.1:8080");
    }

    /** The CLI's own directory: $DEVSWARM_HOME, else ~/.devswarm. */
    static Path home() {
        String home = System.getenv("DEVSWARM_HOME");
        return home != null && !home.isBlank() ? Path.of(home) : Path.of(System.getProperty("user.home"), ".devswarm");
    }

    static Path configFile() {
        return home().resolve("cli.properties");
    }

    static Properties config() {
        Properties file = new Properties();
        Path config = configFile();
        if (Files.isReadable(config)) {
            try (InputStream in = Files.newInputStream(config)) {
                file.load(in);
            } catch (IOException ignored) {
                // an unreadable config file is the same as none
            }
        }
        return file;
    }

    Output out() {
        return new Output(output, System.out);
    }

    private static String first(String... values) {
        for (String v : values) if (v != null && !v.isBlank()) return v;
        return null;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The CLI with its error handling: a message and an exit code, never a stack trace. */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof ApiClient.ApiException api) {
                if (api.problem != null && api.problem.has("errors")) {
                    cmd.getErr().println("error: " + api.problem.path("title").asString("invalid request"));
                    for (var fe : api.problem.get("errors")) cmd.getErr().println("  " + fe.path("field").asString() + ": " + fe.path("message").asString());
                } else {
                    cmd.getErr().println("error: " + api.getMessage());
                }
                if (api.status == 401) cmd.getErr().println("hint: sign in with `devswarm login` (or set DEVSWARM_TOKEN)");
                return api.status == 0 ? UNREACHABLE : api.status >= 500 ? SERVER_ERROR : REFUSED;
            }
            if (e instanceof UsageException) {
                cmd.getErr().println("error: " + e.getMessage());
                return USAGE;
            }
            cmd.getErr().println("error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return OPERATION_FAILED;
        });
        return cli;
    }

    /** The command cannot run as asked (no terminal to prompt on, a missing flag): exit 2 with the message. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
