package io.devswarm.ssh.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.channel.Channel;
import org.apache.sshd.common.channel.ChannelFactory;
import org.apache.sshd.common.channel.RequestHandler;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.forward.ForwardingFilter;
import org.apache.sshd.server.session.ServerSession;

/**
 * Agent (ssh -A), remote (ssh -R) and X11 (ssh -X) forwarding are refused, and the client is told
 * why on the next session's stderr: OpenSSH asks for an agent without wanting a reply, so a
 * silent refusal would look like an empty agent. ({@code direct-tcpip}, ssh -L, is
 * {@link ForwardChannel}'s and does not pass through here.) MINA asks the filter about agents
 * and X11 only when it has a factory for them, so the session channels of {@link #sessions()}
 * refuse those requests themselves.
 */
public final class RefusedForwarding implements ForwardingFilter {
    private static final AttributeKey<Set<String>> REFUSED = new AttributeKey<>();

    static final String AGENT = "devswarm: agent forwarding (ssh -A) is not supported; for git push from inside, "
            + "make a key there (ssh-keygen) and add it to your git host";
    static final String REMOTE = "devswarm: remote port forwarding (ssh -R) is not supported; ssh -L reaches ports inside the instance";
    static final String X11 = "devswarm: X11 forwarding (ssh -X) is not supported";

    @Override
    public boolean canForwardAgent(Session session, String requestType) {
        return refuse(session, AGENT);
    }

    @Override
    public boolean canForwardX11(Session session, String requestType) {
        return refuse(session, X11);
    }

    @Override
    public boolean canListen(SshdSocketAddress address, Session session) {
        return refuse(session, REMOTE);
    }

    @Override
    public boolean canConnect(Type type, SshdSocketAddress address, Session session) {
        return false; // the built-in direct-tcpip is not installed; ForwardChannel replaces it
    }

    /** Session channels that refuse agent and X11 forwarding through this filter's notices. */
    public static ChannelFactory sessions() {
        return new ChannelFactory() {
            @Override
            public String getName() {
                return "session";
            }

            @Override
            public Channel createChannel(Session session) {
                return new ChannelSession() {
                    @Override
                    protected RequestHandler.Result handleAgentForwardingParsed(String requestType) {
                        refuse(session, AGENT);
                        return RequestHandler.Result.ReplyFailure;
                    }

                    @Override
                    protected RequestHandler.Result handleX11ForwardingParsed(String requestType, ServerSession s, boolean singleConnection,
                                                                              String authProtocol, String authCookie, int screenId) {
                        refuse(session, X11);
                        return RequestHandler.Result.ReplyFailure;
                    }
                };
            }
        };
    }

    private static boolean refuse(Session session, String notice) {
        session.computeAttributeIfAbsent(REFUSED, k -> new ConcurrentSkipListSet<>()).add(notice);
        return false;
    }

    /** What was refused since the last call, one notice a line; each is told once per connection. */
    static String takeNotices(Session session) {
        Set<String> refused = session.removeAttribute(REFUSED);
        return refused == null || refused.isEmpty() ? "" : String.join("\n", refused) + "\n";
    }
}
