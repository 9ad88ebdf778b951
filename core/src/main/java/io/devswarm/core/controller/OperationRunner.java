package io.devswarm.core.controller;

import io.devswarm.core.activity.ActivityTracker;
import io.devswarm.core.activity.AwakeReason;
import io.devswarm.core.model.CommandResult;
import io.devswarm.core.model.DesiredState;
import io.devswarm.core.model.ConflictException;
import io.devswarm.core.model.Instance;
import io.devswarm.core.model.InstanceHandle;
import io.devswarm.core.model.InstanceSpec;
import io.devswarm.core.model.InstanceStatus;
import io.devswarm.core.model.NetworkInfo;
import io.devswarm.core.model.NotFoundException;
import io.devswarm.core.model.StaleWriteException;
import io.devswarm.core.operation.Execution;
import io.devswarm.core.operation.LeaseLostException;
import io.devswarm.core.operation.Operation;
import io.devswarm.core.operation.OperationPayload;
import io.devswarm.core.operation.OperationResult;
import io.devswarm.core.operation.OperationStatus;
import io.devswarm.core.operation.OperationType;
import io.devswarm.core.operation.Priority;
import io.devswarm.core.provider.ExecRequest;
import io.devswarm.core.provider.Labels;
import io.devswarm.core.provider.ObservedInstance;
import io.devswarm.core.provider.Provider;
import io.devswarm.core.provider.ProviderException;
import io.devswarm.core.provider.ProviderRegistry;
import io.devswarm.core.secrets.SecretEnv;
import io.devswarm.core.secrets.SecretRedactor;
import io.devswarm.core.store.InstanceQuery;
import io.devswarm.core.store.Pool;
import io.devswarm.core.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executes one stored operation against its provider and records the outcome. Called by
 * {@link LocalRuns} and the schedule, possibly again after a crash, so each step is safe to repeat: providers converge,
 * and a terminal operation is never run twice.
 */
final class OperationRunner {
    private static final Logger log = LoggerFactory.getLogger(OperationRunner.class);
    private static final int UPDATE_RETRIES = 10;
    static final String INTERRUPTED = "interrupted: the server running it stopped before it finished; it may have run in part";

    private final Store store;
    private final ProviderRegistry providers;
    private final Pools pools;
    private final OperationWaiter waiter;
    private final ActivityTracker activity;
    private final ControllerSettings settings;
    private final SecretEnv secrets;
    private final Clock clock;

    /**
     * How an operation comes to be run: {@link Due} by id, as the schedule hands it over (read, and
     * started unless it ended or another worker took it); {@link Submitted} as stored pending and just
     * handed over here (started from the record in hand, without reading it first); {@link StartedHere}
     * as stored already started by this server with its claimed instance (nothing read or stored first).
     */
    sealed interface Job {
        record Due(String operationId) implements Job {}

        record Submitted(Operation pending) implements Job {}

        /** {@code claimed} is the instance as its claim stored it; null for a command, whose instance is read. */
        record StartedHere(Operation started, Instance claimed) implements Job {}
    }

    OperationRunner(Store store, ProviderRegistry providers, Pools pools, OperationWaiter waiter, ActivityTracker activity, ControllerSettings settings,
                    SecretEnv secrets, Clock clock) {
        this.store = store;
        this.providers = providers;
        this.pools = pools;
        this.waiter = waiter;
        this.activity = activity;
        this.settings = settings;
        this.secrets = secrets;
        this.clock = clock;
    }

    /** Runs one attempt of the operation, and says what the schedule should do next. */
    Outcome run(Job job) {
        return switch (job) {
            case Job.Due due -> runStored(due.operationId());
            case Job.Submitted submitted -> {
                Operation op = submitted.pending().started(clock.instant(), settings.workerId());
                // tried on the record in hand; if the stored one moved on since (another worker took it, a retry), it is judged as stored
                yield store.operations().start(submitted.pending(), op) ? execute(op, null) : runStored(op.id());
            }
            case Job.StartedHere here -> execute(here.started(), here.claimed());
        };
    }

    private Outcome runStored(String operationId) {
        Optional<Operation> found = store.operations().find(operationId);
        if (found.isEmpty() || found.get().status().isTerminal()) return Outcome.DONE;
        if (found.get().status() == OperationStatus.PROCESSING && found.get().attempts() >= found.get().maxAttempts()) {
            // its last allowed attempt was cut off by a crash: no attempt is left, and a command must not run twice
            fail(found.get(), INTERRUPTED);
            return Outcome.FAILED;
        }
        Operation op = found.get().started(clock.instant(), settings.workerId());
        if (!store.operations().start(found.get(), op)) return Outcome.DONE; // another worker took it
        return execute(op, null);
    }

    /** Runs a started operation; {@code claimed}, when not null, is its instance as its claim stored it. */
    private Outcome execute(Operation op, Instance claimed) {
        Supplier<Instance> instance = () -> claimed != null ? claimed : instance(op);
        return attempt(op, () -> switch (op.type()) {
            case CREATE -> create(instance.get());
            case START -> start(op, instance.get());
            case STOP -> stop(op, instance.get());
            case RESTART -> restart(op, instance.get());
            case RECREATE -> recreate(op, instance.get());
            case DELETE -> delete(op, claimed != null ? Optional.of(claimed) : store.instances().findById(op.instanceId()));
            case EXEC -> new Work(exec(op, instance.get()));
            case SCALE -> new Work(scale(op));
        });
    }

    /**
     * What an operation's work left: its output, and what becomes of its instance, which is written
     * in one transaction with the operation's end: {@code change} applied to {@code read} (the record
     * read again if another writer got in between), the record removed when {@code change} is null,
     * nothing when {@code read} is null.
     */
    private record Work(OperationResult output, Instance read, UnaryOperator<Instance> change) {
        Work(OperationResult output) {
            this(output, null, null);
        }
    }

    /** Runs one attempt; one fenced off (another server took it over) writes nothing and wakes nobody: that server's run ends it. */
    private Outcome attempt(Operation op, Supplier<Work> work) {
        try {
            return attemptWritten(op, work);
        } catch (LeaseLostException e) {
            log.warn("operation {} ({} {}) attempt {} was taken over by another server (its lease ran out) or ended meanwhile: its outcome is not written",
                    op.id(), op.type(), op.instanceName(), op.attempts());
            return Outcome.DONE;
        }
    }

    private Outcome attemptWritten(Operation op, Supplier<Work> work) {
        try {
            Work done = work.get();
            // after the work: completedAt is when the work ended, not when it began
            Operation completed = op.completed(clock.instant(), done.output());
            if (done.read() == null) {
                finish(completed, null);
            } else if (done.change() == null) {
                store.instances().delete(done.read().id(), completed);
                ended(completed, null);
            } else {
                ended(completed, retrying(done.read(), current -> store.instances().update(done.change().apply(current), completed)));
            }
            return Outcome.DONE;
        } catch (ProviderException e) {
            if (e.kind() == ProviderException.Kind.UNAVAILABLE) instanceProvider(op).ifPresent(providers::invalidateHealth);
            Duration delay = settings.backoff(op.attempts());
            Instant now = clock.instant();
            if (e.isTransient() && settings.mayRetry(op.attempts(), op.maxAttempts(), op.startedAt(), now, delay)) {
                log.info("operation {} ({} {}) attempt {}/{} failed, retrying in {}: {}", op.id(), op.type(), op.instanceName(), op.attempts(),
                        op.maxAttempts(), delay, e.getMessage());
                Operation retrying = op.retrying(e.getMessage());
                if (!store.operations().update(retrying)) throw new LeaseLostException(op);
                return new Outcome.Retry(delay);
            }
            String why = e.isTransient()
                    ? e.getMessage() + " (gave up after " + op.attempts() + " attempts in " + Duration.between(op.startedAt(), now).toSeconds() + " s)"
                    : e.getMessage();
            fail(op, why);
            return Outcome.FAILED;
        } catch (NotFoundException | ConflictException e) {
            fail(op, e.getMessage());
            return Outcome.FAILED;
        } catch (LeaseLostException e) {
            throw e;
        } catch (RuntimeException e) {
            log.error("operation {} failed unexpectedly", op.id(), e);
            fail(op, "internal error: " + e.getClass().getSimpleName());
            return Outcome.FAILED;
        }
    }

    private Work create(Instance instance) {
        ObservedInstance observed = provider(instance).create(instance.handle(), withSecrets(instance));
        return new Work(OperationResult.Settled.of(InstanceStatus.RUNNING), instance,
                i -> i.withStatus(InstanceStatus.RUNNING, null).withNetwork(observed.network()).withActiveOperation(null));
    }

    /**
     * Starts the instance; if its environment changed since its compute was made (a secret set,
     * changed or rotated meanwhile), re-creates the compute instead, keeping the volumes.
     */
    private ObservedInstance startWithCurrentEnvironment(Instance instance, Provider provider) {
        InstanceSpec spec = withSecrets(instance);
        if (provider.hasEnvironment(instance.handle(), spec.env())) return provider.start(instance.handle());
        log.info("instance {}: its environment changed, re-creating it on start (volumes kept)", instance.name());
        provider.delete(instance.handle(), true);
        return provider.create(instance.handle(), spec);
    }

    /** The spec the provider gets: the recorded one plus secrets, which are never recorded with it. */
    private InstanceSpec withSecrets(Instance instance) {
        return instance.spec().withEnvAdded(secrets.envFor(instance));
    }

    private Work start(Operation op, Instance instance) {
        ObservedInstance observed = startWithCurrentEnvironment(instance, provider(instance));
        activity.touch(instance.id(), AwakeReason.START);
        Instant started = clock.instant();
        String reason = op.payload() instanceof OperationPayload.Start s ? s.reason() : null;
        return new Work(OperationResult.Settled.of(InstanceStatus.RUNNING), instance,
                i -> i.withStatus(InstanceStatus.RUNNING, reason).withNetwork(observed.network()).withActiveOperation(null).withLastActive(started));
    }

    private Work stop(Operation op, Instance instance) {
        provider(instance).stop(instance.handle(), settings.stopGrace());
        String reason = op.payload() instanceof OperationPayload.Stop s ? s.reason() : null;
        // a stopped instance has no address and no published ports
        return new Work(OperationResult.Settled.of(InstanceStatus.STOPPED), instance,
                i -> i.withStatus(InstanceStatus.STOPPED, reason).withNetwork(NetworkInfo.NONE).withActiveOperation(null));
    }

    private Work restart(Operation op, Instance instance) {
        Provider provider = provider(instance);
        provider.stop(instance.handle(), settings.stopGrace());
        Instance starting = retrying(instance, current -> store.instances().update(current.withStatus(InstanceStatus.STARTING, null), op));
        ObservedInstance observed = startWithCurrentEnvironment(instance, provider);
        Instant started = clock.instant();
        return new Work(OperationResult.Settled.of(InstanceStatus.RUNNING), starting,
                i -> i.withStatus(InstanceStatus.RUNNING, null).withNetwork(observed.network()).withActiveOperation(null).withLastActive(started));
    }

    private Work recreate(Operation op, Instance instance) {
        Provider provider = provider(instance);
        if (!(op.payload() instanceof OperationPayload.Recreate r && r.startEmpty())) {
            // checked again here: the volumes may have gone since the request was accepted
            List<String> missing = provider.missingVolumes(instance.handle(), instance.spec());
            if (!missing.isEmpty()) throw new ProviderException(ProviderException.Kind.REJECTED, SwarmController.dataGone(instance, missing));
        }
        provider.delete(instance.handle(), true);
        ObservedInstance observed = provider.create(instance.handle(), withSecrets(instance));
        activity.touch(instance.id(), AwakeReason.START);
        return new Work(OperationResult.Recreated.running(instance.spec().image()), instance,
                i -> i.withStatus(InstanceStatus.RUNNING, null).withNetwork(observed.network()).withActiveOperation(null));
    }

    /** Removes the instance from its provider; its record (with its own secrets) goes with the operation's end. */
    private Work delete(Operation op, Optional<Instance> instance) {
        boolean keep = op.payload() instanceof OperationPayload.Delete d && d.keepVolumes();
        instance.ifPresent(i -> provider(i).delete(i.handle(), keep));
        return new Work(new OperationResult.Deleted(keep), instance.orElse(null), null);
    }

    private OperationResult.Executed exec(Operation op, Instance instance) {
        var request = ((OperationPayload.Exec) op.payload()).request();
        // current secret values, even if they changed since the container was made; the caller's env wins
        Map<String, String> secretEnv = secrets.envFor(instance);
        Map<String, String> env = new LinkedHashMap<>(secretEnv);
        env.putAll(request.env());
        Instant started = clock.instant();
        CommandResult r = provider(instance).execute(instance.handle(),
                new ExecRequest(request.command(), env, request.user(), request.workdir(), request.timeout(), request.maxOutputBytes()));
        Instant ended = clock.instant();
        Execution execution = new Execution(Ids.next("ex"), instance.id(), op.id(), request.command(), List.copyOf(request.env().keySet()), r.exitCode(),
                SecretRedactor.redact(r.stdout(), secretEnv), SecretRedactor.redact(r.stderr(), secretEnv), null, r.timedOut(), r.truncated(), !secretEnv.isEmpty(), started, ended,
                r.duration().toMillis());
        store.executions().insert(execution);
        // in memory; the tracker writes it to the instance's lastActive on its next flush
        activity.touch(instance.id(), AwakeReason.EXEC);
        return new OperationResult.Executed(execution.id(), r.exitCode(), r.timedOut(), r.truncated());
    }

    /** Brings the pool to the size the scale asked for. */
    private OperationResult.Scaled scale(Operation op) {
        var payload = (OperationPayload.Scale) op.payload();
        Pool pool = store.pools().find(payload.pool()).orElseThrow(() -> new NotFoundException("pool", payload.pool()));
        return pools.converge(pool, payload.keepVolumes());
    }

    /** Ends the operation as failed and, if it holds its instance, marks the instance failed and releases it, in one fenced write. */
    private void fail(Operation op, String why) {
        Operation failed = op.failed(clock.instant(), why);
        log.info("operation {} ({} {}) failed: {}", op.id(), op.type(), op.instanceName(), why);
        Optional<Instance> held = op.type().claimsInstance() && op.instanceId() != null
                ? store.instances().findById(op.instanceId()).filter(i -> op.id().equals(i.activeOperation()))
                : Optional.empty();
        if (held.isEmpty()) {
            finish(failed, null);
            return;
        }
        String reason = op.type().name().toLowerCase() + " failed: " + why;
        Instance written = retrying(held.get(), i -> store.instances().update(i.withStatus(InstanceStatus.FAILED, reason).withActiveOperation(null), failed));
        // only after the fenced write: a run that lost its lease must not remove what the run after it made
        if (op.type() == OperationType.CREATE || op.type() == OperationType.RECREATE) discardCompute(written, op.type());
        ended(failed, written);
    }

    /**
     * Removes the compute a create or recreate made before it failed for good (a container made but
     * never started), so nothing half-made is left: the reconciler would take it for a stopped
     * instance and hide the failure. Volumes stay with the failed instance until it is deleted.
     */
    private void discardCompute(Instance instance, OperationType type) {
        try {
            provider(instance).delete(instance.handle(), true);
        } catch (ProviderException e) {
            log.warn("instance {}: could not remove what its failed {} made: {}", instance.name(), type.name().toLowerCase(), e.getMessage());
        }
    }

    private void finish(Operation op, Instance instance) {
        if (!store.operations().update(op)) throw new LeaseLostException(op);
        ended(op, instance);
    }

    /** Wakes whoever waits for the operation, which is stored as ended. */
    private void ended(Operation op, Instance instance) {
        waiter.finished(op, instance);
    }

    private Instance instance(Operation op) {
        return store.instances().findById(op.instanceId()).orElseThrow(() -> new NotFoundException("instance", op.instanceName()));
    }

    private Provider provider(Instance instance) {
        return providers.find(instance.provider())
                .orElseThrow(() -> new ProviderException(ProviderException.Kind.UNAVAILABLE, "provider '" + instance.provider() + "' is not running on this server"));
    }

    private Optional<String> instanceProvider(Operation op) {
        return op.instanceId() == null ? Optional.empty() : store.instances().findById(op.instanceId()).map(Instance::provider);
    }

    /** Makes a versioned write from {@code read}, and again from the stored record while another writer got in between. */
    private Instance retrying(Instance read, UnaryOperator<Instance> write) {
        Instance current = read;
        for (int attempt = 1; ; attempt++) {
            try {
                return write.apply(current);
            } catch (StaleWriteException stale) {
                if (attempt >= UPDATE_RETRIES) throw stale;
                current = store.instances().findById(read.id()).orElseThrow(() -> new NotFoundException("instance", read.id()));
            }
        }
    }
}
