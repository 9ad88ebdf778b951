package io.devswarm.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The way to an instance through the SSH gateway, from the instance view's {@code ssh} part: the
 * gateway's host key as a known_hosts line (kept in $DEVSWARM_HOME/known_hosts, so ssh can check
 * it strictly without asking) and a {@code ~/.ssh/config} Host entry.
 */
record GatewayAccess(String instance, String host, int port, String hostKey) {
    static GatewayAccess of(JsonNode view) {
        JsonNode ssh = view.path("ssh");
        if (ssh.isMissingNode() || ssh.isNull()) throw new IllegalStateException("the server shows no SSH gateway for " + view.path("name").asString());
        return new GatewayAccess(ssh.path("user").asString(), ssh.path("host").asString(), ssh.path("port").asInt(), ssh.path("hostKey").asString());
    }

    /** How known_hosts names the gateway: {@code [host]:port}, or the bare host on port 22. */
    String hostPattern() {
        return port == 22 ? host : "[" + host + "]:" + port;
    }

    String knownHostsLine() {
        return hostPattern() + " " + hostKey;
    }

    /** The file ssh checks the gateway's key against. */
    static Path knownHostsFile() {
        return Main.home().resolve("known_hosts");
    }

    /** Writes this gateway's line to {@link #knownHostsFile()}, replacing an older key of the same host and port. */
    Path trust() throws IOException {
        Path file = knownHostsFile();
        List<String> lines = new ArrayList<>(Files.exists(file) ? Files.readAllLines(file) : List.of());
        lines.removeIf(l -> l.startsWith(hostPattern() + " "));
        lines.add(knownHostsLine());
        writeAtomically(file, String.join("\n", lines) + "\n");
        return file;
    }

    /** The Host entry that makes {@code ssh NAME} reach the instance, checking the gateway's key strictly. */
    String hostEntry(Path knownHosts, String identity) {
        StringBuilder e = new StringBuilder(begin()).append('\n');
        e.append("Host ").append(instance).append('\n');
        e.append("  HostName ").append(host).append('\n');
        e.append("  Port ").append(port).append('\n');
        e.append("  User ").append(instance).append('\n');
        if (identity != null) e.append("  IdentityFile ").append(quoted(identity)).append('\n');
        e.append("  UserKnownHostsFile ").append(quoted(knownHosts.toString())).append('\n');
        e.append("  StrictHostKeyChecking yes\n");
        return e.append(end()).append('\n').toString();
    }

    /**
     * Puts {@code entry} into the ssh config file: in place of this instance's earlier entry, else
     * first in the file (ssh takes the first value it meets, so a later {@code Host *} cannot override it).
     */
    void writeEntry(Path config, String entry) throws IOException {
        String text = Files.exists(config) ? Files.readString(config) : "";
        int from = text.indexOf(begin() + "\n");
        int to = from < 0 ? -1 : text.indexOf(end() + "\n", from);
        String updated = to < 0 ? entry + (text.isEmpty() ? "" : "\n" + text)
                : text.substring(0, from) + entry + text.substring(to + end().length() + 1);
        writeAtomically(config, updated);
    }

    private String begin() {
        return "# devswarm " + instance + " (devswarm ssh-config writes this entry)";
    }

    private String end() {
        return "# end devswarm " + instance;
    }

    private static String quoted(String value) {
        return value.contains(" ") ? "\"" + value + "\"" : value;
    }

    /** Owner-only, as ssh wants its config, written whole so a reader never sees half a file. */
    private static void writeAtomically(Path file, String text) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp", Main.OWNER_ONLY);
        try (OutputStream out = Files.newOutputStream(tmp)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
