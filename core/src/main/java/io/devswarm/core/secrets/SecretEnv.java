package io.devswarm.core.secrets;

import io.devswarm.core.model.Instance;
import java.util.Map;

/** The secrets an instance's processes get as environment variables, in clear, at the moment they start. */
@FunctionalInterface
public interface SecretEnv {
    SecretEnv NONE = instance -> Map.of();

    Map<String, String> envFor(Instance instance);
}
