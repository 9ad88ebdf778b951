package io.devswarm.server.operations;

import io.devswarm.core.model.InvalidSpecException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the {@code timeout} query parameter: "90s", "5m", "250ms" or ISO-8601 ("PT1M"). */
public final class Timeouts {
    private static final Pattern SIMPLE = Pattern.compile("(\\d+)(ms|s|m)?");

    private Timeouts() {}

    public static Duration parse(String value, Duration fallback) {
        if (value == null || value.isBlank()) return fallback;
        Matcher m = SIMPLE.matcher(value.trim());
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2) == null ? "s" : m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofSeconds(n);
            };
        }
        try {
            return Duration.parse(value.trim());
        } catch (RuntimeException e) {
            throw new InvalidSpecException("timeout", "must look like 90s, 5m or PT1M");
        }
    }
}
