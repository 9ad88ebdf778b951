package io.devswarm.core.operation;

/**
 * An operation's write was refused because the stored operation is no longer at the attempt that
 * made it: its lease ran out and another server started it again, or it was ended meanwhile (the
 * reconciler failed it as stuck). The attempt number is the fencing token: a server that was paused
 * past its lease and comes back can no longer overwrite what the attempt after it wrote.
 */
public final class LeaseLostException extends RuntimeException {
    public LeaseLostException(Operation operation) {
        super("operation " + operation.id() + " is no longer at attempt " + operation.attempts() + ": another server took it over, or it ended");
    }
}
