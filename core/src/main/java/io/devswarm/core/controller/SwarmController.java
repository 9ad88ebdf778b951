package io.devswarm.core.controller;

import io.devswarm.core.model.CapabilityMissingException;
import io.devswarm.core.model.DataGoneException;
import io.devswarm.core.model.DesiredState;
import io.devswarm.core.model.FieldError;
import io.devswarm.core.model.Instance;
import io.devswarm.core.model.InstanceSpec;
import io.devswarm.core.model.InstanceBusyException;
import io.devswarm.core.model.InstanceStatus;
import io.devswarm.core.model.InvalidSpecException;
import io.devswarm.core.model.InvalidStateException;
import io.devswarm.core.model.NameTakenException;
import io.devswarm.core.model.NetworkInfo;
import io.devswarm.core.model.NotFoundException;
import io.devswarm.core.model.ProviderHealth;
import io.devswarm.core.model.SpecValidator;
import io.devswarm.core.model.StaleWriteException;
import io.devswarm.core.model.SwarmStatus;
import io.devswarm.core.operation.Operation;
import io.devswarm.core.operation.OperationPayload;
import io.devswarm.core.operation.OperationStatus;
import io.devswarm.core.operation.OperationType;
import io.devswarm.core.operation.Priority;
import io.devswarm.core.provider.ExecRequest;
import io.devswarm.core.provider.Provider;
import io.devswarm.core.provider.ProviderRegistry;
import io.devswarm.core.provider.feature.LiveResize;
import io.devswarm.core.store.InstanceQuery;
import io.devswarm.core.store.Page;
import io.devswarm.core.store.Pool;
import io.devswarm.core.store.Store;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The swarm's front door: turns each request into desired state plus a persisted operation
 * and hands the operation on ({@link LocalRuns}). Nothing here calls a provider's lifecycle methods;
 * that happens in {@link OperationRunner}, so every change survives a crash.
 */
public final class SwarmController {
    private static final Logger log = LoggerFactory.getLogger(SwarmController.class);
    /** Claims judged again after a concurrent write; only a write storm on one record uses them all. */
    private static final int CLAIM_ATTEMPTS = 5;

    private final Store store;
    private final ProviderRegistry providers;
    private final Placement placement;
    private final LocalRuns runs;
    private final ControllerSettings settings;
    private final Clock clock;

    SwarmController(Store store, ProviderRegistry providers, LocalRuns runs, ControllerSettings settings, Clock clock) {
        this.store = store;
        this.providers = providers;
        this.placement = new Placement(providers, settings.defaultProvider());
        this.runs = runs;
        this.settings = settings;
        this.clock = clock;
    }

    /** A request to create one instance; {@code ownerId} is what owns it, {@code owner} that owner's username (see {@link Instance}). */
    public record CreateInstance(InstanceSpec spec, String provider, String owner, String ownerId, String pool, Priority priority) {
        public static CreateInstance of(InstanceSpec spec) {
            return new CreateInstance(spec, null, null, null, null, Priority.DEFAULT);
        }
    }

    public Accepted create(CreateInstance request) {
        SpecValidator.validate(request.spec());
        Provider provider = placement.choose(request.provider());
        String name = request.spec().name();
        if (store.instances().findByName(name).isPresent()) {
            throw new NameTakenException(name);
        }
        Instant now = clock.instant();
        Instance instance = new Instance(Ids.next(Ids.INSTANCE), name, provider.name(), InstanceStatus.CREATING, null, DesiredState.RUNNING, now, now, now,
                request.spec(), NetworkInfo.NONE, request.owner(), request.ownerId(), request.pool(), null, 0);
        return runs.enqueue(runsHereUntil -> {
            Operation op = newOperation(OperationType.CREATE, instance, OperationPayload.NONE, request.priority(), settings.maxAttempts(), runsHereUntil);
            Instance created = instance.withActiveOperation(op.id());
            store.instances().insert(created, op, runsHereUntil);
            return new Accepted(created, op);
        });
    }

    public Accepted start(String idOrName, Priority priority) {
        return start(find(idOrName), priority);
    }

    /** As {@link #start(String, Priority)} for an instance the caller has just read (a read gone stale meanwhile is judged again on the current record). */
    public Accepted start(Instance instance, Priority priority) {
        return transition(instance, OperationType.START, InstanceStatus.STARTING, DesiredState.RUNNING, OperationPayload.NONE, priority);
    }

    /**
     * Starts an instance whose compute died while it should run, if it is still as {@code read} (else
     * {@link StaleWriteException}: a user may have stopped it meanwhile); {@code reason} stays on it once it runs again.
     */
    Accepted restartDied(Instance read, String reason) {
        return transition(read, OperationType.START, InstanceStatus.STARTING, DesiredState.RUNNING, new OperationPayload.Start(reason), Priority.HIGH,
                UnaryOperator.identity(), 1);
    }

    public Accepted stop(String idOrName, Priority priority) {
        return stop(find(idOrName), priority);
    }

    /** As {@link #stop(String, Priority)} for an instance the caller has just read. */
    public Accepted stop(Instance instance, Priority priority) {
        return transition(instance, OperationType.STOP, InstanceStatus.STOPPING, DesiredState.STOPPED, OperationPayload.NONE, priority);
    }

    /** A stop whose reason stays on the instance (auto-stop). */
    public Accepted stop(String idOrName, Priority priority, String reason) {
        return transition(find(idOrName), OperationType.STOP, InstanceStatus.STOPPING, DesiredState.STOPPED, new OperationPayload.Stop(reason), priority);
    }

    public Accepted restart(String idOrName, Priority priority) {
        return restart(find(idOrName), priority);
    }

    /** As {@link #restart(String, Priority)} for an instance the caller has just read. */
    public Accepted restart(Instance instance, Priority priority) {
        return transition(instance, OperationType.RESTART, InstanceStatus.STOPPING, DesiredState.RUNNING, OperationPayload.NONE, priority);
    }

    /**
     * Replaces the instance's compute, e.g. to upgrade its image ({@code image} null keeps it);
     * its persistent volumes, and so the files in /workspace, are kept. If some of them are gone
     * (removed outside devswarm) it is refused, unless {@code startEmpty} asks for new, empty ones.
     */
    public Accepted recreate(String idOrName, String image, boolean startEmpty, Priority priority) {
        return recreate(find(idOrName), image, startEmpty, priority);
    }

    /** As {@link #recreate(String, String, boolean, Priority)} for an instance the caller has just read. */
    public Accepted recreate(Instance instance, String image, boolean startEmpty, Priority priority) {
        if (image != null) SpecValidator.validateImage(image);
        if (!startEmpty) {
            List<String> missing = providers.require(instance.provider(), "provider").missingVolumes(instance.handle(), instance.spec());
            if (!missing.isEmpty()) throw new DataGoneException(dataGone(instance, missing));
        }
        return transition(instance, OperationType.RECREATE, InstanceStatus.STARTING, DesiredState.RUNNING, new OperationPayload.Recreate(startEmpty),
                priority, i -> image == null ? i : i.withSpec(i.spec().withImage(image)), CLAIM_ATTEMPTS);
    }

    /** Why a recreate without startEmpty is refused. */
    static String dataGone(Instance instance, List<String> missing) {
        return "the data of instance '" + instance.name() + "' in volume(s) " + String.join(", ", missing)
                + " is gone (removed outside devswarm); nothing was changed. Recreate with startEmpty=true to start with empty volumes";
    }

    public Accepted delete(String idOrName, boolean keepVolumes, Priority priority) {
        return delete(find(idOrName), keepVolumes, priority);
    }

    /** As {@link #delete(String, boolean, Priority)} for an instance the caller has just read. */
    public Accepted delete(Instance instance, boolean keepVolumes, Priority priority) {
        return transition(instance, OperationType.DELETE, InstanceStatus.DELETING, DesiredState.DELETED, new OperationPayload.Delete(keepVolumes), priority);
    }

    /** Runs a command in a running instance; the result lands in the executions history. */
    public Accepted exec(String idOrName, ExecRequest request, Priority priority) {
        return exec(find(idOrName), request, priority);
    }

    /**
     * As {@link #exec(String, ExecRequest, Priority)} for an instance the caller has just read. Stored
     * before it runs (as started, when it runs here), so a crash leaves it recorded, never run unrecorded.
     */
    public Accepted exec(Instance instance, ExecRequest request, Priority priority) {
        if (instance.status() != InstanceStatus.RUNNING) {
            throw new InvalidStateException("instance '" + instance.name() + "' is " + instance.status().wireName() + "; it must be running to exec");
        }
        return runs.enqueue(runsHereUntil -> {
            // a command may not be idempotent: it runs at most once
            Operation op = newOperation(OperationType.EXEC, instance, new OperationPayload.Exec(request), priority, 1, runsHereUntil);
            store.operations().insert(op);
            return new Accepted(instance, op);
        });
    }

    /**
     * Changes resources, metadata or idle timeout. Resources of an instance that exists on its
     * provider are applied at once, which needs live resize.
     */
    public Instance update(String idOrName, InstanceUpdate update) {
        Instance instance = find(idOrName);
        InstanceSpec spec = instance.spec();
        if (update.resources() != null) spec = spec.withResources(update.resources());
        if (update.metadata() != null) spec = spec.withMetadata(update.metadata());
        if (update.idleTimeout() != null) spec = spec.withIdleTimeout(update.idleTimeout());
        SpecValidator.validate(spec);
        if (update.resources() != null && !update.resources().equals(instance.spec().resources())) {
            if (instance.activeOperation() != null) throw busy(instance);
            Provider provider = providers.require(instance.provider(), "provider");
            if (instance.status() == InstanceStatus.RUNNING || instance.status() == InstanceStatus.STOPPED) {
                Optional<LiveResize> resize = provider.feature(LiveResize.class);
                if (resize.isEmpty()) {
                    throw new CapabilityMissingException("provider '" + provider.name() + "' cannot change resources of an existing instance");
                }
                resize.get().allocateResources(instance.handle(), update.resources());
            }
        }
        return store.instances().update(instance.withSpec(spec));
    }

    /** A request to set the size of a pool; {@code template} is needed only when the pool is new. */
    public record ScaleRequest(String pool, int replicas, InstanceSpec template, String provider, boolean keepVolumes, String owner, String ownerId) {}

    public Accepted scale(ScaleRequest request) {
        List<FieldError> errors = new ArrayList<>();
        SpecValidator.checkName(request.pool(), "pool", errors);
        if (request.replicas() < 0 || request.replicas() > 1000) errors.add(new FieldError("replicas", "must be between 0 and 1000"));
        if (!errors.isEmpty()) throw new InvalidSpecException(errors);
        Instant now = clock.instant();
        Optional<Pool> existing = store.pools().find(request.pool());
        Pool pool;
        if (existing.isPresent()) {
            pool = new Pool(existing.get().name(), existing.get().provider(), request.replicas(), existing.get().template(), existing.get().owner(),
                    existing.get().ownerId(), existing.get().createdAt(), now);
        } else {
            if (request.template() == null) throw new InvalidSpecException("template", "is required to create pool '" + request.pool() + "'");
            InstanceSpec template = request.template().withName(request.pool() + "-" + (Math.max(request.replicas(), 1) - 1));
            SpecValidator.validate(template);
            Provider provider = placement.choose(request.provider());
            pool = new Pool(request.pool(), provider.name(), request.replicas(), template, request.owner(), request.ownerId(), now, now);
        }
        store.pools().save(pool);
        Operation op = new Operation(Ids.next("op"), OperationType.SCALE, OperationStatus.PENDING, Priority.DEFAULT, null, pool.name(),
                new OperationPayload.Scale(pool.name(), request.replicas(), request.keepVolumes()), 0, settings.maxAttempts(), null, null, now, null, null, null);
        // stored pending, whatever the place: it has no instance to carry its lease, so the schedule keeps it
        return runs.enqueue(runsHereUntil -> {
            store.operations().insert(op);
            return new Accepted(null, op);
        });
    }

    public Instance find(String idOrName) {
        return store.instances().findByIdOrName(idOrName).orElseThrow(() -> new NotFoundException("instance", idOrName));
    }

    public SwarmStatus status() {
        Map<InstanceStatus, Integer> counts = store.instances().countByStatus();
        Map<String, Integer> perProvider = store.instances().countByProvider();
        int total = counts.values().stream().mapToInt(Integer::intValue).sum();
        int transitional = counts.entrySet().stream().filter(e -> e.getKey().isTransitional()).mapToInt(Map.Entry::getValue).sum();
        double cpuUsed = 0, memUsed = 0, storageUsed = 0, cpuTotal = 0, memTotal = 0;
        List<SwarmStatus.ProviderSummary> summaries = new ArrayList<>();
        for (Provider p : providers.all()) {
            ProviderHealth h = providers.health(p.name());
            cpuTotal += h.cpuCores();
            memTotal += h.memoryMb();
            summaries.add(new SwarmStatus.ProviderSummary(p.name(), h.status(), h.detail(), perProvider.getOrDefault(p.name(), 0)));
            for (Instance i : store.instances().listByProvider(p.name())) {
                if (i.status() != InstanceStatus.RUNNING) continue;
                cpuUsed += i.spec().resources().cpu().cores();
                memUsed += i.spec().resources().memory().maxMb();
                storageUsed += i.spec().storage().stream().filter(v -> v.persistent()).mapToInt(v -> v.sizeGb()).sum();
            }
        }
        for (var d : providers.descriptors()) {
            if (!d.available()) summaries.add(new SwarmStatus.ProviderSummary(d.name(), ProviderHealth.Status.UNAVAILABLE, d.reason(), perProvider.getOrDefault(d.name(), 0)));
        }
        return new SwarmStatus(total, counts.getOrDefault(InstanceStatus.RUNNING, 0), counts.getOrDefault(InstanceStatus.STOPPED, 0),
                counts.getOrDefault(InstanceStatus.FAILED, 0), transitional,
                new SwarmStatus.Usage(new SwarmStatus.Amount(cpuUsed, cpuTotal), new SwarmStatus.Amount(memUsed, memTotal), new SwarmStatus.Amount(storageUsed, 0)),
                summaries);
    }

    public Page<Instance> list(InstanceQuery query) {
        return store.instances().list(query);
    }

    private Accepted transition(Instance read, OperationType type, InstanceStatus transitional, DesiredState desired, OperationPayload payload, Priority priority) {
        return transition(read, type, transitional, desired, payload, priority, UnaryOperator.identity(), CLAIM_ATTEMPTS);
    }

    /**
     * Claims the instance for one operation. A claim on a record that changed since it was read is
     * judged again on the current record: background writes (the activity flush, the reconciler)
     * move an instance's version at any time, and a user's stop or delete must not fail for them;
     * a claim taken meanwhile is then refused as busy. With {@code claimAttempts} 1, a changed record is a
     * {@link StaleWriteException}: for a caller whose reason to act holds only for the version it read.
     */
    private Accepted transition(Instance read, OperationType type, InstanceStatus transitional, DesiredState desired, OperationPayload payload, Priority priority,
                                UnaryOperator<Instance> change, int claimAttempts) {
        return runs.enqueue(runsHereUntil -> {
            Instance instance = read;
            for (int attempt = 1; ; attempt++) {
                if (instance.activeOperation() != null) throw busy(instance);
                if (type != OperationType.DELETE && instance.desiredState() == DesiredState.DELETED) {
                    throw new InvalidStateException("instance '" + instance.name() + "' is being deleted");
                }
                Operation op = newOperation(type, instance, payload, priority, settings.maxAttempts(), runsHereUntil);
                try {
                    Instance claimed = store.instances().claim(change.apply(instance).withStatus(transitional, null).withDesiredState(desired)
                            .withActiveOperation(op.id()), op, runsHereUntil);
                    return new Accepted(claimed, op);
                } catch (StaleWriteException changedMeanwhile) {
                    if (attempt >= claimAttempts) throw changedMeanwhile;
                    instance = store.instances().findById(read.id()).orElseThrow(() -> new NotFoundException("instance", read.name()));
                }
            }
        });
    }

private InstanceBusyException busy(Instance instance) {
        String what = store.operations().find(instance.activeOperation()).map(o -> o.type().name().toLowerCase() + " operation " + o.id())
                .orElse("operation " + instance.activeOperation());
        return new InstanceBusyException("instance '" + instance.name() + "' is busy: " + what + " is in progress");
    }

    private Operation newOperation(OperationType type, Instance instance, OperationPayload payload, Priority priority, int maxAttempts) {
        return new Operation(Ids.next("op"), type, OperationStatus.PENDING, priority, instance.id(), instance.name(), payload, 0, maxAttempts, null, null,
                clock.instant(), null, null, null);
    }

    /** A new operation; stored as started by this server, with its lease, when it has a place to run here. */
    private Operation newOperation(OperationType type, Instance instance, OperationPayload payload, Priority priority, int maxAttempts, Instant runsHereUntil) {
        Operation op = newOperation(type, instance, payload, priority, maxAttempts);
        return runsHereUntil == null ? op : op.started(op.createdAt(), settings.workerId());
    }
}
