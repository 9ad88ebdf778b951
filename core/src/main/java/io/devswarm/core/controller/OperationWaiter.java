package io.devswarm.core.controller;

import io.devswarm.core.model.Instance;
import io.devswarm.core.model.NotFoundException;
import io.devswarm.core.operation.Operation;
import io.devswarm.core.store.OperationStore;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Lets a caller block until an operation ends. Operations run here complete the wait at once,
 * with the instance as the operation wrote it, so the answer need not read it back; ones run by
 * another server are seen by polling the store.
 */
public final class OperationWaiter {
    private static final long POLL_MILLIS = 250;
    /** How many ends are kept for waits that begin just after them; a wait whose end was dropped reads it at its next poll. */
    private static final int RECENT_ENDS = 256;

    private final OperationStore operations;
    private final Map<String, CompletableFuture<Ended>> waiting = new ConcurrentHashMap<>();
    /** Operations that ended here lately, oldest dropped first, for waits that begin just after. */
    private final Map<String, Ended> recent = Collections.synchronizedMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Ended> eldest) {
            return size() > RECENT_ENDS;
        }
    });

    /**
     * An operation as it ended, or as it stood when the wait ran out; and the instance as this
     * server's runner last wrote it for the operation, or null when it did not (another server ran
     * it, the instance is gone, or the wait did not see the end): then read it.
     */
    public record Ended(Operation operation, Instance instance) {}

    OperationWaiter(OperationStore operations) {
        this.operations = operations;
    }

    /** Called by the runner when an operation reaches a terminal status; {@code instance} as it left it, or null. */
    void finished(Operation operation, Instance instance) {
        Ended ended = new Ended(operation, instance);
        // kept before waiters are looked up: a wait registered after that lookup finds it here
        recent.put(operation.id(), ended);
        CompletableFuture<Ended> f = waiting.remove(operation.id());
        if (f != null) f.complete(ended);
    }

    /** Called as this server begins to run an operation: a wait for it need not read the store first. */
    void expect(String operationId) {
        waiting.putIfAbsent(operationId, new CompletableFuture<>());
    }

    /** Called as this server's run of an operation returns, ended or not (taken over by another server). */
    void forget(String operationId) {
        waiting.remove(operationId);
    }

    /**
     * The operation once terminal, or as it stands when {@code timeout} passes; with the instance as
     * it left it when this server ran it. An operation this server runs, or ran a moment ago, is found
     * without reading the store; any other is read at once and then at each poll (another server may
     * run it).
     */
    public Ended await(String operationId, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Ended justEnded = recent.remove(operationId);
        if (justEnded != null) return justEnded;
        CompletableFuture<Ended> registered = new CompletableFuture<>();
        CompletableFuture<Ended> expected = waiting.putIfAbsent(operationId, registered);
        CompletableFuture<Ended> future = expected != null ? expected : registered;
        try {
            for (boolean read = expected == null; ; read = true) {
                long left = deadline - System.nanoTime();
                if (read || left <= 0) {
                    Operation current = operations.find(operationId).orElseThrow(() -> new NotFoundException("operation", operationId));
                    if (current.status().isTerminal() || left <= 0) return new Ended(current, null);
                }
                try {
                    Ended ended = future.get(Math.min(TimeUnit.NANOSECONDS.toMillis(left) + 1, POLL_MILLIS), TimeUnit.MILLISECONDS);
                    recent.remove(operationId);
                    return ended;
                } catch (TimeoutException poll) {
                    // another server may be running it: look at the store again
                } catch (ExecutionException e) {
                    throw new IllegalStateException(e.getCause());
                }
            }
        } finally {
            waiting.remove(operationId, future);
        }
    }
}
