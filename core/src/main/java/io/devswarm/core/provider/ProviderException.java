package io.devswarm.core.provider;

/**
 * A provider call that did not succeed. {@link Kind} tells the controller what to do next:
 * retry with backoff ({@link #isTransient()}), or fail the operation with this message,
 * which is written for the user and never carries secrets.
 */
public class ProviderException extends RuntimeException {
    public enum Kind {
        /** The substrate cannot be reached or is overloaded; worth retrying. */
        UNAVAILABLE(true),
        /** Rate limit, lease held, capacity busy: worth retrying later. */
        BUSY(true),
        /** The resource does not exist on the substrate. */
        NOT_FOUND(false),
        /** The substrate refuses the request as given (bad image, quota, permission). */
        REJECTED(false),
        /** The call did not finish in time; the outcome is unknown. */
        TIMEOUT(true);

        private final boolean retryable;

        Kind(boolean retryable) {
            this.retryable = retryable;
        }
    }

    private final Kind kind;

    public ProviderException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public ProviderException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    public boolean isTransient() {
        return kind.retryable;
    }
}
