package io.devswarm.core.provider;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * One provider's settings, {@code devswarm.providers.<name>.*}, read the way every provider module
 * reads them: each value typed, a default when it is absent or blank, and a bad value refused with
 * an error that names the whole key, so a mistake in a server's configuration says where it is.
 * A provider binds them once, into its own settings record, in that record's
 * {@code from(ProviderContext)}.
 */
public final class ProviderSettings {
    private final String prefix;
    private final Map<String, String> values;
    private final Function<String, String> environment;

    /**
     * @param name        the provider's name, as in {@code devswarm.providers.<name>.*}
     * @param values      its settings, the prefix removed
     * @param environment the process's environment variables by name (null when unset), for keys
     *                    that fall back to a variable the substrate's own tools read
     */
    public ProviderSettings(String name, Map<String, String> values, Function<String, String> environment) {
        this.prefix = "devswarm.providers." + Objects.requireNonNull(name, "name") + ".";
        this.values = Map.copyOf(values);
        this.environment = Objects.requireNonNull(environment, "environment");
    }

    /** The settings of provider {@code name} that {@code context} carries, with the process environment. */
    public static ProviderSettings of(String name, ProviderContext context) {
        return new ProviderSettings(name, context.settings(), System::getenv);
    }

    /** {@code key} as a server's configuration spells it: {@code devswarm.providers.fly.region}. */
    public String key(String key) {
        return prefix + key;
    }

    /** The value of {@code key}, or empty when it is absent or blank. */
    public Optional<String> text(String key) {
        return nonBlank(values.get(key));
    }

    public String text(String key, String defaultValue) {
        return text(key).orElse(defaultValue);
    }

    /** The environment variable {@code name} (DOCKER_HOST, FLY_API_TOKEN), or empty when it is unset or blank. */
    public Optional<String> env(String name) {
        return nonBlank(environment.apply(name));
    }

    /** One of {@code allowed}, the first being what the error lists first. */
    public String oneOf(String key, String defaultValue, String... allowed) {
        String value = text(key, defaultValue);
        if (!List.of(allowed).contains(value)) throw invalid(key, "'" + value + "' is not one of " + String.join(", ", allowed));
        return value;
    }

    /** A whole number from {@code min} to {@code max}. */
    public int number(String key, int defaultValue, int min, int max) {
        return text(key).map(v -> whole(key, v, min, max, "a whole number")).orElse(defaultValue);
    }

    /** A whole number of seconds, at least one. */
    public Duration seconds(String key, Duration defaultValue) {
        return text(key).map(v -> Duration.ofSeconds(whole(key, v, 1, Integer.MAX_VALUE, "a whole number of seconds"))).orElse(defaultValue);
    }

    private int whole(String key, String value, int min, int max, String what) {
        try {
            int n = Integer.parseInt(value.strip());
            if (n >= min && n <= max) return n;
        } catch (NumberFormatException e) {
            // said below, with the range
        }
        throw invalid(key, "'" + value + "' is not " + what + " (" + (max == Integer.MAX_VALUE ? "at least " + min : min + " to " + max) + ")");
    }

    /** {@code true} or {@code false}, in any case. */
    public boolean flag(String key, boolean defaultValue) {
        Optional<String> value = text(key);
        if (value.isEmpty()) return defaultValue;
        return switch (value.get().strip().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw invalid(key, "'" + value.get() + "' is not true or false");
        };
    }

    /** An absolute URI such as {@code https://api.machines.dev/v1} or {@code unix:///var/run/docker.sock}. */
    public URI uri(String key, String defaultValue) {
        return absolute(key, text(key, defaultValue));
    }

    /** As {@link #uri(String, String)}, empty when {@code key} is not set. */
    public Optional<URI> uri(String key) {
        return text(key).map(v -> absolute(key, v));
    }

    private URI absolute(String key, String value) {
        try {
            URI uri = new URI(value);
            if (uri.isAbsolute()) return uri;
        } catch (URISyntaxException e) {
            // said below
        }
        throw invalid(key, "'" + value + "' is not an absolute URI");
    }

    /** An error about {@code key}'s value, for the checks a provider makes itself; {@code problem} says what is wrong. */
    public IllegalArgumentException invalid(String key, String problem) {
        return new IllegalArgumentException(key(key) + ": " + problem);
    }

    private static Optional<String> nonBlank(String value) {
        return Optional.ofNullable(value).filter(v -> !v.isBlank());
    }
}
