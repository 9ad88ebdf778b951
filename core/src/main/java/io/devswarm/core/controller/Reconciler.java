package io.devswarm.core.controller;

import io.devswarm.core.model.DesiredState;
import io.devswarm.core.model.Instance;
import io.devswarm.core.model.InstanceStatus;
import io.devswarm.core.model.NetworkInfo;
import io.devswarm.core.model.NotFoundException;
import io.devswarm.core.model.RestartPolicy;
import io.devswarm.core.model.ProviderHealth;
import io.devswarm.core.model.StaleWriteException;
import io.devswarm.core.operation.LeaseLostException;
import io.devswarm.core.operation.Operation;
import io.devswarm.core.operation.OperationPayload;
import io.devswarm.core.operation.OperationStatus;
import io.devswarm.core.provider.ObservedInstance;
import io.devswarm.core.provider.Provider;
import io.devswarm.core.provider.ProviderException;
import io.devswarm.core.provider.ProviderRegistry;
import io.devswarm.core.store.Pool;
import io.devswarm.core.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Level-triggered repair of drift between the store and the substrates. Each pass compares
 * every record with what its provider reports under devswarm's labels and:
 * <ul>
 *   <li>removes labelled compute that has no record once it is older than the orphan grace
 *       period (volumes are kept: data is only deleted on an explicit request);</li>
 *   <li>marks a record whose resources vanished as failed, with the reason;</li>
 *   <li>resubmits operations that were stored but never scheduled, and fails operations (and
 *       their instance) that ran past the stuck timeout, so nothing stays transitional;</li>
 *   <li>adopts the observed state (running/stopped) when the substrate changed it;</li>
 *   <li>brings every pool back to its declared size.</li>
 * </ul>
 * A pass skips providers that are unavailable: an unreachable engine is not evidence that
 * anything vanished.
 */
public final class Reconciler {
    private static final Logger log = LoggerFactory.getLogger(Reconciler.class);

    private final Store store;
    private final ProviderRegistry providers;
    private final LocalRuns runs;
    private final Pools pools;
    private final SwarmController controller;
    private final ControllerSettings settings;
    private final Clock clock;
    private static final Duration COMMAND_ANSWER_GRACE = Duration.ofMinutes(1);
    private final Map<String, Instant> firstSeenOrphans = new HashMap<>();
    private final Restarts restarts = new Restarts();

    /** What one pass did, for logs, metrics and tests. */
    public record Report(int checked, List<String> orphansRemoved, List<String> markedFailed, List<String> adopted, List<String> restarted,
                         List<String> resubmitted, List<String> interruptedCommands, List<String> skippedProviders, Duration took) {}

    Reconciler(Store store, ProviderRegistry providers, LocalRuns runs, Pools pools, SwarmController controller, ControllerSettings settings, Clock clock) {
        this.store = store;
        this.providers = providers;
        this.runs = runs;
        this.pools = pools;
        this.controller = controller;
        this.settings = settings;
        this.clock = clock;
    }

    synchronized Report reconcileOnce() {
        long t0 = System.nanoTime();
        int checked = 0;
        List<String> orphans = new ArrayList<>(), failed = new ArrayList<>(), adopted = new ArrayList<>(), restarted = new ArrayList<>(),
                resubmitted = new ArrayList<>(), skipped = new ArrayList<>();
        Verdicts verdicts = new Verdicts(failed, adopted, restarted, resubmitted);
        for (Provider provider : providers.all()) {
            ProviderHealth health = providers.health(provider.name());
            if (!health.isUsable()) {
                skipped.add(provider.name() + ": " + health.detail());
                continue;
            }
            // records first, then the substrate: what the provider shows is then never older than the
            // record it is compared with, and each write below is conditional on the version read
            List<Instance> records = store.instances().listByProvider(provider.name());
            Map<String, ObservedInstance> observed = new HashMap<>();
            try {
                for (ObservedInstance o : provider.list(Map.of())) observed.put(o.instanceId(), o);
            } catch (ProviderException e) {
                skipped.add(provider.name() + ": " + e.getMessage());
                continue;
            }
            for (Instance record : records) {
                checked++;
                try {
                    reconcileRecord(record, observed.remove(record.id()), verdicts);
                } catch (StaleWriteException | NotFoundException | LeaseLostException changedSinceRead) {
                    // an operation, the activity flush or a delete got there after the read: the next pass judges it afresh
                    log.debug("reconcile: {} changed since it was read, left for the next pass", record.name());
                }
            }
            removeOrphans(provider, observed.values(), orphans);
        }
        for (Pool pool : store.pools().list()) {
            try {
                pools.converge(pool, true);
            } catch (RuntimeException e) {
                log.warn("pool {} not converged: {}", pool.name(), e.getMessage());
            }
        }
        List<String> interrupted = failInterruptedCommands();
        Report report = new Report(checked, orphans, failed, adopted, restarted, resubmitted, interrupted, skipped, Duration.ofNanos(System.nanoTime() - t0));
        if (!orphans.isEmpty() || !failed.isEmpty() || !adopted.isEmpty() || !restarted.isEmpty() || !resubmitted.isEmpty() || !interrupted.isEmpty()) {
            log.info("reconcile: {}", report);
        }
        return report;
    }

    /**
     * Commands run outside the durable schedule, so one whose server died stays unfinished in the
     * store. Once it is past its own timeout (and a minute for the answer to be written) no server
     * is running it any more: it is marked failed, and never run again.
     */
    private List<String> failInterruptedCommands() {
        List<String> interrupted = new ArrayList<>();
        Instant now = clock.instant();
        for (OperationStatus status : List.of(OperationStatus.PENDING, OperationStatus.PROCESSING)) {
            for (Operation o : store.operations().list(null, status, 0, 1000).items()) {
                if (!(o.payload() instanceof OperationPayload.Exec exec)) continue;
                Instant since = o.startedAt() != null ? o.startedAt() : o.createdAt();
                if (since.plus(exec.request().timeout()).plus(COMMAND_ANSWER_GRACE).isAfter(now)) continue;
                String why = status == OperationStatus.PENDING
                        ? "not run: no server started it within its timeout (the one that accepted it stopped, or every slot was busy)"
                        : OperationRunner.INTERRUPTED;
                // not written if it ended, or started again, since it was read
                if (store.operations().update(o.failed(now, why))) interrupted.add(o.id());
            }
        }
        return interrupted;
    }

    /** What a pass did to records, by kind, for its report. */
    private record Verdicts(List<String> failed, List<String> adopted, List<String> restarted, List<String> resubmitted) {}

    /**
     * Judges one record against what its provider showed after the record was read. Every write is
     * made on the version read: a record that changed meanwhile (a claim, an operation's end) throws
     * {@link StaleWriteException} and is left for the next pass, so a pass never undoes a claim it did
     * not see or adopts a state older than the record.
     */
    private void reconcileRecord(Instance record, ObservedInstance observed, Verdicts verdicts) {
        Instant now = clock.instant();
        if (record.activeOperation() != null) {
            Optional<Operation> op = store.operations().find(record.activeOperation());
            if (op.isPresent() && !op.get().status().isTerminal()) {
                Operation o = op.get();
                Instant since = o.startedAt() != null ? o.startedAt() : o.createdAt();
                if (since.plus(settings.stuckTimeout()).isBefore(now)) {
                    String why = o.type().name().toLowerCase() + " did not finish within " + settings.stuckTimeout().toMinutes() + " minutes";
                    store.instances().update(record.withStatus(InstanceStatus.FAILED, why).withActiveOperation(null), o.failed(now, why));
                    verdicts.failed().add(record.name());
                } else if (o.status() == OperationStatus.PENDING && o.startedAt() == null && o.createdAt().plusSeconds(30).isBefore(now)) {
                    runs.submit(o);
                    verdicts.resubmitted().add(o.id());
                }
                return;
            }
            // the claim outlived its operation (crash between the two writes): release it and judge the record
            record = store.instances().update(record.withActiveOperation(null));
        }
        if (observed == null) {
            restarts.forget(record.id());
            if (record.desiredState() == DesiredState.DELETED) {
                store.instances().delete(record.id());
            } else if (record.status() != InstanceStatus.FAILED) {
                store.instances().update(record.withStatus(InstanceStatus.FAILED,
                        "resources vanished: provider '" + record.provider() + "' has nothing for this instance (removed outside devswarm?)"));
                verdicts.failed().add(record.name());
            }
            return;
        }
        InstanceStatus seen = switch (observed.state()) {
            case RUNNING -> InstanceStatus.RUNNING;
            case STOPPED, SUSPENDED -> InstanceStatus.STOPPED;
            case FAILED -> InstanceStatus.FAILED;
            case PENDING -> null;
        };
        boolean shouldRun = record.desiredState() == DesiredState.RUNNING;
        if (shouldRun && record.status() == InstanceStatus.RUNNING && (seen == InstanceStatus.STOPPED || seen == InstanceStatus.FAILED)) {
            died(record, observed, now, verdicts);
            return;
        }
        Restarts.Deaths waiting = restarts.waiting(record.id());
        if (waiting != null && (!shouldRun || seen == InstanceStatus.RUNNING || record.status() != InstanceStatus.FAILED)) {
            restarts.forget(record.id()); // stopped, started or claimed by someone since: no restart of ours is due
        } else if (waiting != null) {
            if (!waiting.due().isAfter(now)) restart(record, waiting, now, verdicts);
            return;
        }
        // a failed instance whose compute is merely stopped stays failed: its reason is what the user needs
        if (seen != null && seen != record.status() && !(record.status() == InstanceStatus.FAILED && seen == InstanceStatus.STOPPED)) {
            String reason = seen == InstanceStatus.RUNNING ? null : "observed on " + record.provider() + ": " + observed.detail();
            store.instances().update(record.withStatus(seen, reason).withNetwork(observed.network()));
            verdicts.adopted().add(record.name() + "->" + seen.wireName());
        }
    }

    /**
     * The instance's compute stopped while it should run (it crashed, was killed or exited). Its status
     * says so; it is started again at once, or after a backoff when it keeps dying, unless its restart
     * policy is never.
     */
    private void died(Instance record, ObservedInstance observed, Instant now, Verdicts verdicts) {
        String what = "its compute on " + record.provider() + " stopped while it should run (" + observed.detail() + ")";
        if (record.spec().restartPolicy() == RestartPolicy.NEVER) {
            store.instances().update(record.withStatus(InstanceStatus.FAILED, what + "; restart policy is never: start it to bring it back")
                    .withNetwork(NetworkInfo.NONE));
            verdicts.failed().add(record.name());
            return;
        }
        Restarts.Deaths deaths = restarts.died(record.id(), what, now);
        if (!deaths.due().isAfter(now)) {
            restart(record, deaths, now, verdicts);
            return;
        }
        store.instances().update(record.withStatus(InstanceStatus.FAILED, what + "; it died " + deaths.count() + " times in a row, restarting at "
                + deaths.due()).withNetwork(NetworkInfo.NONE));
        verdicts.failed().add(record.name());
    }

    private void restart(Instance record, Restarts.Deaths deaths, Instant now, Verdicts verdicts) {
        String reason = "restarted at " + now + ": " + deaths.what();
        controller.restartDied(record, reason);
        restarts.restarted(record.id(), now);
        verdicts.restarted().add(record.name() + (deaths.count() > 1 ? " (death " + deaths.count() + " in a row)" : ""));
        log.info("instance {}: {}", record.name(), reason);
    }

    private void removeOrphans(Provider provider, Iterable<ObservedInstance> leftovers, List<String> removed) {
        Instant now = clock.instant();
        for (ObservedInstance o : leftovers) {
            if (store.instances().findById(o.instanceId()).isPresent()) continue; // placed elsewhere or created meanwhile
            Instant born = o.createdAt() != null ? o.createdAt() : firstSeenOrphans.computeIfAbsent(o.instanceId(), k -> now);
            if (born.plus(settings.orphanGrace()).isAfter(now)) continue;
            try {
                provider.delete(o.handle(), true);
                firstSeenOrphans.remove(o.instanceId());
                removed.add(provider.name() + "/" + o.name());
                log.info("removed orphan {} on {} (labelled instance {}, no record)", o.name(), provider.name(), o.instanceId());
            } catch (ProviderException e) {
                log.warn("could not remove orphan {} on {}: {}", o.name(), provider.name(), e.getMessage());
            }
        }
    }
}
