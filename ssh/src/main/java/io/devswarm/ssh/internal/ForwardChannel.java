package io.devswarm.ssh.internal;

import io.devswarm.core.activity.ActivityTracker;
import io.devswarm.core.activity.AwakeReason;
import io.devswarm.core.model.Instance;
import io.devswarm.core.provider.ExecStream;
import io.devswarm.core.provider.StreamRequest;
import io.devswarm.core.provider.feature.ExecStreams;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Collections;
import java.util.List;
import org.apache.sshd.client.future.DefaultOpenFuture;
import org.apache.sshd.client.future.OpenFuture;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.channel.Channel;
import org.apache.sshd.common.channel.ChannelFactory;
import org.apache.sshd.common.channel.ChannelOutputStream;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.channel.exception.SshChannelOpenException;
import org.apache.sshd.server.channel.AbstractServerChannel;

/**
 * {@code direct-tcpip} (ssh -L, VS Code's port forwarding) reaching a port <em>inside</em> the
 * instance: the connection is a forwarder process inside it (socat, or nc) fed through the
 * provider's exec stream, so it works on every provider and on remote engines alike.
 */
public final class ForwardChannel extends AbstractServerChannel {
    private final InstanceAccess access;
    private final ActivityTracker activity;
    private volatile ExecStream stream;
    private volatile OutputStream toClient;

    ForwardChannel(InstanceAccess access, ActivityTracker activity) {
        super("direct-tcpip", Collections.emptyList(), null);
        this.access = access;
        this.activity = activity;
    }

    /** Registers the channel type with the server. */
    public static ChannelFactory factory(InstanceAccess access, ActivityTracker activity) {
        return new ChannelFactory() {
            @Override
            public String getName() {
                return "direct-tcpip";
            }

            @Override
            public Channel createChannel(Session session) {
                return new ForwardChannel(access, activity);
            }
        };
    }

    static List<String> forwarder(String host, int port) {
        // "localhost" may resolve to ::1 first inside the instance while servers listen on 127.0.0.1
        if (host.equals("localhost")) host = "127.0.0.1";
        return List.of("/bin/sh", "-c", "if command -v socat >/dev/null 2>&1; then exec socat - \"TCP:$0:$1\"; else exec nc \"$0\" \"$1\"; fi", host,
                Integer.toString(port));
    }

    @Override
    protected OpenFuture doInit(Buffer buffer) {
        String host = buffer.getString();
        int port = buffer.getInt();
        OpenFuture opened = new DefaultOpenFuture(this, this);
        Target target = getSession().getAttribute(Target.KEY);
        if (!target.reachable()) {
            opened.setException(new SshChannelOpenException(getChannelId(), SshConstants.SSH_OPEN_ADMINISTRATIVELY_PROHIBITED, target.refusal()));
            return opened;
        }
        Thread.ofVirtual().name("devswarm-forward-" + port).start(() -> {
            try {
                ExecStreams streams = access.streams(target.instanceId());
                Instance instance = access.awaitRunning(target.instanceId(), OutputStream.nullOutputStream());
                ExecStream s = streams.openStream(instance.handle(), new StreamRequest(forwarder(host, port), null, null, null, false, 0, 0));
                stream = s;
                toClient = new ChannelOutputStream(this, getRemoteWindow(), log, SshConstants.SSH_MSG_CHANNEL_DATA, true);
                signalChannelOpenSuccess();
                opened.setOpened();
                activity.sessionOpened(target.instanceId(), AwakeReason.FORWARDED_TRAFFIC);
                pumpToClient(s, target.instanceId());
            } catch (Exception e) {
                log.info("direct-tcpip to {}:{} in {} failed: {}", host, port, target.instanceName(), e.toString());
                opened.setException(new SshChannelOpenException(getChannelId(), SshConstants.SSH_OPEN_CONNECT_FAILED, e.getMessage(), e));
            }
        });
        return opened;
    }

    private void pumpToClient(ExecStream s, String instanceId) {
        try {
            Streams.copy(s.stdout(), toClient, () -> activity.touch(instanceId, AwakeReason.FORWARDED_TRAFFIC));
            sendEof();
        } catch (IOException gone) {
            // client or process went away
        } finally {
            activity.sessionClosed(instanceId);
            close(false);
        }
    }

    @Override
    protected void doWriteData(byte[] data, int off, long len) throws IOException {
        ExecStream s = stream;
        if (s == null) throw new IOException("forwarding not open yet");
        s.stdin().write(data, off, (int) len);
        s.stdin().flush();
        getLocalWindow().release(len);
    }

    @Override
    protected void doWriteExtendedData(byte[] data, int off, long len) throws IOException {
        throw new IOException("direct-tcpip carries no extended data");
    }

    @Override
    public void handleEof() throws IOException {
        super.handleEof();
        ExecStream s = stream;
        if (s != null) s.closeStdin();
    }

    @Override
    protected void preClose() {
        ExecStream s = stream;
        if (s != null) s.close();
        super.preClose();
    }
}
