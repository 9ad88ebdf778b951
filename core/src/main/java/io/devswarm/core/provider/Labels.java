package io.devswarm.core.provider;

import java.util.LinkedHashMap;
import java.util.Map;
import io.devswarm.core.model.InstanceHandle;

/** The labels every provider puts on what it creates, so ownership can always be read back. */
public final class Labels {
    public static final String MANAGED = "devswarm.managed";
    public static final String INSTANCE = "devswarm.instance";
    public static final String NAME = "devswarm.name";
    public static final String POOL = "devswarm.pool";
    public static final String INSTALLATION = "devswarm.installation";
    public static final String VOLUME = "devswarm.volume";
    /** Who the instance belongs to ({@code Instance.owner()}), where a provider records it. */
    public static final String OWNER = "devswarm.owner";

    private Labels() {}

    /** Labels for a resource of {@code instance} made by the installation {@code installationId}. */
    public static Map<String, String> forInstance(String installationId, InstanceHandle instance) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(MANAGED, "true");
        labels.put(INSTALLATION, installationId);
        labels.put(INSTANCE, instance.id());
        labels.put(NAME, instance.name());
        if (instance.pool() != null) labels.put(POOL, instance.pool());
        return labels;
    }
}
