package io.devswarm.provider.kubernetes;

import io.devswarm.core.provider.Provider;
import io.devswarm.core.provider.ProviderContext;
import io.devswarm.core.provider.ProviderFactory;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings ({@code devswarm.providers.kubernetes.*}): {@code namespace} (default devenv),
 * {@code context} (a kubeconfig context), {@code master-url} (instead of a kubeconfig),
 * {@code storage-class}, {@code start-timeout} (seconds, default 300). The client reads the
 * kubeconfig ($KUBECONFIG or ~/.kube/config) or, inside a cluster, the service account.
 */
public final class KubernetesProviderFactory implements ProviderFactory {
    @Override
    public String name() {
        return "kubernetes";
    }

    @Override
    public Availability availability(ProviderContext context) {
        if (context.setting("master-url").isPresent()) return Availability.yes();
        if (System.getenv("KUBERNETES_SERVICE_HOST") != null) return Availability.yes();
        String kubeconfig = System.getenv("KUBECONFIG");
        Path file = kubeconfig != null && !kubeconfig.isBlank() ? Path.of(kubeconfig.split(java.io.File.pathSeparator)[0])
                : Path.of(System.getProperty("user.home"), ".kube", "config");
        if (Files.isReadable(file)) return Availability.yes();
        return Availability.no("no kubeconfig at " + file + " ($KUBECONFIG), not inside a cluster, and no devswarm.providers.kubernetes.master-url");
    }

    @Override
    public Provider create(ProviderContext context) {
        Config base = context.setting("master-url").isPresent()
                ? new ConfigBuilder().withMasterUrl(context.setting("master-url").get()).build()
                : Config.autoConfigure(context.setting("context").orElse(null));
        Config config = new ConfigBuilder(base).withRequestTimeout(30_000).withConnectionTimeout(5_000).build();
        return new KubernetesProvider(new KubernetesClientBuilder().withConfig(config).build(), context.setting("namespace", "devenv"), context.installationId(),
                context.setting("storage-class").orElse(null), Duration.ofSeconds(Long.parseLong(context.setting("start-timeout", "300"))), context.clock());
    }
}
