package io.devswarm.server.system;

import io.devswarm.core.activity.ActivityTracker;
import io.devswarm.core.controller.OperationWaiter;
import io.devswarm.core.controller.SwarmController;
import io.devswarm.core.provider.ProviderRegistry;
import io.devswarm.core.secrets.SecretService;
import io.devswarm.core.store.Store;
import io.devswarm.ssh.GatewaySettings;
import io.devswarm.ssh.SshGateway;
import java.time.Clock;
import java.time.Duration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The SSH gateway as part of the server (devswarm.ssh.enabled=false turns it off). */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "devswarm.ssh.enabled", havingValue = "true", matchIfMissing = true)
class SshConfiguration {

    @Bean(destroyMethod = "close")
    SshGateway sshGateway(DevswarmProperties props, Store store, SwarmController controller, OperationWaiter waiter, ProviderRegistry providers,
                          ActivityTracker activity, SecretService secrets, Clock clock) {
        DevswarmProperties.Ssh ssh = props.ssh();
        GatewaySettings settings = new GatewaySettings(ssh.address(), ssh.port(), props.home().resolve("ssh_host_ed25519_key"), ssh.instanceUser(),
                Duration.ofMinutes(3), Duration.ofSeconds(30));
        return new SshGateway(settings, store, controller, waiter, providers, activity, secrets, clock);
    }

    /** Starts listening once the context is up; stopping drops sessions cleanly. */
    @Bean
    SmartLifecycle sshGatewayLifecycle(SshGateway gateway) {
        return new SmartLifecycle() {
            private volatile boolean running;

            @Override
            public void start() {
                try {
                    gateway.start();
                    running = true;
                } catch (java.io.IOException e) {
                    throw new IllegalStateException("ssh gateway cannot listen: " + e.getMessage(), e);
                }
            }

            @Override
            public void stop() {
                try {
                    gateway.close();
                } catch (java.io.IOException ignored) {
                    // stopping anyway
                }
                running = false;
            }

            @Override
            public boolean isRunning() {
                return running;
            }
        };
    }
}
