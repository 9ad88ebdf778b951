package io.devswarm.ssh.internal;

import org.apache.sshd.common.AttributeRepository.AttributeKey;

/** Who connected and to which instance; set on the session once the key is accepted. */
public record Target(String username, String instanceId, String instanceName, String keyFingerprint) {
    public static final AttributeKey<Target> KEY = new AttributeKey<>();
}
