package io.devswarm.core.controller;

import io.devswarm.core.model.Instance;
import io.devswarm.core.model.NotFoundException;
import io.devswarm.core.operation.Operation;
import io.devswarm.core.store.OperationStore;
import java.time.Duration;
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

    private final OperationStore operations;
    private final Map<String, CompletableFuture<Ended>> waiting = new ConcurrentHashMap<>();

    /**
     * An operation as it ended, or as it stood when the wait ran out; and the instance as this
     * server's runner last wrote it for the operation, or null when it did not (another server ran
     * it, the instance is gone, or the wait did not see the end): then read it.
     */
    public record Ended(Operation operation, Instance instance) {}

    public OperationWaiter(OperationStore operations) {
        this.operations = operations;
    }

    /** Called by the runner when an operation reaches a terminal status; {@code instance} as it left it, or null. */
    void finished(Operation operation, Instance instance) {
        CompletableFuture<Ended> f = waiting.remove(operation.id());
        if (f != null) f.complete(new Ended(operation, instance));
    }

    /** The operation once terminal, or as it stands when {@code timeout} passes. */
    public Operation await(String operationId, Duration timeout) throws InterruptedException {
        return awaitEnd(operationId, timeout).operation();
    }

    /** As {@link #await}, with the instance the operation left when this server ran it. */
    public Ended awaitEnd(String operationId, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        CompletableFuture<Ended> future = waiting.computeIfAbsent(operationId, k -> new CompletableFuture<>());
        try {
            while (true) {
                Operation current = operations.find(operationId).orElseThrow(() -> new NotFoundException("operation", operationId));
                if (current.status().isTerminal()) return new Ended(current, null);
                long left = deadline - System.nanoTime();
                if (left <= 0) return new Ended(current, null);
                try {
                    return future.get(Math.min(TimeUnit.NANOSECONDS.toMillis(left) + 1, POLL_MILLIS), TimeUnit.MILLISECONDS);
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
