package io.devswarm.core.model;

/**
 * The request is valid but clashes with the current state. Each kind of clash is its own type: a
 * caller that means one kind (a write retried after a stale read) catches exactly that one, a
 * caller that means any clash catches this class, and the API tells clients which kind it was.
 */
public abstract sealed class ConflictException extends RuntimeException
        permits NameTakenException, AlreadyExistsException, InstanceBusyException, InvalidStateException, StaleWriteException, DataGoneException,
        ProviderUnavailableException, CapabilityMissingException {
    ConflictException(String message) {
        super(message);
    }
}
