package io.devswarm.core.model;

/** The request is valid but clashes with the current state: a name in use, an operation in flight, a stale version. */
public final class ConflictException extends RuntimeException {
    public ConflictException(String message) {
        super(message);
    }
}
