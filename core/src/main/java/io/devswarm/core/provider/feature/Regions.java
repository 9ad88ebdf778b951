package io.devswarm.core.provider.feature;

import java.util.List;

/**
 * A substrate spread over regions (Fly.io), where each instance runs in one of them; how an
 * instance picks its region is the provider's own (Fly: metadata {@code fly.region}).
 */
public interface Regions {

    /** The regions this provider is configured with, the one instances get by default first; never empty. */
    List<String> regions();
}
