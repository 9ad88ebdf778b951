package io.devswarm.core.model;

/** Another operation holds the instance; the request may succeed once that operation has ended. */
public final class InstanceBusyException extends ConflictException {
    public InstanceBusyException(String message) {
        super(message);
    }
}
