package io.devswarm.server.instances;

import io.devswarm.core.access.AccessPolicy;
import io.devswarm.core.access.Caller;
import io.devswarm.core.activity.ActivityTracker;
import io.devswarm.core.model.Instance;
import java.time.Clock;
import org.springframework.stereotype.Component;

/** Makes {@link InstanceView}s with the activity this server tracks. */
@Component
public class InstanceViews {
    private final ActivityTracker activity;
    private final Clock clock;

    InstanceViews(ActivityTracker activity, Clock clock) {
        this.activity = activity;
        this.clock = clock;
    }

    public InstanceView of(Instance instance) {
        return InstanceView.of(instance, activity, clock.instant());
    }

    /** The view this caller may see: viewers get status only. */
    public InstanceView of(Instance instance, Caller caller) {
        InstanceView view = of(instance);
        return AccessPolicy.readsDetails(caller) ? view : view.statusOnly();
    }
}
