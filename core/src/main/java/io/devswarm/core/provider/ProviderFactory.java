package io.devswarm.core.provider;

/**
 * Makes one kind of provider. Factories are found with {@link java.util.ServiceLoader}: a
 * provider module lists its factory in {@code META-INF/services/io.devswarm.core.provider.ProviderFactory}
 * and no other module changes.
 */
public interface ProviderFactory {

    /** The name users select the provider by. */
    String name();

    /**
     * Whether this provider can work with these settings on this machine, and if not, why
     * (missing token, no socket). Cheap: no network calls that can hang.
     */
    Availability availability(ProviderContext context);

    Provider create(ProviderContext context);

    record Availability(boolean available, String reason) {
        public static Availability yes() {
            return new Availability(true, "ok");
        }

        public static Availability no(String reason) {
            return new Availability(false, reason);
        }
    }
}
