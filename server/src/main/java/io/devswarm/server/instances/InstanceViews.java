package io.devswarm.server.instances;

import io.devswarm.core.access.AccessPolicy;
import io.devswarm.core.access.Caller;
import io.devswarm.core.activity.ActivityTracker;
import io.devswarm.core.model.Instance;
import io.devswarm.server.system.DevswarmProperties;
import io.devswarm.ssh.SshGateway;
import java.time.Clock;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/** Makes {@link InstanceView}s with the activity this server tracks and the way in over SSH. */
@Component
public class InstanceViews {
    private final ActivityTracker activity;
    private final Clock clock;
    private final ObjectProvider<SshGateway> gateway;
    private final DevswarmProperties.Ssh ssh;

    InstanceViews(ActivityTracker activity, Clock clock, ObjectProvider<SshGateway> gateway, DevswarmProperties props) {
        this.activity = activity;
        this.clock = clock;
        this.gateway = gateway;
        this.ssh = props.ssh();
    }

    public InstanceView of(Instance instance) {
        return InstanceView.of(instance, activity, clock.instant(), sshAccess(instance));
    }

    /** The view this caller may see: viewers get status only. */
    public InstanceView of(Instance instance, Caller caller) {
        InstanceView view = of(instance);
        return AccessPolicy.readsDetails(caller) ? view : view.statusOnly();
    }

    private SshAccess sshAccess(Instance instance) {
        SshGateway g = gateway.getIfAvailable();
        if (g == null || !g.isStarted()) return null;
        return SshAccess.of(instance.name(), host(), g.port(), g.hostKey(), g.hostKeyFingerprint());
    }

    /** The host the caller reached the API by (the gateway runs beside it), else the gateway's own address. */
    private String host() {
        return Optional.ofNullable(RequestContextHolder.getRequestAttributes())
                .filter(ServletRequestAttributes.class::isInstance)
                .map(a -> ((ServletRequestAttributes) a).getRequest().getServerName())
                .orElse(ssh.address().equals("0.0.0.0") ? "localhost" : ssh.address());
    }
}
