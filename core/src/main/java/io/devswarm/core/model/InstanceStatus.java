package io.devswarm.core.model;

import java.util.Locale;

/** Observed lifecycle state of an instance. The transitional ones always have an operation in flight. */
public enum InstanceStatus {
    CREATING, STARTING, RUNNING, STOPPING, STOPPED, FAILED, DELETING, DELETED;

    public boolean isTransitional() {
        return this == CREATING || this == STARTING || this == STOPPING || this == DELETING;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
