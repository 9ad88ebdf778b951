package io.devswarm.ssh.internal;

import io.devswarm.core.access.PublicKeys;
import io.devswarm.core.access.SshKey;
import io.devswarm.core.audit.AuditEvent;
import io.devswarm.core.controller.Ids;
import io.devswarm.core.model.Instance;
import io.devswarm.core.store.AuditLog;
import io.devswarm.core.store.SshKeyStore;
import java.net.InetSocketAddress;
import java.security.PublicKey;
import java.time.Clock;
import java.util.Optional;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.server.auth.pubkey.PublickeyAuthenticator;
import org.apache.sshd.server.session.ServerSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Public-key authentication: the SSH user name is the instance, the key names the devswarm user.
 * root and unknown keys are refused outright. A known key is accepted even for an instance its
 * user may not reach (or that does not exist): the session then only says so, alike in both
 * cases. Accepting the key also wakes a stopped instance, so its start overlaps the rest of the
 * handshake.
 */
public final class KeyAuthenticator implements PublickeyAuthenticator {
    private static final Logger log = LoggerFactory.getLogger(KeyAuthenticator.class);

    private final SshKeyStore keys;
    private final InstanceAccess access;
    private final AuditLog audit;
    private final Clock clock;

    public KeyAuthenticator(SshKeyStore keys, InstanceAccess access, AuditLog audit, Clock clock) {
        this.keys = keys;
        this.access = access;
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    public boolean authenticate(String username, PublicKey key, ServerSession session) {
        if (username == null || username.equals("root")) {
            log.info("ssh: refused user '{}' from {}", username, session.getClientAddress());
            record(session, "anonymous", username, "denied: root");
            return false;
        }
        String fingerprint = PublicKeys.fingerprint(PublicKeys.parse(PublicKeyEntry.toString(key)));
        Optional<SshKey> owner = keys.findByFingerprint(fingerprint);
        if (owner.isEmpty()) {
            log.info("ssh: unknown key {} for {} from {}", fingerprint, username, session.getClientAddress());
            record(session, "unknown-key:" + fingerprint, username, "denied: unknown key");
            return false;
        }
        Optional<Instance> instance = access.reachable(owner.get().username(), username);
        Target target = instance.map(i -> Target.reached(owner.get().username(), i, fingerprint))
                .orElseGet(() -> Target.unreachable(owner.get().username(), username, fingerprint));
        // the key is accepted either way, so the person typing ssh hears what is wrong instead of
        // "Permission denied"; every channel of an unreachable target is then refused
        Target previous = session.setAttribute(Target.KEY, target);
        if (target.equals(previous)) return true; // the signed request after the query
        if (instance.isPresent()) {
            access.wakeEarly(instance.get());
            log.info("ssh: {} reached {} with {} from {}", target.username(), target.instanceName(), fingerprint, session.getClientAddress());
            record(session, target.username(), target.instanceName(), "success");
        } else {
            log.info("ssh: {} ({}) may not reach '{}'", owner.get().username(), fingerprint, username);
            record(session, owner.get().username(), username, "denied: not allowed on this instance");
        }
        return true;
    }

    private void record(ServerSession session, String actor, String instance, String result) {
        String source = session.getClientAddress() instanceof InetSocketAddress a ? a.getAddress().getHostAddress() : String.valueOf(session.getClientAddress());
        audit.append(new AuditEvent(Ids.next("au"), clock.instant(), actor, "ssh.login", instance, result, source));
    }
}
