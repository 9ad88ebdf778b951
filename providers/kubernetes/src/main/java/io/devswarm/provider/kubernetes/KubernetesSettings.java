package io.devswarm.provider.kubernetes;

import io.devswarm.core.provider.ProviderContext;
import io.devswarm.core.provider.ProviderSettings;
import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings of the Kubernetes provider, {@code devswarm.providers.kubernetes.*}. Without a
 * {@code master-url}, the client finds its cluster as kubectl does: through the kubeconfig or,
 * inside a cluster, the pod's service account.
 *
 * @param namespace    {@code namespace} (devenv): where the instances' objects are made
 * @param context      {@code context}: the kubeconfig context to use; null = its current one
 * @param masterUrl    {@code master-url}: the API server, instead of a kubeconfig; null = none
 * @param storageClass {@code storage-class}: of the volume claims; null = the cluster's default
 * @param startTimeout {@code start-timeout} (300, seconds): how long a start waits for the pod to be ready
 * @param kubeconfig   the kubeconfig the client reads without a {@code master-url}: the first of $KUBECONFIG, else ~/.kube/config
 * @param inCluster    whether this server runs in a pod (KUBERNETES_SERVICE_HOST is set), where the service account reaches the cluster
 */
record KubernetesSettings(String namespace, String context, URI masterUrl, String storageClass, Duration startTimeout, Path kubeconfig,
                          boolean inCluster) {

    static KubernetesSettings from(ProviderContext context) {
        ProviderSettings s = ProviderSettings.of(KubernetesProvider.NAME, context);
        Path kubeconfig = s.env("KUBECONFIG").map(v -> Path.of(v.split(File.pathSeparator)[0]))
                .orElseGet(() -> Path.of(System.getProperty("user.home"), ".kube", "config"));
        return new KubernetesSettings(s.text("namespace", "devenv"), s.text("context").orElse(null), s.uri("master-url").orElse(null),
                s.text("storage-class").orElse(null), s.seconds("start-timeout", Duration.ofSeconds(300)), kubeconfig,
                s.env("KUBERNETES_SERVICE_HOST").isPresent());
    }

    /** Why the provider cannot find a cluster with these settings, or null when it may. */
    String problem() {
        if (masterUrl != null || inCluster || Files.isReadable(kubeconfig)) return null;
        return "no kubeconfig at " + kubeconfig + " ($KUBECONFIG), not inside a cluster, and no devswarm.providers.kubernetes.master-url";
    }
}
