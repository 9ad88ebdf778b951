package io.devswarm.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;

/** Commands on single instances. */
final class InstanceCommands {
    private InstanceCommands() {}

    static final List<Output.Column> INSTANCE_COLUMNS = List.of(Output.Column.of("NAME", "name"), Output.Column.of("STATUS", "status"),
            Output.Column.of("PROVIDER", "provider"), Output.Column.of("IMAGE", "image"),
            new Output.Column("IP", n -> Output.text(n.path("networkInfo").path("internalIp"))), Output.Column.of("ID", "id"));

    static final List<Output.Column> INSTANCE_FIELDS = List.of(Output.Column.of("id", "id"), Output.Column.of("name", "name"),
            Output.Column.of("status", "status"), Output.Column.of("reason", "statusReason"), Output.Column.of("desired", "desiredState"),
            Output.Column.of("provider", "provider"), Output.Column.of("image", "image"), Output.Column.of("created", "createdAt"),
            Output.Column.of("owner", "owner"), Output.Column.of("last active", "lastActiveAt"), Output.Column.of("inactive (s)", "inactivitySeconds"),
            Output.Column.of("auto-stop in (s)", "autoStopInSeconds"), Output.Column.of("awake reason", "awakeReason"),
            Output.Column.of("idle timeout (min)", "idleTimeoutMinutes"),
            new Output.Column("cpu", n -> Output.text(n.path("resources").path("cpu"))), new Output.Column("memory", n -> Output.text(n.path("resources").path("memory"))),
            new Output.Column("ip", n -> Output.text(n.path("networkInfo").path("internalIp"))),
            new Output.Column("urls", n -> Output.text(n.path("networkInfo").path("urls"))), Output.Column.of("operation", "activeOperation"),
            new Output.Column("ssh", n -> Output.text(n.path("ssh").path("command"))), new Output.Column("ssh port", n -> Output.text(n.path("ssh").path("port"))),
            new Output.Column("ssh host key", n -> Output.text(n.path("ssh").path("hostKeyFingerprint"))));

    /** Shared by the lifecycle commands: submit, then follow the operation unless --no-wait. */
    abstract static class Lifecycle implements Callable<Integer> {
        @ParentCommand
        Main main;

        @Option(names = "--no-wait", description = "return once the operation is accepted")
        boolean noWait;

        @Option(names = "--timeout", defaultValue = "300", description = "seconds to wait for the operation (default ${DEFAULT-VALUE})")
        int timeoutSeconds;

        @Option(names = "--priority", description = "critical, high, default or low")
        String priority;

        /** The query every lifecycle call carries; the client drops absent values. */
        Map<String, Object> query() {
            Map<String, Object> q = new LinkedHashMap<>();
            q.put("priority", priority);
            return q;
        }

        /** POST /instances/{instance}/{verb} and follow the operation. */
        Integer act(String instance, String verb) {
            return follow(main.client().post("/instances/" + instance + "/" + verb, query(), null));
        }

        Integer follow(JsonNode accepted) {
            return new Progress(main.client(), main.out(), System.err).follow(accepted, noWait, timeoutSeconds);
        }
    }

    @Command(name = "create", description = "Create an instance and wait until it runs.")
    static final class Create extends Lifecycle {
        @Parameters(index = "0", description = "instance name (DNS label)")
        String name;

        @Option(names = "--image", defaultValue = "devswarm/base", description = "image (default ${DEFAULT-VALUE})")
        String image;

        @Option(names = "--provider", description = "provider; default: the server's default")
        String provider;

        @Option(names = "--cpu", description = "CPU cores (weight)")
        Double cpu;

        @Option(names = "--cpu-limit", description = "hard CPU limit in millicores")
        Integer cpuLimit;

        @Option(names = "--memory", description = "memory limit in MB")
        Integer memory;

        @Option(names = "--storage", description = "workspace size in GB")
        Integer storage;

        @Option(names = {"-e", "--env"}, description = "KEY=VALUE, repeatable")
        Map<String, String> env = new LinkedHashMap<>();

        @Option(names = {"-p", "--port"}, description = "port to expose, repeatable")
        List<Integer> ports = new ArrayList<>();

        @Option(names = "--idle-timeout", description = "minutes without activity before auto-stop (0 = never)")
        Integer idleTimeout;

        @Option(names = "--owner", description = "user it is made for (orchestrators and admins; default: you)")
        String owner;

        @Option(names = "--restart", description = "when its container dies while it should run: always (default, with backoff) or never")
        String restart;

        @Option(names = "--label", description = "metadata KEY=VALUE, repeatable")
        Map<String, String> labels = new LinkedHashMap<>();

        @Parameters(index = "1..*", arity = "0..*", description = "command to run instead of the image's default")
        List<String> command = new ArrayList<>();

        @Override
        public Integer call() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", name);
            body.put("image", image);
            if (provider != null) body.put("provider", provider);
            if (owner != null) body.put("owner", owner);
            if (!command.isEmpty()) body.put("command", command);
            if (!env.isEmpty()) body.put("env", env);
            if (!labels.isEmpty()) body.put("metadata", labels);
            if (idleTimeout != null) body.put("idleTimeoutMinutes", idleTimeout);
            if (restart != null) body.put("restartPolicy", restart);
            if (priority != null) body.put("priority", priority);
            Map<String, Object> resources = new LinkedHashMap<>();
            if (cpu != null || cpuLimit != null) {
                Map<String, Object> c = new LinkedHashMap<>();
                if (cpu != null) c.put("cores", cpu);
                if (cpuLimit != null) c.put("limit", cpuLimit);
                resources.put("cpu", c);
            }
            if (memory != null) resources.put("memory", Map.of("max", memory));
            if (storage != null) resources.put("storage", Map.of("size", storage));
            if (!resources.isEmpty()) body.put("resources", resources);
            if (!ports.isEmpty()) body.put("network", Map.of("exposedPorts", ports));
            return follow(main.client().post("/instances", Map.of(), body));
        }
    }

    @Command(name = "list", aliases = "ls", description = "List instances.")
    static final class ListInstances implements Callable<Integer> {
        @ParentCommand
        Main main;

        @Option(names = "--status") String status;
        @Option(names = "--provider") String provider;
        @Option(names = "--pool") String pool;
        @Option(names = "--name", description = "names containing this") String name;
        @Option(names = "--limit", defaultValue = "50") int limit;
        @Option(names = "--offset", defaultValue = "0") int offset;

        @Override
        public Integer call() {
            Map<String, Object> q = new LinkedHashMap<>();
            q.put("status", status);
            q.put("provider", provider);
            q.put("pool", pool);
            q.put("name", name);
            q.put("limit", limit);
            q.put("offset", offset);
            JsonNode page = main.client().get("/instances", q);
            main.out().table(page.path("items"), INSTANCE_COLUMNS);
            long total = page.path("total").asLong();
            if (!main.out().json() && total > page.path("items").size()) {
                System.err.printf("%d of %d shown (--offset/--limit for more)%n", page.path("items").size(), total);
            }
            return 0;
        }
    }

    @Command(name = "get", description = "Show one instance.")
    static final class Get implements Callable<Integer> {
        @ParentCommand
        Main main;

        @Parameters(description = "instance name or id")
        String instance;

        @Override
        public Integer call() {
            main.out().object(main.client().get("/instances/" + instance, Map.of()), INSTANCE_FIELDS);
            return 0;
        }
    }

    @Command(name = "start", description = "Start a stopped instance.")
    static final class Start extends Lifecycle {
        @Parameters String instance;

        @Override
        public Integer call() {
            return act(instance, "start");
        }
    }

    @Command(name = "stop", description = "Stop an instance; its data is kept.")
    static final class Stop extends Lifecycle {
        @Parameters String instance;

        @Override
        public Integer call() {
            return act(instance, "stop");
        }
    }

    @Command(name = "restart", description = "Stop and start an instance.")
    static final class Restart extends Lifecycle {
        @Parameters String instance;

        @Override
        public Integer call() {
            return act(instance, "restart");
        }
    }

    @Command(name = "recreate", description = "Replace an instance's container (e.g. a new image); /workspace is kept.")
    static final class Recreate extends Lifecycle {
        @Parameters String instance;

        @Option(names = "--image", description = "new image; default: the current one") String image;

        @Option(names = "--start-empty", description = "if volumes were removed outside devswarm, start with new empty ones (else refused)")
        boolean startEmpty;

        @Override
        public Integer call() {
            Map<String, Object> body = new LinkedHashMap<>();
            if (image != null) body.put("image", image);
            if (startEmpty) body.put("startEmpty", true);
            return follow(main.client().post("/instances/" + instance + "/recreate", query(), body));
        }
    }

    @Command(name = "delete", aliases = "rm", description = "Delete an instance and, unless --keep-volumes, its volumes.")
    static final class Delete extends Lifecycle {
        @Parameters String instance;

        @Option(names = "--keep-volumes", description = "keep the persistent volumes (re-creating the same name finds them)")
        boolean keepVolumes;

        @Override
        public Integer call() {
            Map<String, Object> q = query();
            q.put("keepVolumes", keepVolumes);
            return follow(main.client().delete("/instances/" + instance, q));
        }
    }

    @Command(name = "exec", description = "Run a command in a running instance; prints its output and exits with its code.")
    static final class Exec implements Callable<Integer> {
        @ParentCommand
        Main main;

        @Parameters(index = "0") String instance;

        @Parameters(index = "1..*", arity = "1..*", description = "the command and its arguments (put -- before options)")
        List<String> command;

        @Option(names = {"-e", "--env"}) Map<String, String> env = new LinkedHashMap<>();
        @Option(names = "--user") String user;
        @Option(names = {"-w", "--workdir"}) String workdir;
        @Option(names = "--timeout", defaultValue = "300", description = "seconds before the command is killed") int timeout;

        @Override
        public Integer call() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("command", command);
            if (!env.isEmpty()) body.put("env", env);
            if (user != null) body.put("user", user);
            if (workdir != null) body.put("workdir", workdir);
            body.put("timeoutSeconds", timeout);
            ApiClient api = main.client();
            JsonNode accepted = api.post("/instances/" + instance + "/exec", Map.of("wait", true, "timeout", (timeout + 30) + "s"), body);
            JsonNode op = accepted.path("operation");
            if (!"completed".equals(op.path("status").asString())) {
                System.err.println("error: exec " + op.path("status").asString() + ": " + op.path("error").asString(""));
                return Main.OPERATION_FAILED;
            }
            String executionId = op.path("result").path("executionId").asString();
            String instanceId = op.path("instanceId").asString();
            JsonNode execution = api.get("/instances/" + instanceId + "/executions/" + executionId, Map.of());
            if (main.out().json()) {
                main.out().object(execution, List.of());
            } else {
                System.out.print(execution.path("stdout").asString(""));
                System.err.print(execution.path("stderr").asString(""));
                if (execution.hasNonNull("outputWithheld")) System.err.println("(output withheld: " + execution.path("outputWithheld").asString() + ")");
                if (execution.path("timedOut").asBoolean()) System.err.println("error: command timed out after " + timeout + "s");
                if (execution.path("truncated").asBoolean()) System.err.println("(output truncated)");
            }
            return execution.path("exitCode").asInt();
        }
    }
}
