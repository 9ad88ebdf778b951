package io.devswarm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/** The CLI as a user runs it: a separate JVM, no terminal, its own environment. */
class CliTest {
    @TempDir
    Path tmp;

    record Run(int exit, String out, String err) {}

    private Run cli(Map<String, String> env, String stdin, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(tmp.resolve("out").toFile()).redirectError(tmp.resolve("err").toFile());
        pb.environment().remove("DEVSWARM_URL");
        pb.environment().remove("DEVSWARM_TOKEN");
        pb.environment().putAll(env);
        Process p = pb.start();
        if (stdin != null) p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), Files.readString(tmp.resolve("out")), Files.readString(tmp.resolve("err")));
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    @DisplayName("the CLI reads its server and token from $DEVSWARM_HOME/cli.properties")
    void homeFromEnvironment() throws Exception {
        int port = closedPort();
        Files.writeString(tmp.resolve("cli.properties"), "url=http://127.0.0.1:" + port + "\ntoken=t\n");
        Run r = cli(Map.of("DEVSWARM_HOME", tmp.toString()), null, "whoami");
        assertThat(r.exit()).isEqualTo(Main.UNREACHABLE);
        assertThat(r.err()).contains("http://127.0.0.1:" + port);
    }

    @Test
    @DisplayName("every command answers --help, keys and audit included")
    void helpEverywhere() throws Exception {
        for (String[] args : List.of(new String[] {"keys", "--help"}, new String[] {"audit", "--help"}, new String[] {"keys", "add", "--help"},
                new String[] {"ssh-config", "--help"})) {
            Run r = cli(Map.of("DEVSWARM_HOME", tmp.toString()), null, args);
            assertThat(r.exit()).as(String.join(" ", args) + ": " + r.err()).isZero();
            assertThat(r.out()).startsWith("Usage: devswarm " + args[0]);
        }
    }

    @Test
    @DisplayName("passwd without a terminal says to use --password-stdin, with no stack trace; --password-stdin reads two lines")
    void passwdWithoutTerminal() throws Exception {
        Map<String, String> env = Map.of("DEVSWARM_HOME", tmp.toString(), "DEVSWARM_URL", "http://127.0.0.1:" + closedPort());
        Run prompt = cli(env, null, "passwd");
        assertThat(prompt.exit()).isEqualTo(Main.USAGE);
        assertThat(prompt.err()).isEqualTo("error: no terminal to ask for a password: use --password-stdin\n");
        Run oneLine = cli(env, "only-one\n", "passwd", "--password-stdin");
        assertThat(oneLine.exit()).isEqualTo(Main.USAGE);
        assertThat(oneLine.err()).startsWith("error: --password-stdin needs two lines").doesNotContain("Exception");
        Run twoLines = cli(env, "old-password\nnew-password-1234\n", "passwd", "--password-stdin");
        assertThat(twoLines.exit()).as("read both, then met the (unreachable) server").isEqualTo(Main.UNREACHABLE);
    }

    @Test
    @DisplayName("ssh-config writes a Host entry first in the file, replaces it on a second run, and trusts the gateway's key")
    void sshConfigEntry() throws Exception {
        var view = JsonMapper.builder().build().readTree("""
                {"name":"mydev","ssh":{"command":"ssh -p 10022 mydev@127.0.0.1","host":"127.0.0.1","port":10022,"user":"mydev",
                 "hostKey":"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBQmXXD5BprGc0fVGcdAfJg3W9FkBrsqRCFbEq3m5DE5","hostKeyFingerprint":"SHA256:x"}}""");
        GatewayAccess access = GatewayAccess.of(view);
        Path config = tmp.resolve("ssh_config");
        Files.writeString(config, "Host *\n  Port 2222\n  User nobody\n");
        Path knownHosts = tmp.resolve("known_hosts");
        access.writeEntry(config, access.hostEntry(knownHosts, null));
        access.writeEntry(config, access.hostEntry(knownHosts, "/keys/id ed25519"));
        String text = Files.readString(config);
        assertThat(text).containsOnlyOnce("Host mydev").contains("IdentityFile \"/keys/id ed25519\"").endsWith("Host *\n  Port 2222\n  User nobody\n");
        // what OpenSSH itself makes of the file
        Process p = new ProcessBuilder("ssh", "-G", "-F", config.toString(), "mydev").redirectErrorStream(true).start();
        String resolved = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(resolved).isZero();
        assertThat(resolved).contains("\nhostname 127.0.0.1\n", "\nport 10022\n", "\nuser mydev\n", "\nstricthostkeychecking true\n",
                "\nuserknownhostsfile " + knownHosts + "\n");
        assertThat(access.knownHostsLine()).isEqualTo("[127.0.0.1]:10022 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBQmXXD5BprGc0fVGcdAfJg3W9FkBrsqRCFbEq3m5DE5");
    }
}
