package io.devswarm.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** Users, secrets, the audit log and instance tokens. */
final class AccessCommands {
    private AccessCommands() {}

    @Command(name = "users", description = "Manage users (admin).", subcommands = {Users.Add.class, Users.ListUsers.class, Users.Remove.class})
    static final class Users {
        @ParentCommand
        Main main;

        @Command(name = "add", description = "Create a user; the password is read from standard input.")
        static final class Add implements Callable<Integer> {
            @ParentCommand
            Users users;

            @Parameters(description = "username") String username;
            @Option(names = "--role", required = true, description = "admin, developer, orchestrator, auditor or viewer; repeatable") List<String> roles;

            @Override
            public Integer call() throws Exception {
                String password = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                users.main.out().object(users.main.client().post("/users", Map.of(), Map.of("username", username, "password",
                        password == null ? "" : password.strip(), "roles", roles)), COLUMNS);
                return 0;
            }
        }

        @Command(name = "list", aliases = "ls", description = "List users.")
        static final class ListUsers implements Callable<Integer> {
            @ParentCommand
            Users users;

            @Override
            public Integer call() {
                users.main.out().table(users.main.client().get("/users", Map.of()), COLUMNS);
                return 0;
            }
        }

        @Command(name = "remove", aliases = "rm", description = "Delete a user with their keys and user secrets.")
        static final class Remove implements Callable<Integer> {
            @ParentCommand
            Users users;

            @Parameters String username;

            @Override
            public Integer call() {
                users.main.client().delete("/users/" + username, Map.of());
                return 0;
            }
        }

        private static final List<Output.Column> COLUMNS = List.of(Output.Column.of("USER", "username"), Output.Column.of("ROLES", "roles"),
                Output.Column.of("CREATED", "createdAt"));
    }

    /** Which secrets: global (default), a user's, or an instance's. */
    static final class Scope {
        @Option(names = "--user", description = "a user's secrets (every instance they own gets them)") String user;
        @Option(names = "--instance", description = "one instance's secrets") String instance;

        static String path(Scope s) {
            if (s == null) return "/secrets";
            return s.user != null ? "/users/" + s.user + "/secrets" : "/instances/" + s.instance + "/secrets";
        }
    }

    @Command(name = "secrets", description = "Secrets, injected into instances as environment variables.",
            subcommands = {Secrets.Set.class, Secrets.ListSecrets.class, Secrets.Reveal.class, Secrets.Remove.class, Secrets.RotateKey.class})
    static final class Secrets {
        @ParentCommand
        Main main;

        private static final List<Output.Column> COLUMNS = List.of(Output.Column.of("NAME", "name"), Output.Column.of("SCOPE", "scope"),
                Output.Column.of("UPDATED", "updatedAt"), Output.Column.of("BY", "updatedBy"));

        @Command(name = "set", description = "Set a secret; the value is read from standard input, so it stays out of shell history.")
        static final class Set implements Callable<Integer> {
            @ParentCommand
            Secrets secrets;
            @ArgGroup Scope scope;
            @Parameters(description = "NAME (an environment variable name)") String name;

            @Override
            public Integer call() throws Exception {
                String value = new String(System.in.readAllBytes(), StandardCharsets.UTF_8).stripTrailing();
                secrets.main.out().object(secrets.main.client().put(Scope.path(scope) + "/" + name, Map.of("value", value)), COLUMNS);
                return 0;
            }
        }

        @Command(name = "list", aliases = "ls", description = "List secret names (never values).")
        static final class ListSecrets implements Callable<Integer> {
            @ParentCommand
            Secrets secrets;
            @ArgGroup Scope scope;

            @Override
            public Integer call() {
                secrets.main.out().table(secrets.main.client().get(Scope.path(scope), Map.of()), COLUMNS);
                return 0;
            }
        }

        @Command(name = "reveal", description = "Print a secret's value (admins; a user their own user secrets).")
        static final class Reveal implements Callable<Integer> {
            @ParentCommand
            Secrets secrets;
            @ArgGroup Scope scope;
            @Parameters String name;

            @Override
            public Integer call() {
                System.out.println(secrets.main.client().get(Scope.path(scope) + "/" + name, Map.of("reveal", true)).path("value").asString());
                return 0;
            }
        }

        @Command(name = "remove", aliases = "rm", description = "Delete a secret.")
        static final class Remove implements Callable<Integer> {
            @ParentCommand
            Secrets secrets;
            @ArgGroup Scope scope;
            @Parameters String name;

            @Override
            public Integer call() {
                secrets.main.client().delete(Scope.path(scope) + "/" + name, Map.of());
                return 0;
            }
        }

        @Command(name = "rotate-key", description = "New master key; every secret is re-encrypted with it (admin).")
        static final class RotateKey implements Callable<Integer> {
            @ParentCommand
            Secrets secrets;

            @Override
            public Integer call() {
                secrets.main.out().object(secrets.main.client().post("/secrets/rotate-key", Map.of(), null), List.of(
                        Output.Column.of("previous key", "previousKeyId"), Output.Column.of("key", "keyId"), Output.Column.of("re-encrypted", "reencrypted")));
                return 0;
            }
        }
    }

    @Command(name = "audit", description = "The audit log, newest first (admin, auditor).")
    static final class Audit implements Callable<Integer> {
        @ParentCommand
        Main main;

        @Option(names = "--actor") String actor;
        @Option(names = "--action", description = "prefix, e.g. 'ssh.' or 'DELETE'") String action;
        @Option(names = "--target") String target;
        @Option(names = "--since", description = "ISO-8601 instant") String since;
        @Option(names = "--limit", defaultValue = "50") int limit;

        @Override
        public Integer call() {
            Map<String, Object> q = new LinkedHashMap<>();
            q.put("actor", actor);
            q.put("action", action);
            q.put("target", target);
            q.put("since", since);
            q.put("limit", limit);
            main.out().table(main.client().get("/audit", q).path("items"), List.of(Output.Column.of("AT", "at"), Output.Column.of("ACTOR", "actor"),
                    Output.Column.of("ACTION", "action"), Output.Column.of("TARGET", "target"), Output.Column.of("RESULT", "result"),
                    Output.Column.of("SOURCE", "source")));
            return 0;
        }
    }

    @Command(name = "token", description = "Print a short-lived token scoped to one instance, for automation running inside it.")
    static final class InstanceToken implements Callable<Integer> {
        @ParentCommand
        Main main;

        @Parameters(description = "instance name or id") String instance;
        @Option(names = "--ttl", description = "seconds (default and maximum: the server's instance-token-ttl)") Long ttl;

        @Override
        public Integer call() {
            Map<String, Object> body = new LinkedHashMap<>();
            if (ttl != null) body.put("ttlSeconds", ttl);
            System.out.println(main.client().post("/instances/" + instance + "/tokens", Map.of(), body).path("token").asString());
            return 0;
        }
    }
}
