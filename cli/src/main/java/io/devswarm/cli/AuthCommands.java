package io.devswarm.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** Sign in and out. The token is kept in $DEVSWARM_HOME/cli.properties (mode 0600) beside the server URL. */
final class AuthCommands {
    private AuthCommands() {}

    @Command(name = "login", description = "Sign in and keep the token for the next commands.")
    static final class Login implements Callable<Integer> {
        @ParentCommand
        Main main;

        @Option(names = {"-u", "--username"}, description = "default: your login name") String username;
        @Option(names = "--password-stdin", description = "read the password from standard input") boolean passwordStdin;
        @Option(names = "--api-key-stdin", description = "sign in with an API key read from standard input") boolean apiKeyStdin;
        @Option(names = "--credentials-file", description = "a file with username= and password= lines, such as the first-start admin-credentials")
        Path credentialsFile;

        @Override
        public Integer call() throws IOException {
            Map<String, Object> body = new LinkedHashMap<>();
            if (credentialsFile != null) {
                Properties p = new Properties();
                try (var in = Files.newInputStream(credentialsFile)) {
                    p.load(in);
                }
                body.put("username", p.getProperty("username"));
                body.put("password", p.getProperty("password"));
            } else if (apiKeyStdin) {
                body.put("apiKey", stdinLine());
            } else {
                body.put("username", username == null ? System.getProperty("user.name") : username);
                body.put("password", passwordStdin ? stdinLine() : prompt("Password for " + body.get("username") + ": "));
            }
            var answer = main.client().post("/auth/login", Map.of(), body);
            save(main.serverUrl(), answer.path("token").asString());
            System.err.println("signed in as " + answer.path("username").asString() + " " + answer.path("roles") + " until "
                    + answer.path("expiresAt").asString() + "; token kept in " + Main.configFile());
            return 0;
        }
    }

    @Command(name = "logout", description = "Sign this token out on the server and forget it here.")
    static final class Logout implements Callable<Integer> {
        @ParentCommand
        Main main;

        @Override
        public Integer call() throws IOException {
            main.client().post("/auth/logout", Map.of(), null);
            save(main.serverUrl(), null);
            return 0;
        }
    }

    @Command(name = "whoami", description = "Who the current token is: user, roles, expiry.")
    static final class WhoAmI implements Callable<Integer> {
        @ParentCommand
        Main main;

        @Override
        public Integer call() {
            main.out().object(main.client().get("/auth/status", Map.of()), List.of(Output.Column.of("user", "username"), Output.Column.of("roles", "roles"),
                    Output.Column.of("instance", "instance"), Output.Column.of("issuer", "issuer"), Output.Column.of("expires", "expiresAt")));
            return 0;
        }
    }

    @Command(name = "passwd", description = "Change your password (prompts, or two lines on stdin: current, new).")
    static final class Passwd implements Callable<Integer> {
        @ParentCommand
        Main main;

        @Option(names = {"--password-stdin", "--stdin"}, description = "read the current and the new password from standard input, one per line")
        boolean stdin;

        @Override
        public Integer call() throws IOException {
            String current;
            String next;
            if (stdin) {
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                current = in.readLine();
                next = in.readLine();
            } else {
                current = prompt("Current password: ");
                next = prompt("New password (12 characters or more): ");
                if (!next.equals(prompt("Again: "))) {
                    System.err.println("error: the two new passwords differ");
                    return 2;
                }
            }
            if (current == null || next == null) throw new Main.UsageException("--password-stdin needs two lines: the current password, then the new one");
            String user = main.client().get("/auth/status", Map.of()).path("username").asString();
            main.client().put("/users/" + user, Map.of("currentPassword", current, "password", next));
            System.err.println("password changed for " + user);
            return 0;
        }
    }

    private static String stdinLine() throws IOException {
        String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        return line == null ? "" : line.strip();
    }

    private static String prompt(String text) {
        Console console = System.console();
        if (console == null) throw new Main.UsageException("no terminal to ask for a password: use --password-stdin");
        char[] secret = console.readPassword(text);
        return secret == null ? "" : new String(secret);
    }

    /** Writes url and token (or removes the token) with mode 0600, keeping other settings. */
    static void save(String url, String token) throws IOException {
        Path file = Main.configFile();
        Properties p = Main.config();
        p.setProperty("url", url);
        if (token == null) p.remove("token");
        else p.setProperty("token", token);
        Files.createDirectories(file.getParent());
        Path tmp = Files.createTempFile(file.getParent(), ".cli", ".tmp", Main.OWNER_ONLY);
        try (OutputStream out = Files.newOutputStream(tmp)) {
            p.store(out, "devswarm CLI: server and token (keep private)");
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
