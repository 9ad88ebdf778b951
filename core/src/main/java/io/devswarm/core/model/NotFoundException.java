package io.devswarm.core.model;

/** The named thing does not exist (or the caller may not know that it does). */
public final class NotFoundException extends RuntimeException {
    public NotFoundException(String kind, String id) {
        super(kind + " '" + id + "' not found");
    }
}
