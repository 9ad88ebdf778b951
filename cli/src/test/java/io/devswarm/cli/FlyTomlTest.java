package io.devswarm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class FlyTomlTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    @DisplayName("fly.toml: image, env, VM size in Fly's steps, workspace mount with auto-extension, SSH 10022 to 2222, exposed ports over TLS")
    void rendersAnInstance() {
        JsonNode view = JSON.readTree("""
                {"name":"web-1","image":"devswarm/dev","env":{"GREETING":"say \\"hi\\""},"idleTimeoutMinutes":30,
                 "resources":{"cpu":{"cores":2.0},"memory":{"maxMb":1000}},
                 "storage":[{"volumeName":"workspace","sizeGb":10,"persistent":true,"mountPath":"/workspace"},
                            {"volumeName":"scratch","sizeGb":1,"persistent":false,"mountPath":"/tmp/s"}],
                 "network":{"exposedPorts":[3000],"internal":false}}""");
        String toml = FlyToml.render(view, "devswarm-web-1", "ams", "suspend");
        assertThat(toml).contains("app = \"devswarm-web-1\"\nprimary_region = \"ams\"", "[build]\n  image = \"devswarm/dev\"",
                "GREETING = \"say \\\"hi\\\"\"", "cpus = 2\n  memory_mb = 1024",
                "[[mounts]]\n  source = \"workspace\"\n  destination = \"/workspace\"\n  initial_size = \"10gb\"\n  auto_extend_size_threshold = 80",
                "internal_port = 2222\n  auto_stop_machines = \"suspend\"\n  auto_start_machines = true", "port = 10022",
                "internal_port = 3000", "handlers = [\"tls\", \"http\"]\n    port = 443", "30 minutes without activity");
        assertThat(toml).doesNotContain("scratch");
    }
}
