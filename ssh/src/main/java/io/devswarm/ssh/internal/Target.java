package io.devswarm.ssh.internal;

import io.devswarm.core.model.Instance;
import org.apache.sshd.common.AttributeRepository.AttributeKey;

/**
 * Who connected and to which instance; set on the session once the key is accepted.
 *
 * @param instanceId null when the key's user may not reach {@code instanceName} (or it does not exist)
 */
public record Target(String username, String instanceId, String instanceName, String keyFingerprint) {
    public static final AttributeKey<Target> KEY = new AttributeKey<>();

    static Target reached(String username, Instance instance, String keyFingerprint) {
        return new Target(username, instance.id(), instance.name(), keyFingerprint);
    }

    static Target unreachable(String username, String instanceName, String keyFingerprint) {
        return new Target(username, null, instanceName, keyFingerprint);
    }

    boolean reachable() {
        return instanceId != null;
    }

    /** What the client hears for an unreachable target: the same whether the instance is someone else's or missing. */
    String refusal() {
        return "no instance " + instanceName + " that this key may reach";
    }
}
