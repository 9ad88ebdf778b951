package io.devswarm.ssh;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings of the SSH gateway.
 *
 * @param address      interface to listen on: loopback by default, as the API
 * @param port         10022 by default (seed 000); 0 picks a free port
 * @param hostKey      the persistent ed25519 host key, made on first start with mode 0600
 * @param instanceUser the user sessions run as inside an instance (never root)
 * @param wakeTimeout  how long a connection to a stopped instance waits for it to start
 * @param keepAlive    interval of server keepalives; a client that stops answering is dropped
 */
public record GatewaySettings(String address, int port, Path hostKey, String instanceUser, Duration wakeTimeout, Duration keepAlive) {
    public static GatewaySettings defaults(Path home) {
        return new GatewaySettings("127.0.0.1", 10022, home.resolve("ssh_host_ed25519_key"), "developer", Duration.ofMinutes(3), Duration.ofSeconds(30));
    }

    public GatewaySettings withPort(int newPort) {
        return new GatewaySettings(address, newPort, hostKey, instanceUser, wakeTimeout, keepAlive);
    }

    public GatewaySettings withAddress(String newAddress) {
        return new GatewaySettings(newAddress, port, hostKey, instanceUser, wakeTimeout, keepAlive);
    }
}
