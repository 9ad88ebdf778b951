package io.devswarm.core.provider.feature;

import io.devswarm.core.model.InstanceHandle;

/**
 * Pausing an instance with its memory kept (a Fly.io machine's suspend), so the next
 * {@link io.devswarm.core.provider.Provider#start start} resumes it where it was instead of
 * booting it. While suspended, the instance is observed as
 * {@link io.devswarm.core.provider.ObservedInstance.State#SUSPENDED}.
 */
public interface Suspend {

    /** Suspends the running instance; no-op when it is already suspended or stopped. */
    void suspend(InstanceHandle instance);
}
