package io.devswarm.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;

/** Commands about the swarm as a whole. */
final class SwarmCommands {
    private SwarmCommands() {}

    @Command(name = "ops", description = "List operations, or show one.")
    static final class Ops implements Callable<Integer> {
        @ParentCommand
        Main main;

        @Parameters(arity = "0..1", description = "operation id") String id;
        @Option(names = "--instance") String instance;
        @Option(names = "--status") String status;
        @Option(names = "--limit", defaultValue = "20") int limit;

        @Override
        public Integer call() {
            List<Output.Column> cols = List.of(Output.Column.of("ID", "id"), Output.Column.of("TYPE", "type"), Output.Column.of("INSTANCE", "instanceName"),
                    Output.Column.of("STATUS", "status"), Output.Column.of("ATTEMPTS", "attempts"), Output.Column.of("CREATED", "createdAt"),
                    Output.Column.of("ERROR", "error"));
            if (id != null) {
                main.out().object(main.client().get("/operations/" + id, Map.of()), cols.stream()
                        .map(c -> new Output.Column(c.title().toLowerCase(), c.value())).toList());
                return 0;
            }
            Map<String, Object> q = new LinkedHashMap<>();
            q.put("instance", instance);
            q.put("status", status);
            q.put("limit", limit);
            main.out().table(main.client().get("/operations", q).path("items"), cols);
            return 0;
        }
    }

    @Command(name = "providers", description = "Show providers: whether they can run here, health and capabilities.")
    static final class Providers implements Callable<Integer> {
        @ParentCommand
        Main main;

        @Override
        public Integer call() {
            main.out().table(main.client().get("/providers", Map.of()), List.of(Output.Column.of("NAME", "name"), Output.Column.of("STATUS", "status"),
                    Output.Column.of("DETAIL", "health"), new Output.Column("LIVE-RESIZE", n -> Output.text(n.path("capabilities").path("supportsLiveResize"))),
                    new Output.Column("EXEC-STREAM", n -> Output.text(n.path("capabilities").path("supportsExecStream")))));
            return 0;
        }
    }

    @Command(name = "status", description = "Swarm status: instances by state, allocation, providers.")
    static final class Status implements Callable<Integer> {
        @ParentCommand
        Main main;

        @Override
        public Integer call() {
            JsonNode s = main.client().get("/swarm/status", Map.of());
            if (main.out().json()) {
                main.out().object(s, List.of());
                return 0;
            }
            System.out.printf("instances: %d total, %d running, %d stopped, %d failed, %d in transition%n", s.path("totalInstances").asInt(),
                    s.path("runningInstances").asInt(), s.path("stoppedInstances").asInt(), s.path("failedInstances").asInt(),
                    s.path("transitionalInstances").asInt());
            JsonNode u = s.path("resourceUsage");
            System.out.printf("allocated: cpu %.1f / %.0f cores, memory %.0f / %.0f MB%n", u.path("cpu").path("used").asDouble(), u.path("cpu").path("total").asDouble(),
                    u.path("memory").path("used").asDouble(), u.path("memory").path("total").asDouble());
            main.out().table(s.path("providers"), List.of(Output.Column.of("PROVIDER", "type"), Output.Column.of("STATUS", "status"),
                    Output.Column.of("INSTANCES", "instances"), Output.Column.of("DETAIL", "detail")));
            return 0;
        }
    }

    @Command(name = "scale", description = "Set the size of a pool <pool>-0..<pool>-(N-1).")
    static final class Scale extends InstanceCommands.Lifecycle {
        @Parameters(index = "0") String pool;
        @Parameters(index = "1") int replicas;
        @Option(names = "--image", description = "image of the members (needed when the pool is new)") String image;
        @Option(names = "--provider") String provider;
        @Option(names = "--delete-volumes", description = "on scale-down, delete the removed members' volumes too") boolean deleteVolumes;

        @Override
        public Integer call() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("pool", pool);
            body.put("replicas", replicas);
            if (image != null) body.put("template", Map.of("image", image));
            if (provider != null) body.put("provider", provider);
            body.put("keepVolumes", !deleteVolumes);
            return follow(main.client().post("/swarm/scale", Map.of(), body));
        }
    }
}
