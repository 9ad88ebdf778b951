package io.devswarm.provider.kubernetes;

import io.devswarm.core.model.InstanceSpec;
import io.devswarm.core.model.NetworkSpec;
import io.devswarm.core.model.Resources;
import io.devswarm.core.model.VolumeSpec;
import io.devswarm.core.model.InstanceHandle;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRuleBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Kubernetes objects of one instance, as seed 003 runs a developer environment: a one-replica
 * StatefulSet whose volume claim templates keep the data across restarts, a headless Service, a
 * Secret with the environment, and a NetworkPolicy. Pure functions of the spec: easy to assert.
 */
final class Manifests {
    static final String CONTAINER = "workspace";
    static final int UID = 1000;
    /** Seed 003's extra volumes, added unless the spec names its own. */
    static final List<VolumeSpec> DEFAULT_EXTRA_VOLUMES = List.of(new VolumeSpec("history", 1, true, "/commandhistory"),
            new VolumeSpec("config", 1, true, "/home/developer/.config"));
    private static final List<String> PRIVATE_RANGES = List.of("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16");

    private final String namespace;
    private final String storageClass;

    Manifests(String namespace, String storageClass) {
        this.namespace = namespace;
        this.storageClass = storageClass;
    }

    static String statefulSet(InstanceHandle h) {
        return h.name();
    }

    static String pod(InstanceHandle h) {
        return h.name() + "-0";
    }

    static String secret(InstanceHandle h) {
        return h.name() + "-env";
    }

    static String networkPolicy(InstanceHandle h) {
        return h.name() + "-isolation";
    }

    /** The spec's volumes, plus history and tool config when it asked only for the workspace. */
    static List<VolumeSpec> volumes(InstanceSpec spec) {
        List<VolumeSpec> out = new ArrayList<>(spec.storage());
        for (VolumeSpec extra : DEFAULT_EXTRA_VOLUMES) {
            if (out.stream().noneMatch(v -> v.volumeName().equals(extra.volumeName()) || v.mountPath().equals(extra.mountPath()))) out.add(extra);
        }
        return out;
    }

    Secret envSecret(InstanceHandle h, Map<String, String> labels, InstanceSpec spec) {
        return new SecretBuilder().withNewMetadata().withName(secret(h)).withNamespace(namespace).withLabels(labels).endMetadata()
                .withType("Opaque").withStringData(new LinkedHashMap<>(spec.env())).build();
    }

    Service service(InstanceHandle h, Map<String, String> labels, NetworkSpec network) {
        return new ServiceBuilder().withNewMetadata().withName(statefulSet(h)).withNamespace(namespace).withLabels(labels).endMetadata()
                .withNewSpec().withClusterIP("None").withSelector(selector(labels)).withPorts(ports(network)).endSpec().build();
    }

    static List<ServicePort> ports(NetworkSpec network) {
        Map<Integer, String> named = new LinkedHashMap<>();
        named.put(22, "ssh");
        named.put(8080, "http");
        for (int p : network.exposedPorts()) named.putIfAbsent(p, "p-" + p);
        List<ServicePort> out = new ArrayList<>();
        named.forEach((port, name) -> out.add(new ServicePortBuilder().withName(name).withPort(port).withTargetPort(new IntOrString(port))
                .withProtocol("TCP").build()));
        return out;
    }

    /** Ingress from this namespace only; egress DNS, and the internet unless the instance is internal. */
    NetworkPolicy networkPolicy(InstanceHandle h, Map<String, String> labels, NetworkSpec network) {
        List<NetworkPolicyEgressRule> egress = new ArrayList<>();
        egress.add(new NetworkPolicyEgressRuleBuilder().addNewTo().withNewNamespaceSelector().endNamespaceSelector().endTo()
                .addNewPort().withProtocol("UDP").withPort(new IntOrString(53)).endPort()
                .addNewPort().withProtocol("TCP").withPort(new IntOrString(53)).endPort().build());
        if (!network.internal()) {
            egress.add(new NetworkPolicyEgressRuleBuilder().addNewTo().withNewIpBlock().withCidr("0.0.0.0/0").withExcept(PRIVATE_RANGES).endIpBlock().endTo()
                    .build());
        }
        return new NetworkPolicyBuilder().withNewMetadata().withName(networkPolicy(h)).withNamespace(namespace).withLabels(labels).endMetadata()
                .withNewSpec().withNewPodSelector().withMatchLabels(selector(labels)).endPodSelector().withPolicyTypes("Ingress", "Egress")
                .addNewIngress().addNewFrom().withNewPodSelector().endPodSelector().endFrom().endIngress()
                .withEgress(egress).endSpec().build();
    }

    StatefulSet statefulSet(InstanceHandle h, Map<String, String> labels, InstanceSpec spec) {
        List<VolumeSpec> volumes = volumes(spec);
        List<VolumeMount> mounts = new ArrayList<>();
        List<PersistentVolumeClaim> claims = new ArrayList<>();
        List<Volume> scratch = new ArrayList<>();
        for (VolumeSpec v : volumes) {
            mounts.add(new VolumeMountBuilder().withName(v.volumeName()).withMountPath(v.mountPath()).build());
            if (v.persistent()) {
                claims.add(new PersistentVolumeClaimBuilder().withNewMetadata().withName(v.volumeName()).withLabels(withVolume(labels, v)).endMetadata()
                        .withNewSpec().withAccessModes("ReadWriteOnce").withStorageClassName(storageClass)
                        .withNewResources().addToRequests("storage", new Quantity(v.sizeGb() + "Gi")).endResources().endSpec().build());
            } else {
                scratch.add(new VolumeBuilder().withName(v.volumeName()).withNewEmptyDir().withMedium("Memory")
                        .withSizeLimit(new Quantity(v.sizeGb() + "Gi")).endEmptyDir().build());
            }
        }
        Container container = new ContainerBuilder().withName(CONTAINER).withImage(spec.image()).withImagePullPolicy("IfNotPresent")
                .withArgs(spec.command().isEmpty() ? null : spec.command())
                .addNewEnvFrom().withNewSecretRef().withName(secret(h)).endSecretRef().endEnvFrom()
                .withPorts(ports(spec.network()).stream().map(p -> new io.fabric8.kubernetes.api.model.ContainerPortBuilder().withName(p.getName())
                        .withContainerPort(p.getPort()).withProtocol("TCP").build()).toList())
                .withResources(resources(spec.resources()))
                .withVolumeMounts(mounts)
                .withNewSecurityContext().withAllowPrivilegeEscalation(false).withRunAsNonRoot(true).withRunAsUser((long) UID)
                .withNewCapabilities().withDrop("ALL").endCapabilities().withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                .endSecurityContext()
                .build();
        return new StatefulSetBuilder().withNewMetadata().withName(statefulSet(h)).withNamespace(namespace).withLabels(labels).endMetadata()
                .withNewSpec().withReplicas(1).withServiceName(statefulSet(h)).withNewSelector().withMatchLabels(selector(labels)).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(labels).endMetadata()
                .withNewSpec().withHostname(h.name()).withAutomountServiceAccountToken(false).withEnableServiceLinks(false)
                .withNewSecurityContext().withRunAsNonRoot(true).withRunAsUser((long) UID).withRunAsGroup((long) UID).withFsGroup((long) UID).endSecurityContext()
                .withContainers(container).withVolumes(scratch).endSpec().endTemplate()
                .withVolumeClaimTemplates(claims).withPersistentVolumeClaimRetentionPolicy(null).endSpec().build();
    }

    static ResourceRequirements resources(Resources r) {
        ResourceRequirementsBuilder b = new ResourceRequirementsBuilder();
        b.addToRequests("cpu", new Quantity(Math.max(1, Math.round(r.cpu().cores() * 1000)) + "m"));
        if (r.cpu().limitMillicores() > 0) b.addToLimits("cpu", new Quantity(r.cpu().limitMillicores() + "m"));
        if (r.memory().maxMb() > 0) {
            b.addToLimits("memory", new Quantity(r.memory().maxMb() + "Mi"));
            b.addToRequests("memory", new Quantity((r.memory().minMb() > 0 ? r.memory().minMb() : r.memory().maxMb()) + "Mi"));
        }
        return b.build();
    }

    /** The labels that pick this instance's pod: its id and installation (names may be reused after a delete). */
    static Map<String, String> selector(Map<String, String> labels) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put(io.devswarm.core.provider.Labels.INSTALLATION, labels.get(io.devswarm.core.provider.Labels.INSTALLATION));
        s.put(io.devswarm.core.provider.Labels.INSTANCE, labels.get(io.devswarm.core.provider.Labels.INSTANCE));
        return s;
    }

    private static Map<String, String> withVolume(Map<String, String> labels, VolumeSpec v) {
        Map<String, String> out = new LinkedHashMap<>(labels);
        out.put(io.devswarm.core.provider.Labels.VOLUME, v.volumeName());
        return out;
    }
}
