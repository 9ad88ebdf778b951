package io.devswarm.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.devswarm.core.controller.Accepted;
import io.devswarm.core.controller.ControllerSettings;
import io.devswarm.core.controller.InstanceUpdate;
import io.devswarm.core.controller.ControlPlane;
import io.devswarm.core.controller.Outcome;
import io.devswarm.core.controller.OperationWaiter;
import io.devswarm.core.controller.SwarmController;
import io.devswarm.core.controller.SwarmController.CreateInstance;
import io.devswarm.core.model.DataGoneException;
import io.devswarm.core.model.Instance;
import io.devswarm.core.model.InstanceBusyException;
import io.devswarm.core.model.InstanceHandle;
import io.devswarm.core.model.InstanceSpec;
import io.devswarm.core.model.InstanceStatus;
import io.devswarm.core.model.InvalidSpecException;
import io.devswarm.core.model.InvalidStateException;
import io.devswarm.core.model.NameTakenException;
import io.devswarm.core.model.Resources;
import io.devswarm.core.model.RestartPolicy;
import io.devswarm.core.model.StaleWriteException;
import io.devswarm.core.operation.LeaseLostException;
import io.devswarm.core.operation.Operation;
import io.devswarm.core.operation.OperationPayload;
import io.devswarm.core.operation.OperationResult;
import io.devswarm.core.operation.OperationStatus;
import io.devswarm.core.operation.OperationType;
import io.devswarm.core.operation.Priority;
import io.devswarm.core.provider.ExecRequest;
import io.devswarm.core.provider.ObservedInstance;
import io.devswarm.core.provider.ProviderException;
import io.devswarm.core.provider.ProviderException.Kind;
import io.devswarm.core.secrets.Secret;
import io.devswarm.core.secrets.SecretScope;
import io.devswarm.core.testing.InMemoryProvider;
import io.devswarm.core.store.InstanceQuery;
import io.devswarm.core.store.OperationStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control plane's bookkeeping on a real database: operations, optimistic locking,
 * retries, the reconciler, pools and crash recovery. Runs once on H2 and once on PostgreSQL.
 */
@Timeout(60)
abstract class ControlPlaneSpec {
    @TempDir
    Path tmp;

    Swarm swarm;

    abstract DatabaseSettings database(Path tmp);

    @BeforeEach
    void start() {
        swarm = new Swarm(database(tmp), "test-worker", Swarm.fastSettings("test-worker")).start();
    }

    @AfterEach
    void stop() {
        if (swarm != null) swarm.close();
    }

    private Operation await(Accepted a) throws InterruptedException {
        return swarm.waiter.await(a.operation().id(), Duration.ofSeconds(20)).operation();
    }

    /** Until a worker has taken the operation (at most 5 s), and fails if none has. */
    private static void untilProcessing(OperationStore operations, String opId) throws InterruptedException {
        for (int i = 0; i < 100 && operations.find(opId).orElseThrow().status() != OperationStatus.PROCESSING; i++) Thread.sleep(50);
        assertThat(operations.find(opId).orElseThrow().status()).isEqualTo(OperationStatus.PROCESSING);
    }

    private Instance created(String name) throws InterruptedException {
        Accepted a = swarm.controller.create(CreateInstance.of(InstanceSpec.of(name, "img")));
        assertThat(await(a).status()).isEqualTo(OperationStatus.COMPLETED);
        return swarm.controller.find(name);
    }

    @Test
    @DisplayName("create persists the instance and an operation that the provider carries out")
    void createRunsThroughTheQueue() throws Exception {
        Accepted a = swarm.controller.create(CreateInstance.of(InstanceSpec.of("dev-1", "img")));
        assertThat(a.instance().status()).isEqualTo(InstanceStatus.CREATING);
        Operation done = await(a);
        assertThat(done.status()).isEqualTo(OperationStatus.COMPLETED);
        assertThat(done.attempts()).isEqualTo(1);
        assertThat(done.worker()).isEqualTo("test-worker");
        Instance i = swarm.controller.find("dev-1");
        assertThat(i.status()).isEqualTo(InstanceStatus.RUNNING);
        assertThat(i.activeOperation()).isNull();
        assertThat(swarm.provider.exists(i.id())).isTrue();
    }

    @Test
    @DisplayName("an operation records when it started and when the provider's work ended")
    void operationTimes() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        swarm.provider.holdCreates(gate);
        Accepted a = swarm.controller.create(CreateInstance.of(InstanceSpec.of("timed", "img")));
        untilProcessing(swarm.store.operations(), a.operation().id());
        Thread.sleep(100); // the provider is still at work
        Instant released = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        gate.countDown();
        Operation done = await(a);
        assertThat(done.startedAt()).isBefore(released);
        assertThat(done.completedAt()).isAfterOrEqualTo(released);
        assertThat(swarm.store.operations().find(a.operation().id()).orElseThrow().completedAt()).isAfterOrEqualTo(released);
    }

    @Test
    @DisplayName("a wait that sees an operation end here is handed the instance as the operation wrote it; one that comes after the end reads the store")
    void waitIsHandedTheInstanceLeft() throws Exception {
        created("handed");
        CountDownLatch gate = new CountDownLatch(1);
        swarm.provider.holdStops(gate);
        String op = swarm.controller.stop("handed", Priority.DEFAULT).operation().id();
        CompletableFuture<OperationWaiter.Ended> end = new CompletableFuture<>();
        Thread waiting = Thread.ofVirtual().start(() -> {
            try {
                end.complete(swarm.waiter.await(op, Duration.ofSeconds(20)));
            } catch (Exception e) {
                end.completeExceptionally(e);
            }
        });
        while (waiting.isAlive() && waiting.getState() != Thread.State.TIMED_WAITING) Thread.sleep(5); // it waits for the runner
        gate.countDown();
        OperationWaiter.Ended handed = end.get(20, TimeUnit.SECONDS);
        assertThat(handed.operation().status()).isEqualTo(OperationStatus.COMPLETED);
        assertThat(handed.instance()).isNotNull();
        assertThat(handed.instance().status()).isEqualTo(InstanceStatus.STOPPED);
        assertThat(handed.instance().activeOperation()).isNull();
        assertThat(handed.instance().version()).isEqualTo(swarm.store.instances().findByName("handed").orElseThrow().version());
        assertThat(swarm.waiter.await(op, Duration.ofSeconds(1)).instance()).isNull();
    }

    @Test
    @DisplayName("a wait for an operation just submitted that ended before the wait began is handed its end without the store")
    void submittedWaitFindsAnEndBeforeIt() throws Exception {
        created("quick");
        String op = swarm.controller.stop("quick", Priority.DEFAULT).operation().id();
        for (int i = 0; i < 100 && !swarm.store.operations().find(op).orElseThrow().status().isTerminal(); i++) Thread.sleep(50);
        OperationWaiter.Ended end = swarm.waiter.await(op, Duration.ofSeconds(20));
        assertThat(end.operation().status()).isEqualTo(OperationStatus.COMPLETED);
        assertThat(end.instance()).isNotNull(); // as the runner handed it: a read of the store has no instance
        assertThat(end.instance().status()).isEqualTo(InstanceStatus.STOPPED);
        assertThat(swarm.waiter.await(op, Duration.ofSeconds(1)).instance()).isNull(); // taken once; then the store says it ended
    }

    @Test
    @DisplayName("a run handed its claimed instance writes its end over the current record when another writer moved it meanwhile")
    void claimedInstanceWrittenOverAMovedVersion() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        Accepted stop = heldStop("moved", gate);
        untilProcessing(swarm.store.operations(), stop.operation().id());
        swarm.controller.update("moved", new InstanceUpdate(null, Map.of("team", "blue"), null)); // the version the run was handed is stale now
        gate.countDown();
        assertThat(await(stop).status()).isEqualTo(OperationStatus.COMPLETED);
        Instance after = swarm.controller.find("moved");
        assertThat(after.status()).isEqualTo(InstanceStatus.STOPPED);
        assertThat(after.activeOperation()).isNull();
        assertThat(after.spec().metadata()).containsEntry("team", "blue");
    }

    @Test
    @DisplayName("an operation's end is stored with its instance's last write, or, on a stale version, neither; an ended operation is not written again")
    void operationEndsWithItsInstance() throws Exception {
        Instance i = created("together");
        InMemoryProvider.Gate gate = swarm.provider.holdNextStop();
        Accepted stop = swarm.controller.stop("together", Priority.DEFAULT);
        gate.awaitEntered();
        Instance claimed = swarm.controller.find("together");
        Operation ended = swarm.store.operations().find(stop.operation().id()).orElseThrow().failed(Instant.now(), "made up for this spec");
        assertThatThrownBy(() -> swarm.store.instances().update(i.withStatus(InstanceStatus.FAILED, "stale"), ended)).isInstanceOf(StaleWriteException.class);
        assertThat(swarm.store.operations().find(ended.id()).orElseThrow().status()).isEqualTo(OperationStatus.PROCESSING);
        assertThat(swarm.controller.find("together").status()).isEqualTo(InstanceStatus.STOPPING);
        Instance written = swarm.store.instances().update(claimed.withStatus(InstanceStatus.FAILED, "current").withActiveOperation(null), ended);
        assertThat(written.version()).isEqualTo(claimed.version() + 1);
        assertThat(swarm.controller.find("together").statusReason()).isEqualTo("current");
        assertThat(swarm.store.operations().find(ended.id()).orElseThrow().error()).isEqualTo("made up for this spec");
        assertThatThrownBy(() -> swarm.store.instances().update(written.withStatus(InstanceStatus.STOPPED, "again"), ended))
                .isInstanceOf(LeaseLostException.class);
        assertThat(swarm.store.operations().update(ended.started(Instant.now(), "w").completed(Instant.now(), null))).isFalse();
        assertThat(swarm.controller.find("together").statusReason()).isEqualTo("current");
        gate.open();
    }

    @Test
    @DisplayName("fencing: a run that lost its lease and comes back after another server's run writes nothing")
    void staleRunIsFencedOff() throws Exception {
        swarm.close();
        // not started: operations run only when the test runs them, on threads it owns
        swarm = new Swarm(database(tmp), "test-worker", Swarm.fastSettings("test-worker"));
        swarm.plane.runNow(swarm.controller.create(CreateInstance.of(InstanceSpec.of("fenced", "img"))).operation().id());
        InMemoryProvider.Gate paused = swarm.provider.holdNextStop();
        String stop = swarm.controller.stop("fenced", Priority.DEFAULT).operation().id();
        AtomicReference<Outcome> firstOutcome = new AtomicReference<>();
        Thread first = Thread.ofVirtual().start(() -> firstOutcome.set(swarm.plane.runNow(stop)));
        paused.awaitEntered();
        // its lease ran out: another server runs the stop again, and then the user starts the instance
        assertThat(swarm.plane.runNow(stop)).isEqualTo(Outcome.DONE);
        Operation retaken = swarm.store.operations().find(stop).orElseThrow();
        assertThat(retaken.status()).isEqualTo(OperationStatus.COMPLETED);
        assertThat(retaken.attempts()).isEqualTo(2);
        swarm.plane.runNow(swarm.controller.start("fenced", Priority.DEFAULT).operation().id());
        Instance running = swarm.controller.find("fenced");
        assertThat(running.status()).isEqualTo(InstanceStatus.RUNNING);

        paused.open();
        first.join();
        assertThat(firstOutcome.get()).isEqualTo(Outcome.DONE);
        assertThat(swarm.store.operations().find(stop).orElseThrow()).isEqualTo(retaken);
        assertThat(swarm.controller.find("fenced")).isEqualTo(running);
    }

    @Test
    @DisplayName("a delete takes the instance's own secrets with its record, and leaves others' alone")
    void deleteTakesTheInstancesSecrets() throws Exception {
        Instance gone = created("with-secret");
        Instance kept = created("other");
        Instant now = Instant.now();
        for (Instance i : List.of(gone, kept)) {
            swarm.store.secrets().put(new Secret(io.devswarm.core.controller.Ids.next("sec"), SecretScope.INSTANCE, i.id(), "TOKEN", "k1", new byte[] {1}, now, now, "spec"));
        }
        assertThat(await(swarm.controller.delete("with-secret", false, Priority.DEFAULT)).status()).isEqualTo(OperationStatus.COMPLETED);
        assertThat(swarm.store.instances().findById(gone.id())).isEmpty();
        assertThat(swarm.store.secrets().list(SecretScope.INSTANCE, gone.id())).isEmpty();
        assertThat(swarm.store.secrets().list(SecretScope.INSTANCE, kept.id())).hasSize(1);
    }

    @Test
    @DisplayName("a request with a place free here stores its operation as started here, scheduled a lease ahead, in the claim's transaction")
    void operationStoredStartedWithItsLease() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        Instant before = Instant.now();
        Accepted stop = heldStop("leased", gate);
        try {
            assertThat(stop.operation().status()).isEqualTo(OperationStatus.PROCESSING);
            Operation stored = swarm.store.operations().find(stop.operation().id()).orElseThrow();
            assertThat(stored.status()).isEqualTo(OperationStatus.PROCESSING);
            assertThat(stored.attempts()).isEqualTo(1);
            assertThat(stored.worker()).isEqualTo("test-worker");
            Instant due = scheduledAt(stop.operation().id());
            assertThat(due).isAfter(before.plusSeconds(2)); // the lease in Swarm is 3 s: no server picks it meanwhile
        } finally {
            gate.countDown();
        }
        assertThat(await(stop).attempts()).isEqualTo(1);
    }

    @Test
    @DisplayName("a refused request gives back the place it reserved: after more refusals than places, operations still run here")
    void refusalsFreeTheirPlaces() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        Accepted held = heldStop("refusing", gate);
        try {
            for (int i = 0; i < 40; i++) {
                assertThatThrownBy(() -> swarm.controller.stop("refusing", Priority.DEFAULT)).isInstanceOf(InstanceBusyException.class).hasMessageContaining("busy");
            }
        } finally {
            gate.countDown();
        }
        await(held);
        assertThat(swarm.controller.start("refusing", Priority.DEFAULT).operation().status()).isEqualTo(OperationStatus.PROCESSING);
    }

    @Test
    @DisplayName("with every place here taken, an operation is stored pending and any server's scheduler runs it")
    void noPlaceHereMeansScheduled() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        swarm.provider.holdCreates(gate);
        List<Accepted> holding = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 16; i++) holding.add(swarm.controller.create(CreateInstance.of(InstanceSpec.of("place-" + i, "img")))); // Swarm has 16
            Accepted queued = swarm.controller.create(CreateInstance.of(InstanceSpec.of("queued", "img")));
            assertThat(queued.operation().status()).isEqualTo(OperationStatus.PENDING);
            assertThat(scheduledAt(queued.operation().id())).isBeforeOrEqualTo(Instant.now());
            holding.add(queued);
        } finally {
            gate.countDown();
        }
        for (Accepted a : holding) assertThat(await(a).status()).isEqualTo(OperationStatus.COMPLETED);
        assertThat(swarm.controller.find("queued").status()).isEqualTo(InstanceStatus.RUNNING);
    }

    /** A running instance of that name, and its stop, held at the provider until {@code gate} opens. */
    private Accepted heldStop(String name, CountDownLatch gate) throws InterruptedException {
        created(name);
        swarm.provider.holdStops(gate);
        return swarm.controller.stop(name, Priority.DEFAULT);
    }

    private Instant scheduledAt(String operationId) {
        return new Jdbc(swarm.database.dataSource()).query("SELECT execution_time FROM scheduled_tasks WHERE task_name = ? AND task_instance = ?",
                rs -> Jdbc.instant(rs, "execution_time"), DatabaseScheduler.OPERATION_TASK, operationId).getFirst();
    }

    @Test
    @DisplayName("an operation run on the server that took it leaves no scheduled execution behind")
    void localRunUnschedules() throws Exception {
        Instance i = created("unscheduled");
        Accepted stop = swarm.controller.stop(i.id(), Priority.DEFAULT);
        assertThat(await(stop).status()).isEqualTo(OperationStatus.COMPLETED);
        // removed after the waiter is woken, off the answer's path: wait for it, at most 5 s
        long scheduled = 1;
        for (int tries = 0; tries < 100 && scheduled > 0; tries++) {
            if (tries > 0) Thread.sleep(50);
            scheduled = new Jdbc(swarm.database.dataSource()).count("SELECT COUNT(*) FROM scheduled_tasks WHERE task_name = ? AND task_instance = ?",
                    DatabaseScheduler.OPERATION_TASK, stop.operation().id());
        }
        assertThat(scheduled).isZero();
    }

    @Test
    @DisplayName("an instance is found by its id, by its name, and by a name that looks like an id")
    void foundByIdOrName() throws Exception {
        Instance plain = created("plain-name");
        String idLike = io.devswarm.core.controller.Ids.next(io.devswarm.core.controller.Ids.INSTANCE);
        Instance shaped = created(idLike);
        assertThat(swarm.controller.find(plain.id()).name()).isEqualTo("plain-name");
        assertThat(swarm.controller.find("plain-name").id()).isEqualTo(plain.id());
        assertThat(swarm.controller.find(idLike).id()).isEqualTo(shaped.id());
        assertThat(swarm.controller.find(shaped.id()).name()).isEqualTo(idLike);
        assertThatThrownBy(() -> swarm.controller.find("i-nosuchinstance")).isInstanceOf(io.devswarm.core.model.NotFoundException.class);
    }

    @Test
    @DisplayName("the record submitted starts the operation once: handed over again after it ended, it is not run again")
    void submittedRecordStartsOnce() throws Exception {
        Accepted a = swarm.controller.create(CreateInstance.of(InstanceSpec.of("once", "img")));
        assertThat(await(a).status()).isEqualTo(OperationStatus.COMPLETED);
        Operation o = a.operation();
        Operation asSubmitted = new Operation(o.id(), o.type(), OperationStatus.PENDING, o.priority(), o.instanceId(), o.instanceName(), o.payload(), 0,
                o.maxAttempts(), null, null, o.createdAt(), null, null, null); // as a submitted record reads: PENDING, no attempt yet
        assertThat(swarm.plane.runNow(asSubmitted)).isEqualTo(Outcome.DONE);
        Operation stored = swarm.store.operations().find(a.operation().id()).orElseThrow();
        assertThat(stored.status()).isEqualTo(OperationStatus.COMPLETED);
        assertThat(stored.attempts()).isEqualTo(1);
        assertThat(stored.worker()).isEqualTo("test-worker");
        assertThat(swarm.provider.createCalls()).isEqualTo(1);
    }

    @Test
    @DisplayName("stop, start, restart and delete move the instance and release it afterwards")
    void lifecycle() throws Exception {
        Instance i = created("dev-2");
        assertThat(await(swarm.controller.stop("dev-2", Priority.HIGH)).status()).isEqualTo(OperationStatus.COMPLETED);
        assertThat(swarm.controller.find("dev-2").status()).isEqualTo(InstanceStatus.STOPPED);
        assertThat(await(swarm.controller.start(i.id(), Priority.DEFAULT)).status()).isEqualTo(OperationStatus.COMPLETED);
        assertThat(await(swarm.controller.restart("dev-2", Priority.LOW)).status()).isEqualTo(OperationStatus.COMPLETED);
        assertThat(swarm.controller.find("dev-2").status()).isEqualTo(InstanceStatus.RUNNING);
        assertThat(await(swarm.controller.delete("dev-2", false, Priority.DEFAULT)).status()).isEqualTo(OperationStatus.COMPLETED);
        assertThat(swarm.store.instances().findByName("dev-2")).isEmpty();
        assertThat(swarm.provider.exists(i.id())).isFalse();
        assertThat(swarm.store.operations().list(i.id(), null, 0, 10).total()).isEqualTo(5);
    }

    @Test
    @DisplayName("a rejected request leaves nothing behind: no instance, no operation")
    void invalidInputCreatesNothing() {
        assertThatThrownBy(() -> swarm.controller.create(CreateInstance.of(InstanceSpec.of("Not_Valid", ""))))
                .isInstanceOf(InvalidSpecException.class);
        assertThatThrownBy(() -> swarm.controller.create(new CreateInstance(InstanceSpec.of("ok", "img"), "nosuch", null, null, null, Priority.DEFAULT)))
                .isInstanceOf(InvalidSpecException.class).hasMessageContaining("unknown provider 'nosuch'");
        assertThat(swarm.store.instances().list(InstanceQuery.all(10)).total()).isZero();
        assertThat(swarm.store.operations().list(null, null, 0, 10).total()).isZero();
        assertThat(swarm.provider.createCalls()).isZero();
    }

    @Test
    @DisplayName("a name that is taken is a conflict")
    void duplicateName() throws Exception {
        created("twin");
        assertThatThrownBy(() -> swarm.controller.create(CreateInstance.of(InstanceSpec.of("twin", "img")))).isInstanceOf(NameTakenException.class)
                .hasMessageContaining("already taken");
    }

    @Test
    @DisplayName("a name taken between the check and the insert (another server won) is the same conflict, and stores nothing")
    void nameTakenAtInsert() throws Exception {
        Instance first = created("raced-name");
        Instance second = new Instance("i-second", first.name(), first.provider(), InstanceStatus.CREATING, null, first.desiredState(), first.createdAt(),
                first.updatedAt(), null, first.spec(), first.network(), null, null, null, null, 0);
        Operation create = new Operation("op-second", OperationType.CREATE, OperationStatus.PENDING, Priority.DEFAULT, second.id(), second.name(), null, 0, 1,
                null, null, Instant.now(), null, null, null);
        assertThatThrownBy(() -> swarm.store.instances().insert(second, create, null)).isInstanceOf(NameTakenException.class)
                .hasMessage("instance name 'raced-name' is already taken");
        assertThat(swarm.store.operations().find(create.id())).isEmpty();
    }

    @Test
    @DisplayName("a second lifecycle request while one runs is refused with 409, naming the running operation")
    void oneOperationAtATime() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        swarm.provider.holdCreates(gate);
        Accepted a = swarm.controller.create(CreateInstance.of(InstanceSpec.of("busy", "img")));
        assertThatThrownBy(() -> swarm.controller.stop("busy", Priority.DEFAULT)).isInstanceOf(InstanceBusyException.class)
                .hasMessageContaining("create operation " + a.operation().id());
        gate.countDown();
        assertThat(await(a).status()).isEqualTo(OperationStatus.COMPLETED);
    }

    @Test
    @DisplayName("a write based on a stale read loses with a conflict (optimistic locking)")
    void optimisticLocking() throws Exception {
        Instance read = created("locked");
        swarm.store.instances().update(read.withLastActive(Instant.now()));
        assertThatThrownBy(() -> swarm.store.instances().update(read.withStatus(InstanceStatus.FAILED, "stale")))
                .isInstanceOf(StaleWriteException.class);
        assertThat(swarm.controller.find("locked").status()).isEqualTo(InstanceStatus.RUNNING);
    }

    @Test
    @DisplayName("a lifecycle request on a read that a background write (activity flush) made stale still runs, on the current record")
    void backgroundWriteDoesNotFailAClaim() throws Exception {
        Instance read = created("flushed");
        swarm.store.instances().update(read.withLastActive(Instant.now()));
        assertThat(await(swarm.controller.stop(read, Priority.DEFAULT)).status()).isEqualTo(OperationStatus.COMPLETED);
        assertThat(swarm.controller.find("flushed").status()).isEqualTo(InstanceStatus.STOPPED);
    }

    @Test
    @DisplayName("a lifecycle request on a read from before another request's claim is refused as busy, naming that operation")
    void claimTakenSinceTheReadIsBusy() throws Exception {
        Instance read = created("raced");
        CountDownLatch gate = new CountDownLatch(1);
        swarm.provider.holdStops(gate);
        Accepted first = swarm.controller.stop(read, Priority.DEFAULT);
        assertThatThrownBy(() -> swarm.controller.delete(read, false, Priority.DEFAULT)).isInstanceOf(InstanceBusyException.class)
                .hasMessageContaining("stop operation " + first.operation().id());
        gate.countDown();
        assertThat(await(first).status()).isEqualTo(OperationStatus.COMPLETED);
    }

    @Test
    @DisplayName("transient provider errors are retried with backoff until the operation completes")
    void transientErrorsAreRetried() throws Exception {
        swarm.provider.failNext(new ProviderException(Kind.UNAVAILABLE, "engine restarting"), new ProviderException(Kind.BUSY, "rate limited"));
        Operation done = await(swarm.controller.create(CreateInstance.of(InstanceSpec.of("flaky", "img"))));
        assertThat(done.status()).isEqualTo(OperationStatus.COMPLETED);
        assertThat(done.attempts()).isEqualTo(3);
        assertThat(swarm.controller.find("flaky").status()).isEqualTo(InstanceStatus.RUNNING);
    }

    @Test
    @DisplayName("a provider's very long error fails the operation with the error cut to its column, not an unwritable end")
    void longProviderError() throws Exception {
        swarm.provider.failNext(new ProviderException(Kind.REJECTED, "refused: " + "x".repeat(10_000)));
        Operation done = await(swarm.controller.create(CreateInstance.of(InstanceSpec.of("verbose", "img"))));
        assertThat(done.status()).isEqualTo(OperationStatus.FAILED);
        assertThat(done.error()).startsWith("refused: xxx").endsWith("…").hasSize(Operation.MAX_ERROR);
        Instance i = swarm.controller.find("verbose");
        assertThat(i.status()).isEqualTo(InstanceStatus.FAILED);
        assertThat(i.statusReason()).startsWith("create failed: refused: xxx").hasSize(Instance.MAX_REASON);
    }

    @Test
    @DisplayName("transient errors that never stop fail the operation after maxAttempts, saying so")
    void retriesGiveUp() throws Exception {
        ProviderException down = new ProviderException(Kind.UNAVAILABLE, "engine down");
        swarm.provider.failNext(down, down, down, down, down);
        Operation done = await(swarm.controller.create(CreateInstance.of(InstanceSpec.of("doomed", "img"))));
        assertThat(done.status()).isEqualTo(OperationStatus.FAILED);
        assertThat(done.attempts()).isEqualTo(4);
        assertThat(done.error()).contains("engine down").contains("gave up after 4 attempts");
        Instance i = swarm.controller.find("doomed");
        assertThat(i.status()).isEqualTo(InstanceStatus.FAILED);
        assertThat(i.activeOperation()).isNull();
    }

    @Test
    @DisplayName("a permanent error fails at once with the provider's message")
    void permanentErrorsFailAtOnce() throws Exception {
        swarm.provider.failNext(new ProviderException(Kind.REJECTED, "image 'x' is not on the Docker engine"));
        Operation done = await(swarm.controller.create(CreateInstance.of(InstanceSpec.of("bad-image", "x"))));
        assertThat(done.status()).isEqualTo(OperationStatus.FAILED);
        assertThat(done.attempts()).isEqualTo(1);
        assertThat(swarm.controller.find("bad-image").statusReason()).isEqualTo("create failed: image 'x' is not on the Docker engine");
        // a failed instance can still be deleted
        assertThat(await(swarm.controller.delete("bad-image", false, Priority.DEFAULT)).status()).isEqualTo(OperationStatus.COMPLETED);
    }

    @Test
    @DisplayName("results as earlier versions stored them (any field order, {} for none) read as the record of their operation's type")
    void resultsStoredByEarlierVersions() {
        Map<OperationType, String> stored = Map.of(
                OperationType.CREATE, "{\"status\":\"running\"}",
                OperationType.STOP, "{\"status\":\"stopped\"}",
                OperationType.RECREATE, "{\"image\":\"img:2\",\"status\":\"running\"}",
                OperationType.DELETE, "{\"keptVolumes\":true}",
                OperationType.EXEC, "{\"truncated\":false,\"timedOut\":true,\"exitCode\":-1,\"executionId\":\"ex-old\"}",
                OperationType.SCALE, "{\"busy\":[\"p-3\"],\"deleting\":[\"p-2\"],\"created\":[]}");
        Map<OperationType, OperationResult> read = new java.util.EnumMap<>(OperationType.class);
        for (var row : stored.entrySet()) {
            read.put(row.getKey(), storedEarlier(row.getKey(), OperationStatus.COMPLETED, row.getValue()).result());
        }
        assertThat(read).containsExactlyInAnyOrderEntriesOf(Map.of(
                OperationType.CREATE, new OperationResult.Settled("running"),
                OperationType.STOP, new OperationResult.Settled("stopped"),
                OperationType.RECREATE, new OperationResult.Recreated("running", "img:2"),
                OperationType.DELETE, new OperationResult.Deleted(true),
                OperationType.EXEC, new OperationResult.Executed("ex-old", -1, true, false),
                OperationType.SCALE, new OperationResult.Scaled(List.of(), List.of("p-2"), List.of("p-3"))));
        assertThat(storedEarlier(OperationType.START, OperationStatus.FAILED, "{}").result()).isNull();
    }

    /** An operation row as an earlier version wrote it, read back through the store. */
    private Operation storedEarlier(OperationType type, OperationStatus status, String result) {
        String id = "op-old-" + type.name().toLowerCase();
        new Jdbc(swarm.database.dataSource()).update("INSERT INTO operations (id, type, status, priority, attempts, max_attempts, result, created_at) "
                + "VALUES (?,?,?,?,?,?,?,?)", id, type.name(), status.name(), Priority.DEFAULT.name(), 1, 5, result, Instant.now());
        return swarm.store.operations().find(id).orElseThrow();
    }

    @Test
    @DisplayName("results are stored as the JSON documents earlier versions wrote, so those versions read them too")
    void resultsStoredAsBefore() throws Exception {
        created("documented");
        Operation exec = await(swarm.controller.exec("documented", ExecRequest.of("true"), Priority.DEFAULT));
        Operation stop = await(swarm.controller.stop("documented", Priority.DEFAULT));
        Operation delete = await(swarm.controller.delete("documented", true, Priority.DEFAULT));
        String executionId = ((OperationResult.Executed) exec.result()).executionId();
        assertThat(storedResult(exec.id())).isEqualTo("{\"executionId\":\"" + executionId + "\",\"exitCode\":0,\"timedOut\":false,\"truncated\":false}");
        assertThat(storedResult(stop.id())).isEqualTo("{\"status\":\"stopped\"}");
        assertThat(storedResult(delete.id())).isEqualTo("{\"keptVolumes\":true}");
    }

    private String storedResult(String operationId) {
        return new Jdbc(swarm.database.dataSource()).query("SELECT result FROM operations WHERE id = ?", rs -> rs.getString(1), operationId).getFirst();
    }

    @Test
    @DisplayName("exec keeps the command, exit code and output in the history, and only env names")
    void execHistory() throws Exception {
        created("runner");
        var request = new ExecRequest(List.of("echo", "hi"), Map.of("TOKEN", "s3cret"), null, null, null, 0);
        Operation done = await(swarm.controller.exec("runner", request, Priority.HIGH));
        OperationResult.Executed result = (OperationResult.Executed) done.result();
        assertThat(result.exitCode()).isZero();
        var history = swarm.store.executions().listForInstance(swarm.controller.find("runner").id(), 0, 10);
        assertThat(history.items()).singleElement().satisfies(e -> {
            assertThat(e.command()).containsExactly("echo", "hi");
            assertThat(e.envNames()).containsExactly("TOKEN");
            assertThat(e.stdout()).isEqualTo("echo hi\n");
            assertThat(e.id()).isEqualTo(result.executionId());
        });
        assertThat(swarm.store.operations().find(done.id()).orElseThrow().payload().toString()).contains("s3cret"); // stored to run it...
        assertThat(new io.devswarm.core.operation.Execution("x", "y", "z", List.of("c"), List.of("TOKEN"), 0, "", "", null, false, false, false, Instant.now(),
                Instant.now(), 0).toString()).doesNotContain("s3cret"); // ...but history holds names only
    }

    @Test
    @DisplayName("a command cut off by a crash is never run a second time: the worker that revives it marks it interrupted")
    void interruptedCommandIsNotRunAgain() throws Exception {
        Instance i = created("cut-off");
        Operation started = command("op-cut-off", i, ExecRequest.of("rm", "-r", "/workspace/old"), Instant.now()).started(Instant.now(), "dead-server");
        swarm.store.operations().insert(started);
        swarm.plane.runNow(started.id()); // what the scheduler does with a dead server's execution
        Operation done = swarm.waiter.await(started.id(), Duration.ofSeconds(20)).operation();
        assertThat(done.status()).isEqualTo(OperationStatus.FAILED);
        assertThat(done.error()).startsWith("interrupted");
        assertThat(swarm.provider.execCalls()).isZero();
    }

    @Test
    @DisplayName("reconciler: a command its dead server left unfinished is marked failed once past its timeout; one still in time is left alone")
    void abandonedCommandsFail() throws Exception {
        Instance i = created("abandoned");
        Instant longAgo = Instant.now().minus(Duration.ofMinutes(10));
        ExecRequest twoMinutes = new ExecRequest(List.of("make"), null, null, null, Duration.ofMinutes(2), 0);
        Operation running = command("op-abandoned-running", i, twoMinutes, longAgo).started(longAgo, "dead-server");
        Operation neverStarted = command("op-abandoned-pending", i, twoMinutes, longAgo);
        Operation inTime = command("op-in-time", i, twoMinutes, Instant.now()).started(Instant.now(), "live-server");
        for (Operation o : List.of(running, neverStarted, inTime)) swarm.store.operations().insert(o);

        assertThat(swarm.plane.reconcileOnce().interruptedCommands()).doesNotContain(inTime.id());
        assertThat(swarm.store.operations().find(running.id()).orElseThrow()).satisfies(o -> {
            assertThat(o.status()).isEqualTo(OperationStatus.FAILED);
            assertThat(o.error()).startsWith("interrupted");
        });
        assertThat(swarm.store.operations().find(neverStarted.id()).orElseThrow().error()).contains("not run");
        assertThat(swarm.store.operations().find(inTime.id()).orElseThrow().status()).isEqualTo(OperationStatus.PROCESSING);
        assertThat(swarm.provider.execCalls()).isZero();
    }

    private static Operation command(String id, Instance i, ExecRequest request, Instant created) {
        return new Operation(id, OperationType.EXEC, OperationStatus.PENDING, Priority.DEFAULT, i.id(), i.name(), new OperationPayload.Exec(request), 0, 1,
                null, null, created, null, null, null);
    }

    @Test
    @DisplayName("a command run here is stored as started before it runs, once, and ends in the history; a failure is not retried")
    void commandRunHere() throws Exception {
        Instance i = created("here");
        AtomicReference<List<Operation>> whileRunning = new AtomicReference<>();
        swarm.provider.onExec(() -> whileRunning.set(swarm.store.operations().list(i.id(), OperationStatus.PROCESSING, 0, 10).items()));

        Accepted accepted = swarm.controller.exec(i, ExecRequest.of("make"), Priority.HIGH);
        Operation ended = await(accepted);
        assertThat(whileRunning.get()).singleElement().satisfies(o -> {
            assertThat(o.id()).isEqualTo(accepted.operation().id());
            assertThat(o.status()).isEqualTo(OperationStatus.PROCESSING);
            assertThat(o.attempts()).isEqualTo(1);
            assertThat(o.maxAttempts()).isEqualTo(1);
        });
        assertThat(ended.status()).isEqualTo(OperationStatus.COMPLETED);
        assertThat(swarm.store.operations().find(accepted.operation().id()).orElseThrow().status()).isEqualTo(OperationStatus.COMPLETED);
        assertThat(swarm.store.executions().find(((OperationResult.Executed) ended.result()).executionId())).get().satisfies(e -> assertThat(e.stdout()).isEqualTo("make\n"));

        swarm.provider.failNext(new ProviderException(Kind.UNAVAILABLE, "engine went away"));
        Operation failed = await(swarm.controller.exec(i, ExecRequest.of("make"), Priority.DEFAULT));
        assertThat(failed.status()).isEqualTo(OperationStatus.FAILED);
        assertThat(failed.error()).contains("engine went away");
        assertThat(swarm.provider.execCalls()).isEqualTo(1); // not tried again: a second attempt would have run
    }

    @Test
    @DisplayName("an instance is found by id or by name; an id wins over another instance's name that looks like it")
    void findByIdOrName() throws Exception {
        Instance first = created("first");
        created(first.id()); // named like the first one's id
        Instance lookalike = swarm.store.instances().findByName(first.id()).orElseThrow();
        assertThat(swarm.controller.find(first.id()).name()).isEqualTo("first");
        assertThat(swarm.controller.find("first").id()).isEqualTo(first.id());
        assertThat(swarm.controller.find(lookalike.id()).name()).isEqualTo(first.id());
        assertThatThrownBy(() -> swarm.controller.find("nobody")).isInstanceOf(io.devswarm.core.model.NotFoundException.class);
    }

    @Test
    @DisplayName("exec on a stopped instance is a conflict")
    void execNeedsRunning() throws Exception {
        created("sleepy");
        await(swarm.controller.stop("sleepy", Priority.DEFAULT));
        assertThatThrownBy(() -> swarm.controller.exec("sleepy", ExecRequest.of("true"), Priority.DEFAULT)).isInstanceOf(InvalidStateException.class)
                .hasMessageContaining("is stopped");
    }

    @Test
    @DisplayName("update changes resources live and keeps the other fields")
    void updateResources() throws Exception {
        created("grow");
        Resources bigger = new Resources(new Resources.Cpu(2, 2000), new Resources.Memory(512, 4096), 10);
        Instance updated = swarm.controller.update("grow", new InstanceUpdate(bigger, Map.of("team", "core"), Duration.ofMinutes(5)));
        assertThat(updated.spec().resources()).isEqualTo(bigger);
        assertThat(swarm.controller.find("grow").spec().metadata()).containsEntry("team", "core");
        assertThatThrownBy(() -> swarm.controller.update("grow", new InstanceUpdate(new Resources(Resources.Cpu.DEFAULT, new Resources.Memory(0, -5), 10), null, null)))
                .isInstanceOf(InvalidSpecException.class).hasMessageContaining("resources.memory.max");
    }

    @Test
    @DisplayName("list filters and pages, sorted by name")
    void listing() throws Exception {
        for (String n : List.of("b-2", "a-1", "c-3")) created(n);
        var page = swarm.controller.list(new InstanceQuery(null, InstanceStatus.RUNNING, null, null, null, 1, 1));
        assertThat(page.total()).isEqualTo(3);
        assertThat(page.items()).extracting(Instance::name).containsExactly("b-2");
        assertThat(swarm.controller.list(new InstanceQuery("memory", null, null, null, "c-", 0, 10)).items()).extracting(Instance::name).containsExactly("c-3");
        assertThat(swarm.controller.status().runningInstances()).isEqualTo(3);
    }

    @Test
    @DisplayName("reconciler: a labelled resource without a record is removed as an orphan")
    void orphansAreRemoved() {
        InstanceHandle orphan = new InstanceHandle("i-orphan", "orphan", null);
        swarm.provider.plantOrphan(orphan, Instant.now().minusSeconds(5));
        var report = swarm.plane.reconcileOnce();
        assertThat(report.orphansRemoved()).containsExactly("memory/orphan");
        assertThat(swarm.provider.exists("i-orphan")).isFalse();
    }

    @Test
    @DisplayName("reconciler: a young orphan is left alone during the grace period")
    void orphanGrace() {
        try (Swarm patient = new Swarm(database(tmp.resolve("grace")), "patient", Swarm.fastSettings("patient").withOrphanGrace(Duration.ofHours(1)))) {
            patient.provider.plantOrphan(new InstanceHandle("i-young", "young", null), Instant.now());
            assertThat(patient.plane.reconcileOnce().orphansRemoved()).isEmpty();
            assertThat(patient.provider.exists("i-young")).isTrue();
        }
    }

    @Test
    @DisplayName("reconciler: a record whose resources vanished is marked failed with the reason")
    void vanishedResources() throws Exception {
        Instance i = created("ghost");
        swarm.provider.vanish(i.id());
        var report = swarm.plane.reconcileOnce();
        // the engine's own recurring pass (its first runs right after start) may have got there first
        assertThat(report.markedFailed()).isSubsetOf("ghost");
        Instance after = swarm.controller.find("ghost");
        assertThat(after.status()).isEqualTo(InstanceStatus.FAILED);
        assertThat(after.statusReason()).contains("resources vanished");
    }

    /** The spec's swarm replaced by one on the same database whose reconcile passes only the test runs. */
    private void withoutBackgroundPasses() {
        swarm.close();
        swarm = Swarm.withoutReconcilePasses(database(tmp), "test-worker", Swarm.fastSettings("test-worker")).start();
    }

    /** On a swarm without background passes, a create that waits in the provider until {@code gate} opens. */
    private Accepted heldCreate(String name, CountDownLatch gate) throws InterruptedException {
        withoutBackgroundPasses();
        swarm.provider.holdCreates(gate);
        Accepted a = swarm.controller.create(CreateInstance.of(InstanceSpec.of(name, "img")));
        untilProcessing(swarm.store.operations(), a.operation().id());
        return a;
    }

    @Test
    @DisplayName("reconciler: a record is judged only against what the provider showed after the record was read")
    void reconcileSeesNoObservationOlderThanTheRecord() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        Accepted a = heldCreate("late", gate);
        // the pass's listing shows no container yet; the create ends before the pass judges the record
        swarm.provider.afterNextList(() -> {
            gate.countDown();
            awaitCompleted(a);
        });
        var report = swarm.plane.reconcileOnce();
        assertThat(report.markedFailed()).isEmpty();
        assertThat(swarm.controller.find("late").status()).isEqualTo(InstanceStatus.RUNNING);
        assertThat(swarm.plane.reconcileOnce().markedFailed()).isEmpty();
    }

    @Test
    @DisplayName("reconciler: a pass never releases a claim taken after it read the record")
    void reconcileKeepsAClaimItDidNotRead() throws Exception {
        CountDownLatch creates = new CountDownLatch(1);
        Accepted a = heldCreate("claimed", creates);
        CountDownLatch stops = new CountDownLatch(1);
        swarm.provider.holdStops(stops);
        AtomicReference<Accepted> stop = new AtomicReference<>();
        // the pass read the record under the create's claim; by the time it judges it, the create ended and a stop holds it
        swarm.provider.afterNextList(() -> {
            creates.countDown();
            awaitCompleted(a);
            stop.set(swarm.controller.stop("claimed", Priority.DEFAULT));
        });
        swarm.plane.reconcileOnce();
        String stopId = stop.get().operation().id();
        assertThat(swarm.controller.find("claimed").activeOperation()).isEqualTo(stopId);
        assertThatThrownBy(() -> swarm.controller.delete("claimed", false, Priority.DEFAULT)).isInstanceOf(InstanceBusyException.class)
                .hasMessageContaining("stop operation " + stopId);
        stops.countDown();
        assertThat(await(stop.get()).status()).isEqualTo(OperationStatus.COMPLETED);
        assertThat(swarm.controller.find("claimed").status()).isEqualTo(InstanceStatus.STOPPED);
    }

    private void awaitCompleted(Accepted a) {
        try {
            assertThat(await(a).status()).isEqualTo(OperationStatus.COMPLETED);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    @DisplayName("reconciler: a stopped instance started behind our back is adopted as running")
    void observedStateIsAdopted() throws Exception {
        Instance i = created("revived");
        assertThat(await(swarm.controller.stop("revived", Priority.DEFAULT)).status()).isEqualTo(OperationStatus.COMPLETED);
        swarm.provider.setState(i.id(), ObservedInstance.State.RUNNING);
        assertThat(swarm.plane.reconcileOnce().adopted()).containsExactly("revived->running");
        assertThat(swarm.controller.find("revived").status()).isEqualTo(InstanceStatus.RUNNING);
    }

    @Test
    @DisplayName("reconciler: compute that dies while its instance should run is started again, and says why; a second death waits a backoff")
    void deadComputeIsRestarted() throws Exception {
        withoutBackgroundPasses();
        Instance i = created("crashy");
        swarm.provider.setState(i.id(), ObservedInstance.State.STOPPED);
        assertThat(swarm.plane.reconcileOnce().restarted()).containsExactly("crashy");
        assertThat(await(lastOperation(i)).status()).isEqualTo(OperationStatus.COMPLETED);
        Instance back = swarm.controller.find("crashy");
        assertThat(back.status()).isEqualTo(InstanceStatus.RUNNING);
        assertThat(back.statusReason()).startsWith("restarted at ").contains("stopped while it should run");
        assertThat(swarm.provider.get(i.handle()).orElseThrow().state()).isEqualTo(ObservedInstance.State.RUNNING);

        swarm.provider.setState(i.id(), ObservedInstance.State.STOPPED);
        var again = swarm.plane.reconcileOnce();
        assertThat(again.restarted()).isEmpty();
        assertThat(again.markedFailed()).containsExactly("crashy");
        Instance waiting = swarm.controller.find("crashy");
        assertThat(waiting.status()).isEqualTo(InstanceStatus.FAILED);
        assertThat(waiting.statusReason()).contains("died 2 times in a row, restarting at");
        assertThat(swarm.plane.reconcileOnce().adopted()).as("a failed instance stays failed while it waits").isEmpty();
        assertThat(swarm.provider.get(i.handle()).orElseThrow().state()).isEqualTo(ObservedInstance.State.STOPPED);
    }

    @Test
    @DisplayName("reconciler: with restart policy never, dead compute leaves its instance failed, saying why")
    void restartPolicyNever() throws Exception {
        withoutBackgroundPasses();
        Accepted a = swarm.controller.create(CreateInstance.of(InstanceSpec.of("fragile", "img").withRestartPolicy(RestartPolicy.NEVER)));
        assertThat(await(a).status()).isEqualTo(OperationStatus.COMPLETED);
        swarm.provider.setState(a.instance().id(), ObservedInstance.State.STOPPED);
        var report = swarm.plane.reconcileOnce();
        assertThat(report.restarted()).isEmpty();
        assertThat(report.markedFailed()).containsExactly("fragile");
        Instance dead = swarm.controller.find("fragile");
        assertThat(dead.status()).isEqualTo(InstanceStatus.FAILED);
        assertThat(dead.statusReason()).contains("restart policy is never");
        assertThat(swarm.plane.reconcileOnce().adopted()).isEmpty();
    }

    /** The newest operation on an instance. */
    private Accepted lastOperation(Instance i) {
        return new Accepted(i, swarm.store.operations().list(i.id(), null, 0, 1).items().getFirst());
    }

    @Test
    @DisplayName("recreate is refused, changing nothing, when the instance's volumes are gone; with startEmpty it makes new ones")
    void recreateWithLostVolumes() throws Exception {
        Instance i = created("lost");
        swarm.provider.vanish(i.id());
        swarm.provider.loseVolumes(i.id());
        long operations = swarm.store.operations().list(i.id(), null, 0, 100).total();
        assertThatThrownBy(() -> swarm.controller.recreate("lost", null, false, Priority.DEFAULT)).isInstanceOf(DataGoneException.class)
                .hasMessageContaining("volume(s) workspace is gone").hasMessageContaining("startEmpty=true");
        assertThat(swarm.store.operations().list(i.id(), null, 0, 100).total()).isEqualTo(operations);
        assertThat(swarm.controller.find("lost").activeOperation()).isNull();
        assertThat(swarm.provider.exists(i.id())).isFalse();
        assertThat(await(swarm.controller.recreate("lost", null, true, Priority.DEFAULT)).status()).isEqualTo(OperationStatus.COMPLETED);
        assertThat(swarm.controller.find("lost").status()).isEqualTo(InstanceStatus.RUNNING);
        assertThat(swarm.provider.missingVolumes(i.handle(), i.spec())).isEmpty();
    }

    @Test
    @DisplayName("idle check: an instance deleted while the pass looks at it is skipped, and the pass goes on")
    void idlePassSurvivesADelete() throws Exception {
        for (String n : List.of("idle-a", "idle-b")) {
            assertThat(await(swarm.controller.create(CreateInstance.of(InstanceSpec.of(n, "img").withIdleTimeout(Duration.ofMillis(1))))).status())
                    .isEqualTo(OperationStatus.COMPLETED);
        }
        Instance first = swarm.store.instances().listByProvider("memory").getFirst();
        AtomicReference<Boolean> deleted = new AtomicReference<>(false);
        swarm.provider.onUsage(() -> {
            if (deleted.getAndSet(true)) return;
            swarm.store.instances().delete(first.id()); // as a delete's end does, between the pass's list and its stop
        });
        Thread.sleep(5); // past the 1 ms idle timeout
        var report = swarm.plane.checkIdleOnce();
        String other = first.name().equals("idle-a") ? "idle-b" : "idle-a";
        assertThat(report.stopped()).containsExactly(other);
    }

    @Test
    @DisplayName("reconciler: an operation running past the stuck timeout is failed, never left transitional")
    void stuckOperationsFail() throws Exception {
        swarm.provider.holdCreates(new CountDownLatch(1));
        swarm.controller.create(CreateInstance.of(InstanceSpec.of("stuck", "img")));
        ControllerSettings impatient = Swarm.fastSettings("test-worker").withStuckTimeout(Duration.ZERO);
        Thread.sleep(200);
        try (ControlPlane another = swarm.another(impatient)) {
            assertThat(another.reconcileOnce().markedFailed()).containsExactly("stuck");
        }
        Instance i = swarm.controller.find("stuck");
        assertThat(i.status()).isEqualTo(InstanceStatus.FAILED);
        assertThat(i.statusReason()).contains("did not finish");
        assertThat(i.activeOperation()).isNull();
    }

    @Test
    @DisplayName("scale makes pool-0..N-1 and scales down from the highest ordinal")
    void scale() throws Exception {
        var up = swarm.controller.scale(new SwarmController.ScaleRequest("pool", 3, InstanceSpec.of("x", "img"), null, true, null, null));
        Operation upDone = await(up);
        assertThat(upDone.status()).as("scale-up: %s", upDone).isEqualTo(OperationStatus.COMPLETED);
        // the reconciler converges pools too, so it may have made some members first
        List<String> created = ((OperationResult.Scaled) upDone.result()).created();
        assertThat(created).isSubsetOf("pool-0", "pool-1", "pool-2");
        awaitPool("pool", List.of("pool-0", "pool-1", "pool-2"));
        var down = swarm.controller.scale(new SwarmController.ScaleRequest("pool", 1, null, null, true, null, null));
        assertThat(((OperationResult.Scaled) await(down).result()).deleting()).isEqualTo(List.of("pool-2", "pool-1"));
        awaitPool("pool", List.of("pool-0"));
    }

    /** Waits until the pool's members are exactly {@code names}, all running. */
    private void awaitPool(String pool, List<String> names) throws InterruptedException {
        List<Instance> members = List.of();
        for (int i = 0; i < 200; i++) {
            members = swarm.controller.list(new InstanceQuery(null, null, pool, null, null, 0, 100)).items();
            if (members.stream().map(Instance::name).toList().equals(names) && members.stream().allMatch(m -> m.status() == InstanceStatus.RUNNING)) return;
            Thread.sleep(50);
        }
        assertThat(members).extracting(Instance::name).containsExactlyElementsOf(names);
        assertThat(members).extracting(Instance::status).containsOnly(InstanceStatus.RUNNING);
    }

    @Test
    @DisplayName("kill -9 during an operation: a new server revives it and it completes")
    @Timeout(90)
    void survivesKillDashNine() throws Exception {
        swarm.close();
        swarm = null;
        DatabaseSettings db = database(tmp);
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), CrashingServer.class.getName(), db.url(), db.user(),
                db.password(), "phoenix").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String opId;
        try (var out = new BufferedReader(new InputStreamReader(child.getInputStream()))) {
            opId = out.readLine();
            assertThat(opId).startsWith("op-");
            // wait until the doomed server has picked it up
            try (Database peek = Database.open(db)) {
                untilProcessing(peek.store().operations(), opId);
            } catch (RuntimeException h2Locked) {
                Thread.sleep(1000); // H2 file mode allows one process; give the child time to pick it
            }
            child.destroyForcibly(); // SIGKILL
            child.waitFor();
        }
        swarm = new Swarm(db, "successor", Swarm.fastSettings("successor")).start();
        Operation done = swarm.waiter.await(opId, Duration.ofSeconds(60)).operation();
        assertThat(done.status()).isEqualTo(OperationStatus.COMPLETED);
        assertThat(done.worker()).isEqualTo("successor");
        assertThat(done.attempts()).isGreaterThanOrEqualTo(2);
        assertThat(swarm.controller.find("phoenix").status()).isEqualTo(InstanceStatus.RUNNING);
    }
}
