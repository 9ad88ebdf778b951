package io.devswarm.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** Follows an operation to its end, showing its state on stderr while it runs. */
final class Progress {
    private final ApiClient api;
    private final Output out;
    private final PrintStream err;

    Progress(ApiClient api, Output out, PrintStream err) {
        this.api = api;
        this.out = out;
        this.err = err;
    }

    Integer follow(JsonNode accepted, boolean noWait, int timeoutSeconds) {
        JsonNode op = accepted.path("operation");
        String what = op.path("type").asString() + " " + op.path("instanceName").asString();
        if (noWait) {
            print(accepted);
            return 0;
        }
        long start = System.nanoTime();
        long deadline = start + timeoutSeconds * 1_000_000_000L;
        String last = "";
        while (!terminal(op) && System.nanoTime() < deadline) {
            String line = what + ": " + op.path("status").asString() + attempt(op);
            if (!line.equals(last) && !out.json()) err.println(line + " ...");
            last = line;
            op = api.get("/operations/" + op.path("id").asString(), Map.of("wait", true, "timeout", "1s"));
        }
        double took = (System.nanoTime() - start) / 1e9;
        if (!terminal(op)) {
            err.printf("%s: still %s after %ds; follow it with: devswarm ops %s%n", what, op.path("status").asString(), timeoutSeconds, op.path("id").asString());
            return Main.OPERATION_FAILED;
        }
        if ("failed".equals(op.path("status").asString())) {
            err.printf("%s failed after %.1fs: %s%n", what, took, op.path("error").asString());
            return Main.OPERATION_FAILED;
        }
        if (out.json()) {
            out.object(op, List.of());
        } else {
            err.printf("%s: done in %.1fs%n", what, took);
            String instance = op.path("instanceId").asString(null);
            if (instance != null && !"delete".equals(op.path("type").asString())) {
                try {
                    out.table(ApiClient.JSON.createArrayNode().add(api.get("/instances/" + instance, Map.of())), InstanceCommands.INSTANCE_COLUMNS);
                } catch (ApiClient.ApiException gone) {
                    // deleted meanwhile
                }
            }
        }
        return 0;
    }

    private void print(JsonNode accepted) {
        if (out.json()) {
            out.object(accepted, List.of());
        } else {
            JsonNode op = accepted.path("operation");
            System.out.println(op.path("id").asString() + " " + op.path("type").asString() + " " + op.path("status").asString());
        }
    }

    private static boolean terminal(JsonNode op) {
        String s = op.path("status").asString();
        return s.equals("completed") || s.equals("failed");
    }

    private static String attempt(JsonNode op) {
        int attempts = op.path("attempts").asInt();
        return attempts > 1 ? " (attempt " + attempts + "/" + op.path("maxAttempts").asInt() + ", last error: " + op.path("error").asString("") + ")" : "";
    }
}
