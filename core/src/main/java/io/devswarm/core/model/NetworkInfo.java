package io.devswarm.core.model;

import java.util.List;

/** How an instance can be reached (seed 001 NetworkInfo). */
public record NetworkInfo(String internalIp, String externalIp, String hostname, List<PortMapping> ports, List<String> urls) {
    public static final NetworkInfo NONE = new NetworkInfo(null, null, null, List.of(), List.of());

    public NetworkInfo {
        ports = ports == null ? List.of() : List.copyOf(ports);
        urls = urls == null ? List.of() : List.copyOf(urls);
    }

    /** A port inside the instance and where it is published outside; external 0 = not published. */
    public record PortMapping(int internal, int external, String protocol) {}
}
