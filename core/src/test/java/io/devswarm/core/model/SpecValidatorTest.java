package io.devswarm.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SpecValidatorTest {

    private static List<String> fieldsOf(InstanceSpec spec) {
        try {
            SpecValidator.validate(spec);
            return List.of();
        } catch (InvalidSpecException e) {
            return e.errors().stream().map(FieldError::field).toList();
        }
    }

    @Test
    @DisplayName("a minimal spec gets a persistent /workspace and the default idle timeout")
    void defaults() {
        InstanceSpec spec = InstanceSpec.of("dev-1", "devswarm/base");
        SpecValidator.validate(spec);
        assertThat(spec.storage()).containsExactly(VolumeSpec.workspace(10));
        assertThat(spec.idleTimeout()).isEqualTo(InstanceSpec.DEFAULT_IDLE_TIMEOUT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Upper", "-lead", "trail-", "has_underscore", "dot.name", ""})
    @DisplayName("names must be DNS-1123 labels")
    void badNames(String name) {
        assertThat(fieldsOf(InstanceSpec.of(name, "img"))).containsExactly("name");
    }

    @Test
    @DisplayName("root is reserved: it could never be reached over ssh")
    void rootIsReserved() {
        assertThatThrownBy(() -> SpecValidator.validate(InstanceSpec.of("root", "img"))).isInstanceOfSatisfying(InvalidSpecException.class,
                e -> assertThat(e.errors()).containsExactly(new FieldError("name", "is reserved: the SSH gateway refuses the user root")));
    }

    @Test
    @DisplayName("a name longer than 63 characters is refused")
    void longName() {
        assertThatThrownBy(() -> SpecValidator.validate(InstanceSpec.of("a".repeat(64), "img"))).isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("63");
    }

    @Test
    @DisplayName("missing image, negative and absurd resources are each named")
    void resources() {
        Resources bad = new Resources(new Resources.Cpu(-1, 999_999_999), new Resources.Memory(4096, 1024), 100_000);
        InstanceSpec spec = new InstanceSpec("ok", " ", null, Map.of("1BAD", "x"), bad, new NetworkSpec(List.of(0, 22, 22), false), null, null, null);
        assertThat(fieldsOf(spec)).containsExactlyInAnyOrder("image", "env.1BAD", "resources.cpu.cores", "resources.cpu.limit", "resources.memory.max",
                "resources.storage.size", "network.exposedPorts[0]", "network.exposedPorts", "storage[0].size");
    }

    @Test
    @DisplayName("memory.max below memory.min reads as such")
    void memoryOrder() {
        Resources r = new Resources(Resources.Cpu.DEFAULT, new Resources.Memory(512, 256), 10);
        assertThatThrownBy(() -> SpecValidator.validateResources(r)).hasMessageContaining("memory.max < memory.min");
    }

    @Test
    @DisplayName("volumes need unique names and absolute mount paths")
    void volumes() {
        var storage = List.of(new VolumeSpec("data", 1, true, "/data"), new VolumeSpec("data", 1, true, "relative"), new VolumeSpec("x", 0, true, "/data"));
        InstanceSpec spec = new InstanceSpec("ok", "img", null, null, null, null, storage, null, null);
        assertThat(fieldsOf(spec)).containsExactlyInAnyOrder("storage[1].volumeName", "storage[1].mountPath", "storage[2].mountPath", "storage[2].size");
    }
}
