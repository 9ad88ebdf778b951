package io.devswarm.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code devswarm keys add|list|remove}: the SSH public keys that let a user through the gateway. */
@Command(name = "keys", description = "Manage SSH public keys for the gateway.", subcommands = {KeyCommands.Add.class, KeyCommands.ListKeys.class,
        KeyCommands.Remove.class})
final class KeyCommands {
    @ParentCommand
    Main main;

    /** The signed-in devswarm user, whose keys these are unless --user says otherwise. */
    String defaultUser() {
        return main.client().get("/auth/status", Map.of()).path("username").asString();
    }

    @Command(name = "add", description = "Add a public key (a .pub file, or the key line itself).")
    static final class Add implements Callable<Integer> {
        @ParentCommand
        KeyCommands keys;

        @Parameters(description = "path to a .pub file, or 'ssh-ed25519 AAAA...'") String key;
        @Option(names = "--user", description = "owner of the key (default: you)") String user;
        @Option(names = "--name", description = "a label for the key") String name;

        @Override
        public Integer call() throws Exception {
            String line = Files.isRegularFile(Path.of(key)) ? Files.readString(Path.of(key)).trim() : key;
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("publicKey", line);
            if (name != null) body.put("name", name);
            String u = user == null ? keys.defaultUser() : user;
            var added = keys.main.client().post("/users/" + u + "/keys", Map.of(), body);
            keys.main.out().object(added, List.of(Output.Column.of("id", "id"), Output.Column.of("user", "username"), Output.Column.of("name", "name"),
                    Output.Column.of("fingerprint", "fingerprint")));
            return 0;
        }
    }

    @Command(name = "list", aliases = "ls", description = "List a user's keys.")
    static final class ListKeys implements Callable<Integer> {
        @ParentCommand
        KeyCommands keys;

        @Option(names = "--user") String user;

        @Override
        public Integer call() {
            String u = user == null ? keys.defaultUser() : user;
            keys.main.out().table(keys.main.client().get("/users/" + u + "/keys", Map.of()), List.of(Output.Column.of("ID", "id"),
                    Output.Column.of("NAME", "name"), Output.Column.of("FINGERPRINT", "fingerprint"), Output.Column.of("ADDED", "createdAt")));
            return 0;
        }
    }

    @Command(name = "remove", aliases = "rm", description = "Remove a key by id.")
    static final class Remove implements Callable<Integer> {
        @ParentCommand
        KeyCommands keys;

        @Parameters String id;
        @Option(names = "--user") String user;

        @Override
        public Integer call() {
            keys.main.client().delete("/users/" + (user == null ? keys.defaultUser() : user) + "/keys/" + id, Map.of());
            return 0;
        }
    }
}
