package io.devswarm.core.model;

/**
 * What is asked does not fit the state its target is in (exec on an instance that is not running,
 * a change to an instance being deleted, removing the last admin); the state must change first.
 */
public final class InvalidStateException extends ConflictException {
    public InvalidStateException(String message) {
        super(message);
    }
}
