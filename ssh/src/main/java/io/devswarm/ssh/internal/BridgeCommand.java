package io.devswarm.ssh.internal;

import io.devswarm.core.activity.ActivityTracker;
import io.devswarm.core.activity.AwakeReason;
import io.devswarm.core.model.Instance;
import io.devswarm.core.provider.ExecStream;
import io.devswarm.core.provider.StreamRequest;
import io.devswarm.core.provider.feature.ExecStreams;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.Signal;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SSH session channel (shell, exec or subsystem) bridged to a process inside the instance
 * through the provider's exec stream: bytes are pumped both ways, EOF from the client closes the
 * process's stdin, window changes resize its terminal, and its exit code becomes the channel's
 * exit status. No sshd runs inside the instance.
 */
public final class BridgeCommand implements Command {
    private static final Logger log = LoggerFactory.getLogger(BridgeCommand.class);

    public enum Kind { SHELL, EXEC, SFTP }

    private final Kind kind;
    private final String command;
    private final InstanceAccess access;
    private final String instanceUser;
    private final ActivityTracker activity;
    private final StdinReceiver stdinReceiver;
    private OutputStream out;
    private OutputStream err;
    private ExitCallback exit;
    private volatile ExecStream stream;

    public BridgeCommand(ChannelSession channel, Kind kind, String command, InstanceAccess access, String instanceUser, ActivityTracker activity) {
        this.stdinReceiver = new StdinReceiver(channel);
        channel.setDataReceiver(stdinReceiver); // instead of MINA's piped input stream: one copy, no lock handoff per packet
        this.kind = kind;
        this.command = command;
        this.access = access;
        this.instanceUser = instanceUser;
        this.activity = activity;
    }

    @Override
    public void setInputStream(InputStream in) {
        // not called: client data arrives through the StdinReceiver
    }

    @Override
    public void setOutputStream(OutputStream out) {
        this.out = out;
    }

    @Override
    public void setErrorStream(OutputStream err) {
        this.err = err;
    }

    @Override
    public void setExitCallback(ExitCallback callback) {
        this.exit = callback;
    }

    @Override
    public void start(ChannelSession channel, Environment env) {
        var session = channel.getSession();
        Target target = session.getAttribute(Target.KEY);
        String notices = RefusedForwarding.takeNotices(session);
        Map<String, String> connection = LoginCommand.connectionEnv(session.getClientAddress(), session.getLocalAddress());
        Thread.ofVirtual().name("devswarm-ssh-" + target.instanceName()).start(() -> {
            tell(notices);
            if (target.reachable()) {
                run(target, env, connection);
            } else {
                tell("devswarm: " + target.refusal() + "\n");
                exit.onExit(255, target.refusal());
            }
        });
    }

    /** Writes to the client's stderr. */
    private void tell(String text) {
        if (text.isEmpty()) return;
        try {
            err.write(text.getBytes(StandardCharsets.UTF_8));
            err.flush();
        } catch (IOException gone) {
            // the client left: the session ends anyway
        }
    }

    private void run(Target target, Environment env, Map<String, String> connection) {
        activity.sessionOpened(target.instanceId(), AwakeReason.SSH_SESSION);
        try {
            ExecStreams streams = access.streams(target.instanceId());
            Instance instance = access.awaitRunning(target.instanceId(), err);
            Map<String, String> vars = env.getEnv();
            // a pty-req sets the window size; TERM alone may come from the client's SetEnv
            boolean tty = kind != Kind.SFTP && vars.containsKey(Environment.ENV_COLUMNS);
            Map<String, String> pass = new LinkedHashMap<>(kind == Kind.SFTP ? Map.of() : access.secretEnv(instance));
            pass.putAll(connection);
            vars.forEach((k, v) -> {
                if (k.equals("TERM") || k.equals("LANG") || k.startsWith("LC_") || k.equals("COLORTERM")) pass.put(k, v);
            });
            List<String> cmd = switch (kind) {
                case SHELL -> LoginCommand.shell();
                case EXEC -> LoginCommand.exec(command);
                case SFTP -> LoginCommand.sftp();
            };
            ExecStream s = streams.openStream(instance.handle(),
                    new StreamRequest(cmd, pass, instanceUser, null, tty, number(vars.get(Environment.ENV_COLUMNS)), number(vars.get(Environment.ENV_LINES))));
            stream = s;
            if (tty) {
                env.addSignalListener((ch, signal) -> s.resize(number(env.getEnv().get(Environment.ENV_COLUMNS)), number(env.getEnv().get(Environment.ENV_LINES))),
                        Signal.WINCH);
            }
            // a platform thread: its blocking writes park in the kernel, where a virtual thread's go through
            // the JDK's poller and carrier hand-offs, which cost an upload a tenth of its throughput here
            Thread stdin = Thread.ofPlatform().daemon().name("devswarm-ssh-stdin").start(() -> {
                try {
                    stdinReceiver.drainTo(s.stdin(), () -> activity.touch(target.instanceId(), AwakeReason.SSH_SESSION));
                    // as sshd does: EOF on a terminal is not passed on (the engine would hang up the pty and drop its output)
                    if (!tty) s.closeStdin();
                } catch (IOException | InterruptedException ended) {
                    // the process or the session ended first
                }
            });
            Thread stderr = Thread.ofVirtual().start(() -> pump(s.stderr(), err, target.instanceId()));
            pump(s.stdout(), out, target.instanceId());
            stderr.join();
            OptionalInt code = s.waitFor(Duration.ofSeconds(30));
            stdin.interrupt();
            exit.onExit(code.orElse(255));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exit.onExit(255, "interrupted");
        } catch (Exception e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            log.info("ssh session to {} failed: {}", target.instanceName(), message);
            tell("devswarm: " + message + "\n");
            exit.onExit(255, message);
        } finally {
            activity.sessionClosed(target.instanceId());
        }
    }

    private void pump(InputStream from, OutputStream to, String instanceId) {
        try {
            Streams.copy(from, to, () -> activity.touch(instanceId, AwakeReason.SSH_SESSION));
        } catch (IOException closed) {
            // either side went away: the session ends
        }
    }

    private static int number(String value) {
        try {
            return value == null ? 0 : Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    @Override
    public void destroy(ChannelSession channel) {
        ExecStream s = stream;
        if (s != null) s.close();
    }
}
