package io.devswarm.core.provider.feature;

import io.devswarm.core.model.InstanceHandle;
import io.devswarm.core.model.Resources;

/**
 * Changing the CPU and memory of an existing instance without re-creating it: Docker updates the
 * container in place, Kubernetes and Fly.io restart the pod or machine with the new size and keep
 * its volumes. Without it, an instance keeps the resources it was created with.
 */
public interface LiveResize {

    /** Applies {@code resources} to the instance, running or stopped; repeating it changes nothing more. */
    void allocateResources(InstanceHandle instance, Resources resources);
}
