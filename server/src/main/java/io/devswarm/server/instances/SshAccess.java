package io.devswarm.server.instances;

/**
 * How to reach an instance through the SSH gateway: the command to type, and the gateway's host
 * key to trust (what {@code devswarm ssh-config} writes to known_hosts).
 *
 * @param hostKey            the public key as OpenSSH writes it, {@code ssh-ed25519 AAAA...}
 * @param hostKeyFingerprint as ssh shows it on first contact, {@code SHA256:...}
 */
public record SshAccess(String command, String host, int port, String user, String hostKey, String hostKeyFingerprint) {
    static SshAccess of(String instance, String host, int port, String hostKey, String hostKeyFingerprint) {
        String command = "ssh " + (port == 22 ? "" : "-p " + port + " ") + instance + "@" + host;
        return new SshAccess(command, host, port, instance, hostKey, hostKeyFingerprint);
    }
}
