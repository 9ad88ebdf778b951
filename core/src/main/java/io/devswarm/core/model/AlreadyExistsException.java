package io.devswarm.core.model;

/** A record with the same unique key exists already (a user, an SSH key): the store refused a second one. */
public final class AlreadyExistsException extends ConflictException {
    public AlreadyExistsException(String message) {
        super(message);
    }
}
