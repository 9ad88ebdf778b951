package io.devswarm.server.operations;

import io.devswarm.core.model.InvalidSpecException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the {@code timeout} query parameter, "90s", "5m", "250ms" or ISO-8601 ("PT1M"), into how
 * long a request may wait: 0 to {@link #MAX_WAIT}. Routes parse it before they change anything,
 * so a bad value is refused (422, naming the field) with nothing done.
 */
public final class Timeouts {
    public static final Duration MAX_WAIT = Duration.ofMinutes(10);
    // nine digits are over ten minutes in any unit: longer numbers are refused, never overflowed
    private static final Pattern SIMPLE = Pattern.compile("(\\d{1,9})(ms|s|m)?");

    private Timeouts() {}

    /** The wait {@code value} asks for; {@code fallback} (at most {@link #MAX_WAIT}) when absent. */
    public static Duration parse(String value, Duration fallback) {
        if (value == null || value.isBlank()) return fallback.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : fallback;
        Duration wait = read(value.trim());
        if (wait.isNegative() || wait.compareTo(MAX_WAIT) > 0) throw invalid();
        return wait;
    }

    private static Duration read(String value) {
        Matcher m = SIMPLE.matcher(value);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2) == null ? "s" : m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofSeconds(n);
            };
        }
        try {
            return Duration.parse(value);
        } catch (RuntimeException e) {
            throw invalid();
        }
    }

    private static InvalidSpecException invalid() {
        return new InvalidSpecException("timeout", "must be a wait from 0s to " + MAX_WAIT.toMinutes() + "m, written like 90s, 5m or PT1M");
    }
}
