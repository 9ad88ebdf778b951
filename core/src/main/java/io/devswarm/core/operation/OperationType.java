package io.devswarm.core.operation;

/** What an operation does. Lifecycle types own their instance while they run; exec does not. */
public enum OperationType {
    CREATE, START, STOP, RESTART, DELETE, EXEC, SCALE,
    /** Replace the compute with a new one from the (possibly new) image; persistent volumes are kept. */
    RECREATE;

    /** Whether the operation holds the instance exclusively (a second lifecycle request gets 409). */
    public boolean claimsInstance() {
        return this != EXEC && this != SCALE;
    }

    /**
     * Whether it runs at most once: a command may not be idempotent, so it is never scheduled, retried
     * or run again after a crash (the reconciler marks one a dead server left unfinished as interrupted).
     */
    public boolean atMostOnce() {
        return this == EXEC;
    }
}
