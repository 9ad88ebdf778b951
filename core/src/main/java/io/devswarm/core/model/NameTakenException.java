package io.devswarm.core.model;

/** An instance of the requested name exists already; another name, or a delete of that instance first, resolves it. */
public final class NameTakenException extends ConflictException {
    public NameTakenException(String instanceName) {
        super("instance name '" + instanceName + "' is already taken");
    }
}
