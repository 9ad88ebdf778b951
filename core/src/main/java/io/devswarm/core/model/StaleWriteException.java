package io.devswarm.core.model;

/**
 * A versioned write found the record changed since it was read (optimistic locking) and wrote
 * nothing. Reading the record again and judging the change on it is the remedy, which is why
 * retry loops catch exactly this type.
 */
public final class StaleWriteException extends ConflictException {
    public StaleWriteException(String message) {
        super(message);
    }
}
