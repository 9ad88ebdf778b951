package io.devswarm.core.access;

/** The caller is known but their roles do not allow this action (403). */
public final class ForbiddenException extends RuntimeException {
    public ForbiddenException(String message) {
        super(message);
    }
}
