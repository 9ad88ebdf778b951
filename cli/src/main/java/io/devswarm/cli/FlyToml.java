package io.devswarm.cli;

import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * A fly.toml for an instance, as seed 000 deploys a developer VM and seed 002 a service: the image,
 * the non-secret environment, the VM size, the workspace volume with Fly's auto-extension, SSH on
 * 10022 to the VM's own sshd on 2222, the exposed ports over TLS, and autostop/autostart.
 * Secrets are never written here: they belong in {@code fly secrets set}.
 */
final class FlyToml {
    private FlyToml() {}

    /** @param instance the API's instance view */
    static String render(JsonNode instance, String app, String region, String autostop) {
        StringBuilder t = new StringBuilder();
        String name = instance.path("name").asString();
        t.append("# fly.toml for devswarm instance ").append(name).append(", rendered by `devswarm fly render`\n");
        long idle = instance.path("idleTimeoutMinutes").asLong(30);
        t.append("# devswarm stops it after ").append(idle == 0 ? "never (idle timeout 0)" : idle + (idle == 1 ? " minute" : " minutes") + " without activity")
                .append("; Fly's proxy stops it when no connection is open, and starts it on the next one\n");
        t.append("app = ").append(quote(app)).append('\n');
        t.append("primary_region = ").append(quote(region)).append("\n\n");
        t.append("[build]\n  image = ").append(quote(instance.path("image").asString())).append("\n\n");
        JsonNode env = instance.path("env");
        if (env.isObject() && !env.isEmpty()) {
            t.append("[env]\n");
            for (Map.Entry<String, JsonNode> e : env.properties()) t.append("  ").append(e.getKey()).append(" = ").append(quote(e.getValue().asString())).append('\n');
            t.append('\n');
        }
        JsonNode r = instance.path("resources");
        int memory = r.path("memory").path("maxMb").asInt(2048);
        t.append("[[vm]]\n  cpu_kind = \"shared\"\n  cpus = ").append((int) Math.max(1, Math.ceil(r.path("cpu").path("cores").asDouble(1))))
                .append("\n  memory_mb = ").append(Math.max(256, (memory + 255) / 256 * 256)).append("\n\n");
        for (JsonNode v : instance.path("storage")) {
            if (!v.path("persistent").asBoolean(true)) continue;
            t.append("[[mounts]]\n  source = ").append(quote(v.path("volumeName").asString().toLowerCase().replaceAll("[^a-z0-9_]", "_")))
                    .append("\n  destination = ").append(quote(v.path("mountPath").asString()))
                    .append("\n  initial_size = \"").append(v.path("sizeGb").asInt(10)).append("gb\"")
                    .append("\n  auto_extend_size_threshold = 80\n  auto_extend_size_increment = \"5GB\"\n  auto_extend_size_limit = \"100GB\"\n\n");
        }
        service(t, 2222, autostop);
        t.append("  [[services.ports]]\n    port = 10022\n");
        t.append("  [[services.tcp_checks]]\n    interval = \"15s\"\n    timeout = \"2s\"\n    grace_period = \"10s\"\n\n");
        if (!instance.path("network").path("internal").asBoolean(false)) {
            for (JsonNode port : instance.path("network").path("exposedPorts")) {
                service(t, port.asInt(), autostop);
                t.append("  [[services.ports]]\n    handlers = [\"http\"]\n    port = 80\n    force_https = true\n");
                t.append("  [[services.ports]]\n    handlers = [\"tls\", \"http\"]\n    port = 443\n");
                t.append("  [[services.tcp_checks]]\n    interval = \"15s\"\n    timeout = \"2s\"\n    grace_period = \"30s\"\n\n");
            }
        }
        return t.toString();
    }

    private static void service(StringBuilder t, int internalPort, String autostop) {
        t.append("[[services]]\n  protocol = \"tcp\"\n  internal_port = ").append(internalPort).append('\n');
        t.append("  auto_stop_machines = ").append(autostop.equals("off") ? "\"off\"" : quote(autostop)).append('\n');
        t.append("  auto_start_machines = ").append(!autostop.equals("off")).append("\n  min_machines_running = 0\n");
    }

    static String quote(String s) {
        StringBuilder q = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> q.append("\\\"");
                case '\\' -> q.append("\\\\");
                case '\n' -> q.append("\\n");
                case '\t' -> q.append("\\t");
                default -> {
                    if (c < 0x20) q.append(String.format("\\u%04x", (int) c));
                    else q.append(c);
                }
            }
        }
        return q.append('"').toString();
    }
}
