package io.devswarm.core.controller;

import io.devswarm.core.model.Resources;
import java.time.Duration;
import java.util.Map;

/** Changes to an existing instance; null fields stay as they are. */
public record InstanceUpdate(Resources resources, Map<String, String> metadata, Duration idleTimeout) {}
