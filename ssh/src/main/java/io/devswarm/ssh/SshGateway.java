package io.devswarm.ssh;

import io.devswarm.core.activity.ActivityTracker;
import io.devswarm.core.controller.OperationWaiter;
import io.devswarm.core.controller.SwarmController;
import io.devswarm.core.provider.ProviderRegistry;
import io.devswarm.core.secrets.SecretEnv;
import io.devswarm.core.store.Store;
import io.devswarm.ssh.internal.BridgeCommand;
import io.devswarm.ssh.internal.ForwardChannel;
import io.devswarm.ssh.internal.InstanceAccess;
import io.devswarm.ssh.internal.KeyAuthenticator;
import io.devswarm.ssh.internal.RefusedForwarding;
import java.io.IOException;
import java.security.PublicKey;
import java.time.Clock;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.apache.sshd.common.cipher.BuiltinCiphers;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.server.subsystem.SubsystemFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * devswarm's SSH gateway: {@code ssh -p 10022 <instance>@host} reaches that instance, with
 * public-key authentication only, shell/exec with PTY, sftp and scp, and direct-tcpip
 * forwarding, all bridged to the provider's exec stream. A stopped instance is woken on connect.
 */
public final class SshGateway implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SshGateway.class);

    private final GatewaySettings settings;
    private final SshServer server;
    private final SimpleGeneratorHostKeyProvider hostKeys;
    private volatile PublicKey hostKey;

    /**
     * @param store   SSH keys and users (who may reach what), and the audit log every login goes to
     * @param secrets what sessions get in their environment besides the instance's own
     */
    public SshGateway(GatewaySettings settings, Store store, SwarmController controller, OperationWaiter waiter, ProviderRegistry providers,
                      ActivityTracker activity, SecretEnv secrets, Clock clock) {
        this.settings = settings;
        InstanceAccess access = new InstanceAccess(controller, waiter, providers, settings.wakeTimeout(), store.users(), secrets);
        SshServer s = SshServer.setUpDefaultServer();
        s.setHost(settings.address());
        s.setPort(settings.port());
        this.hostKeys = new SimpleGeneratorHostKeyProvider(settings.hostKey());
        hostKeys.setAlgorithm(SecurityUtils.EDDSA);
        s.setKeyPairProvider(hostKeys);
        // AES-GCM only: the JDK runs it on AES-NI and it needs no separate MAC pass; with CTR on offer,
        // OpenSSH clients (which prefer it) would pick the slower CTR+HMAC. Every OpenSSH since 6.2 has GCM.
        s.setCipherFactories(List.of(BuiltinCiphers.aes128gcm, BuiltinCiphers.aes256gcm));
        s.setPasswordAuthenticator(null);
        s.setKeyboardInteractiveAuthenticator(null);
        s.setGSSAuthenticator(null);
        s.setHostBasedAuthenticator(null);
        s.setPublickeyAuthenticator(new KeyAuthenticator(store.sshKeys(), access, store.audit(), clock));
        s.setShellFactory(channel -> new BridgeCommand(channel, BridgeCommand.Kind.SHELL, null, access, settings.instanceUser(), activity));
        s.setCommandFactory((channel, command) -> new BridgeCommand(channel, BridgeCommand.Kind.EXEC, command, access, settings.instanceUser(), activity));
        s.setSubsystemFactories(List.of(new SubsystemFactory() {
            @Override
            public String getName() {
                return "sftp";
            }

            @Override
            public Command createSubsystem(org.apache.sshd.server.channel.ChannelSession channel) {
                return new BridgeCommand(channel, BridgeCommand.Kind.SFTP, null, access, settings.instanceUser(), activity);
            }
        }));
        s.setForwardingFilter(new RefusedForwarding());
        s.setChannelFactories(List.of(RefusedForwarding.sessions(), ForwardChannel.factory(access, activity)));
        CoreModuleProperties.HEARTBEAT_INTERVAL.set(s, settings.keepAlive());
        CoreModuleProperties.HEARTBEAT_NO_REPLY_MAX.set(s, 4);
        this.server = s;
    }

    public void start() throws IOException {
        Files.createDirectories(settings.hostKey().toAbsolutePath().getParent());
        hostKey = hostKeys.loadKeys(null).iterator().next().getPublic(); // made here on first start
        server.start();
        if (Files.exists(settings.hostKey())) {
            try {
                Files.setPosixFilePermissions(settings.hostKey(), PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // not a POSIX file system: nothing to tighten
            }
        }
        log.info("ssh gateway listening on {}:{}, host key {} ({})", settings.address(), port(), hostKeyFingerprint(), settings.hostKey());
    }

    /** The host key's public half as OpenSSH writes it ({@code ssh-ed25519 AAAA...}), for a known_hosts line; known once started. */
    public String hostKey() {
        return PublicKeyEntry.toString(startedKey());
    }

    /** The host key's fingerprint as ssh shows it on first contact ({@code SHA256:...}); known once started. */
    public String hostKeyFingerprint() {
        return KeyUtils.getFingerPrint(startedKey());
    }

    public boolean isStarted() {
        return hostKey != null && server.isStarted();
    }

    private PublicKey startedKey() {
        PublicKey key = hostKey;
        if (key == null) throw new IllegalStateException("the gateway has not started");
        return key;
    }

    /** The bound port (useful when configured as 0). */
    public int port() {
        return server.getPort();
    }

    @Override
    public void close() throws IOException {
        server.stop(true);
    }
}
