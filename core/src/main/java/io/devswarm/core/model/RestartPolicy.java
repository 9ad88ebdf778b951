package io.devswarm.core.model;

import java.util.Locale;

/** What the reconciler does when an instance's compute dies while the instance should run. */
public enum RestartPolicy {
    /** Start it again, with backoff between repeated deaths. */
    ALWAYS,
    /** Leave it failed, saying why, until someone starts it. */
    NEVER;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The policy named {@code value} ("always", "never"), or {@link InvalidSpecException} naming {@code field}. */
    public static RestartPolicy parse(String value, String field) {
        for (RestartPolicy p : values()) {
            if (p.wireName().equals(value)) return p;
        }
        throw new InvalidSpecException(field, "must be always or never");
    }
}
