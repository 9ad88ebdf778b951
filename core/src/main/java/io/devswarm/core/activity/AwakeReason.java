package io.devswarm.core.activity;

import java.util.Locale;

/** What last kept an instance awake. */
public enum AwakeReason {
    /** An SSH session is open (traffic or not). */
    SSH_SESSION,
    /** Bytes moved through a forwarded port. */
    FORWARDED_TRAFFIC,
    /** A command ran through the API. */
    EXEC,
    /** Something inside used the CPU (a build, an agent) with no one connected. */
    CPU,
    /** It was just started. */
    START;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
