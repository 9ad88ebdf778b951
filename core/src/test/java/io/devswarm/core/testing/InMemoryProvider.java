package io.devswarm.core.testing;

import io.devswarm.core.model.CommandResult;
import io.devswarm.core.model.InstanceHandle;
import io.devswarm.core.model.InstanceSpec;
import io.devswarm.core.model.NetworkInfo;
import io.devswarm.core.model.ProviderHealth;
import io.devswarm.core.model.ResourceUsage;
import io.devswarm.core.model.Resources;
import io.devswarm.core.provider.ExecRequest;
import io.devswarm.core.provider.Labels;
import io.devswarm.core.provider.ObservedInstance;
import io.devswarm.core.provider.Provider;
import io.devswarm.core.provider.ProviderException;
import io.devswarm.core.provider.feature.LiveResize;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A provider kept in memory, for testing the controller's bookkeeping: failures can be
 * injected, resources made to vanish or appear as orphans. It never ships in the server and is
 * no stand-in for a substrate: exec only echoes the command, and it has no interactive streams.
 */
public final class InMemoryProvider implements Provider, LiveResize {
    private final String name;
    private final String installation;
    private final Clock clock;
    private final Map<String, ObservedInstance> instances = new ConcurrentHashMap<>();
    private final java.util.Set<String> volumesLost = ConcurrentHashMap.newKeySet();
    private final Deque<ProviderException> failures = new ArrayDeque<>();
    private final AtomicInteger creates = new AtomicInteger();
    private final AtomicInteger execs = new AtomicInteger();
    private final AtomicInteger healthChecks = new AtomicInteger();
    private volatile ProviderHealth health = ProviderHealth.healthy(4, 8192);
    private volatile CountDownLatch createGate;
    private volatile CountDownLatch stopGate;
    private volatile Runnable onExec = () -> {};
    private volatile Runnable onUsage = () -> {};
    private final AtomicReference<Runnable> afterList = new AtomicReference<>();
    private final AtomicReference<Gate> nextStop = new AtomicReference<>();

    public InMemoryProvider(String name, String installation, Clock clock) {
        this.name = name;
        this.installation = installation;
        this.clock = clock;
    }

    /** The next lifecycle calls throw these, in order. */
    public synchronized void failNext(ProviderException... errors) {
        failures.addAll(List.of(errors));
    }

    /** Runs inside every exec, while the command "runs": lets a test look at the world from there. */
    public void onExec(Runnable hook) {
        onExec = hook;
    }

    /** Runs inside every resource-usage read (the idle check's): lets a test change the world meanwhile. */
    public void onUsage(Runnable hook) {
        onUsage = hook;
    }

    /** Until the latch opens, create blocks: lets a test kill the server mid-operation. */
    public void holdCreates(CountDownLatch gate) {
        this.createGate = gate;
    }

    /** Until the latch opens, stop blocks: keeps a stop operation's claim on its instance. */
    public void holdStops(CountDownLatch gate) {
        this.stopGate = gate;
    }

    /** Runs once, inside the next {@link #list}, after its answer was taken: the world moves on while a reconcile pass works. */
    public void afterNextList(Runnable hook) {
        afterList.set(hook);
    }

    /** Holds the next stop call, and only that one, at the returned gate. */
    public Gate holdNextStop() {
        Gate gate = new Gate();
        nextStop.set(gate);
        return gate;
    }

    /** Where a held call waits: a test learns when the call got there, and lets it go on. */
    public static final class Gate {
        private final CountDownLatch entered = new CountDownLatch(1);
        private final CountDownLatch open = new CountDownLatch(1);

        /** Until the held call is inside the provider. */
        public void awaitEntered() throws InterruptedException {
            entered.await();
        }

        public void open() {
            open.countDown();
        }

        private void pass() {
            entered.countDown();
            passGate(open);
        }
    }

    public void setHealth(ProviderHealth health) {
        this.health = health;
    }

    /** Removes an instance behind devswarm's back. */
    public void vanish(String instanceId) {
        instances.remove(instanceId);
    }

    /** Removes an instance's volumes behind devswarm's back; a create makes new, empty ones. */
    public void loseVolumes(String instanceId) {
        volumesLost.add(instanceId);
    }

    /** Puts a labelled resource with no record, as a crash between create and insert would. */
    public void plantOrphan(InstanceHandle handle, Instant createdAt) {
        instances.put(handle.id(), observed(handle, ObservedInstance.State.RUNNING, createdAt));
    }

    /** Changes the state behind devswarm's back (the process exited, say). */
    public void setState(String instanceId, ObservedInstance.State state) {
        instances.computeIfPresent(instanceId, (k, o) -> new ObservedInstance(o.instanceId(), o.name(), state, o.createdAt(), state.name(), o.labels(), o.network()));
    }

    public int createCalls() {
        return creates.get();
    }

    public int execCalls() {
        return execs.get();
    }

    public boolean exists(String instanceId) {
        return instances.containsKey(instanceId);
    }

    private static void passGate(CountDownLatch gate) {
        if (gate == null) return;
        try {
            gate.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderException(ProviderException.Kind.TIMEOUT, "interrupted");
        }
    }

    private synchronized void maybeFail() {
        ProviderException e = failures.poll();
        if (e != null) throw e;
    }

    private ObservedInstance observed(InstanceHandle h, ObservedInstance.State state, Instant createdAt) {
        return new ObservedInstance(h.id(), h.name(), state, createdAt, state.name().toLowerCase(), Labels.forInstance(installation, h),
                new NetworkInfo("10.0.0.1", null, h.name(), List.of(), List.of()));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ProviderHealth health() {
        healthChecks.incrementAndGet();
        return health;
    }

    /** How many times {@link #health} was asked. */
    public int healthChecks() {
        return healthChecks.get();
    }

    @Override
    public ObservedInstance create(InstanceHandle instance, InstanceSpec spec) {
        creates.incrementAndGet();
        passGate(createGate);
        maybeFail();
        volumesLost.remove(instance.id());
        return instances.compute(instance.id(), (k, old) -> observed(instance, ObservedInstance.State.RUNNING, old == null ? clock.instant() : old.createdAt()));
    }

    @Override
    public ObservedInstance start(InstanceHandle instance) {
        maybeFail();
        ObservedInstance o = instances.computeIfPresent(instance.id(), (k, old) -> observed(instance, ObservedInstance.State.RUNNING, old.createdAt()));
        if (o == null) throw new ProviderException(ProviderException.Kind.NOT_FOUND, "no such instance " + instance.name());
        return o;
    }

    @Override
    public void stop(InstanceHandle instance, Duration grace) {
        Gate held = nextStop.getAndSet(null);
        if (held != null) held.pass();
        passGate(stopGate);
        maybeFail();
        if (instances.computeIfPresent(instance.id(), (k, old) -> observed(instance, ObservedInstance.State.STOPPED, old.createdAt())) == null) {
            throw new ProviderException(ProviderException.Kind.NOT_FOUND, "no such instance " + instance.name());
        }
    }

    @Override
    public void delete(InstanceHandle instance, boolean keepVolumes) {
        maybeFail();
        instances.remove(instance.id());
    }

    @Override
    public Optional<ObservedInstance> get(InstanceHandle instance) {
        return Optional.ofNullable(instances.get(instance.id()));
    }

    @Override
    public List<ObservedInstance> list(Map<String, String> labels) {
        List<ObservedInstance> out = new ArrayList<>();
        for (ObservedInstance o : instances.values()) {
            if (o.labels().entrySet().containsAll(labels.entrySet())) out.add(o);
        }
        Runnable hook = afterList.getAndSet(null);
        if (hook != null) hook.run();
        return out;
    }

    @Override
    public void allocateResources(InstanceHandle instance, Resources resources) {
        maybeFail();
    }

    @Override
    public ResourceUsage resourceUsage(InstanceHandle instance) {
        onUsage.run();
        return new ResourceUsage(new ResourceUsage.Cpu(0, 0), new ResourceUsage.Memory(0, 0), new ResourceUsage.Storage(0, 0), clock.instant());
    }

    @Override
    public List<String> missingVolumes(InstanceHandle instance, InstanceSpec spec) {
        if (!volumesLost.contains(instance.id())) return List.of();
        return spec.storage().stream().filter(v -> v.persistent()).map(v -> v.volumeName()).toList();
    }

    @Override
    public CommandResult execute(InstanceHandle instance, ExecRequest request) {
        maybeFail();
        execs.incrementAndGet();
        onExec.run();
        return new CommandResult(0, String.join(" ", request.command()) + "\n", "", false, false, Duration.ofMillis(1));
    }
}
