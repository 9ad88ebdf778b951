package io.devswarm.core.controller;

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
 * Lets a caller block until an operation ends. Operations run here complete the wait at once;
 * ones run by another server are seen by polling the store.
 */
public final class OperationWaiter {
    private static final long POLL_MILLIS = 250;

    private final OperationStore operations;
    private final Map<String, CompletableFuture<Operation>> waiting = new ConcurrentHashMap<>();

    public OperationWaiter(OperationStore operations) {
        this.operations = operations;
    }

    /** Called by the runner when an operation reaches a terminal status. */
    void finished(Operation operation) {
        CompletableFuture<Operation> f = waiting.remove(operation.id());
        if (f != null) f.complete(operation);
    }

    /** The operation once terminal, or as it stands when {@code timeout} passes. */
    public Operation await(String operationId, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        CompletableFuture<Operation> future = waiting.computeIfAbsent(operationId, k -> new CompletableFuture<>());
        try {
            while (true) {
                Operation current = operations.find(operationId).orElseThrow(() -> new NotFoundException("operation", operationId));
                if (current.status().isTerminal()) return current;
                long left = deadline - System.nanoTime();
                if (left <= 0) return current;
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
