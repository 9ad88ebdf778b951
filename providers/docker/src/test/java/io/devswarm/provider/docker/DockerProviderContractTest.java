package io.devswarm.provider.docker;

import io.devswarm.core.model.InstanceSpec;
import io.devswarm.core.provider.Provider;
import io.devswarm.core.provider.feature.ExecStreams;
import io.devswarm.core.provider.feature.LiveResize;
import io.devswarm.core.testing.ProviderContract;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;

@DisplayName("Docker provider against a real engine: the provider contract")
class DockerProviderContractTest extends ProviderContract {
    private static DockerProvider provider;

    @BeforeAll
    static void connect() {
        provider = DockerEngine.provider("contract-test");
    }

    @AfterAll
    static void disconnect() {
        if (provider != null) provider.close();
    }

    @Override
    protected Provider provider() {
        return provider;
    }

    @Override
    protected InstanceSpec spec(String name) {
        return InstanceSpec.of(name, DockerEngine.BASE_IMAGE);
    }

    @Override
    protected Set<Class<?>> features() {
        return Set.of(ExecStreams.class, LiveResize.class);
    }
}
