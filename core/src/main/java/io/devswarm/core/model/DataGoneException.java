package io.devswarm.core.model;

/**
 * Persistent volumes an instance needs were removed outside devswarm, so going on would silently
 * replace its data with empty volumes; the caller has to ask for that explicitly.
 */
public final class DataGoneException extends ConflictException {
    public DataGoneException(String message) {
        super(message);
    }
}
