package io.devswarm.core.model;

/** The instance's provider cannot do what is asked (its capabilities say so): retrying will not help. */
public final class CapabilityMissingException extends ConflictException {
    public CapabilityMissingException(String message) {
        super(message);
    }
}
