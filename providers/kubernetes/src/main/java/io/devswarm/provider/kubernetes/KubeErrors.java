package io.devswarm.provider.kubernetes;

import io.devswarm.core.provider.ProviderException;
import io.devswarm.core.provider.ProviderException.Kind;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.function.Supplier;

/** Kubernetes API failures as devswarm provider errors, saying what to fix. */
final class KubeErrors {
    private KubeErrors() {}

    static <T> T call(String what, String namespace, Supplier<T> work) {
        try {
            return work.get();
        } catch (ProviderException e) {
            throw e;
        } catch (KubernetesClientException e) {
            throw translate(what, namespace, e);
        }
    }

    static ProviderException translate(String what, String namespace, KubernetesClientException e) {
        String reason = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage();
        return switch (e.getCode()) {
            // the API server's message names verb, resource and group: exactly the missing permission
            case 403 -> new ProviderException(Kind.REJECTED, what + ": forbidden by RBAC in namespace " + namespace + ": " + reason
                    + " (grant it in the provider's Role; see deploy/kubernetes/provider-rbac.yaml)", e);
            case 401 -> new ProviderException(Kind.REJECTED, what + ": the cluster refused our credentials: " + reason, e);
            case 404 -> new ProviderException(Kind.NOT_FOUND, what + ": " + reason, e);
            case 409, 429 -> new ProviderException(Kind.BUSY, what + ": " + reason, e);
            case 400, 422 -> new ProviderException(Kind.REJECTED, what + ": " + reason, e);
            default -> new ProviderException(Kind.UNAVAILABLE, what + ": cluster unreachable or failing (" + (e.getCode() == 0 ? rootCause(e) : "HTTP "
                    + e.getCode() + " " + reason) + ")", e);
        };
    }

    private static String rootCause(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null) c = c.getCause();
        return c.getClass().getSimpleName() + (c.getMessage() == null ? "" : ": " + c.getMessage());
    }
}
