package io.devswarm.core.model;

/** No provider that could take the request is healthy right now; it may succeed once one is. */
public final class ProviderUnavailableException extends ConflictException {
    public ProviderUnavailableException(String message) {
        super(message);
    }
}
