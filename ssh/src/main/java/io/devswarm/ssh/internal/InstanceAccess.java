package io.devswarm.ssh.internal;

import io.devswarm.core.access.AccessPolicy;
import io.devswarm.core.access.Caller;
import io.devswarm.core.access.ForbiddenException;
import io.devswarm.core.access.Owners;
import io.devswarm.core.access.Role;
import io.devswarm.core.controller.OperationWaiter;
import io.devswarm.core.controller.SwarmController;
import io.devswarm.core.model.ConflictException;
import io.devswarm.core.model.Instance;
import io.devswarm.core.model.InstanceStatus;
import io.devswarm.core.model.NotFoundException;
import io.devswarm.core.operation.Operation;
import io.devswarm.core.operation.OperationStatus;
import io.devswarm.core.operation.Priority;
import io.devswarm.core.provider.Provider;
import io.devswarm.core.provider.ProviderRegistry;
import io.devswarm.core.provider.feature.ExecStreams;
import io.devswarm.core.secrets.SecretEnv;
import io.devswarm.core.store.UserStore;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides who may reach which instance, and brings a stopped instance up for a connection:
 * wake-on-connect. Concurrent connections to a stopped instance share one start: the second
 * start request meets the first one's claim (409) and waits for that operation instead.
 */
public final class InstanceAccess {
    private final SwarmController controller;
    private final OperationWaiter waiter;
    private final ProviderRegistry providers;
    private final Duration wakeTimeout;
    private final UserStore users;
    private final SecretEnv secrets;

    public InstanceAccess(SwarmController controller, OperationWaiter waiter, ProviderRegistry providers, Duration wakeTimeout, UserStore users,
                          SecretEnv secrets) {
        this.controller = controller;
        this.waiter = waiter;
        this.providers = providers;
        this.wakeTimeout = wakeTimeout;
        this.users = users;
        this.secrets = secrets;
    }

    /** The instance {@code name} if {@code user} may reach it; empty hides whether it exists. */
    public Optional<Instance> reachable(String user, String name) {
        // a key holder with no API account is a developer known by name: their own instances only
        Caller caller = users.find(user).map(u -> Caller.user(u.username(), u.id(), u.roles()))
                .orElse(Caller.user(user, Owners.named(user), Set.of(Role.DEVELOPER)));
        try {
            return Optional.of(AccessPolicy.operable(caller, controller.find(name), name));
        } catch (NotFoundException | ForbiddenException e) {
            return Optional.empty();
        }
    }

    /** Secrets as environment variables for a session: their current values, even if changed since the instance started. */
    public Map<String, String> secretEnv(Instance instance) {
        return secrets.envFor(instance);
    }

    /**
     * Starts the instance if it is stopped, without waiting: lets the start overlap the rest of the
     * handshake. An instance whose provider has no exec streams is left alone: no session can reach it.
     */
    public void wakeEarly(Instance instance) {
        boolean sessions = providers.find(instance.provider()).flatMap(p -> p.feature(ExecStreams.class)).isPresent();
        if (sessions && (instance.status() == InstanceStatus.STOPPED || instance.status() == InstanceStatus.FAILED)) {
            Thread.ofVirtual().name("devswarm-wake-" + instance.name()).start(() -> {
                try {
                    controller.start(instance.id(), Priority.HIGH);
                } catch (RuntimeException alreadyStarting) {
                    // the session start waits for whichever operation runs
                }
            });
        }
    }

    /**
     * Returns the instance once it runs, starting it if needed and telling the client on
     * {@code notices} (its stderr) while it waits.
     */
    public Instance awaitRunning(String instanceId, OutputStream notices) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + wakeTimeout.toNanos();
        boolean told = false;
        long started = System.nanoTime();
        while (true) {
            Instance i = controller.find(instanceId);
            if (i.status() == InstanceStatus.RUNNING && i.activeOperation() == null) {
                if (told) say(notices, String.format("devswarm: %s is running (%.1fs)%n", i.name(), (System.nanoTime() - started) / 1e9));
                return i;
            }
            if (System.nanoTime() > deadline) throw new IOException(i.name() + " did not start within " + wakeTimeout.toSeconds() + "s (status " + i.status().wireName() + ")");
            if (i.desiredState() == io.devswarm.core.model.DesiredState.DELETED) throw new IOException(i.name() + " is being deleted");
            if (!told) {
                say(notices, "devswarm: starting " + i.name() + " ...\n");
                told = true;
            }
            String opId = i.activeOperation();
            if (opId == null) {
                try {
                    opId = controller.start(i.id(), Priority.HIGH).operation().id();
                } catch (ConflictException busy) {
                    continue; // someone else's operation holds it: look again and wait for that
                }
            }
            Operation op = waiter.await(opId, Duration.ofNanos(Math.max(0, deadline - System.nanoTime()))).operation();
            if (op.status() == OperationStatus.FAILED && op.type() == io.devswarm.core.operation.OperationType.START) {
                throw new IOException("could not start " + i.name() + ": " + op.error());
            }
        }
    }

    /**
     * The exec streams that sessions and forwarded ports to the instance run through. Asked before
     * the instance is woken: on a provider without them (Fly.io) no session could ever open, so the
     * client hears that at once, with what to use instead, rather than after a start.
     *
     * @throws IOException saying why there are none, in words for the client
     */
    public ExecStreams streams(String instanceId) throws IOException {
        Instance instance = controller.find(instanceId);
        Provider provider = providers.find(instance.provider())
                .orElseThrow(() -> new IOException("provider " + instance.provider() + " of " + instance.name() + " is not running here"));
        return provider.feature(ExecStreams.class).orElseThrow(() -> new IOException("instance '" + instance.name() + "' runs on provider '"
                + provider.name() + "', which has no interactive sessions; run commands with 'devswarm exec " + instance.name() + " -- <command>'"));
    }

    private static void say(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
