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

    @Test
    @DisplayName("what a substrate refuses only at start is refused here: NaN cores, a limit under 0.01 CPU, a reservation under 6 MB")
    void substrateMinimums() {
        assertThat(fieldsOf(InstanceSpec.of("ok", "img").withResources(new Resources(new Resources.Cpu(Double.NaN, 1), new Resources.Memory(1, 2048), 10))))
                .containsExactlyInAnyOrder("resources.cpu.cores", "resources.cpu.limit", "resources.memory.min");
        assertThat(fieldsOf(InstanceSpec.of("ok", "img").withResources(new Resources(new Resources.Cpu(Double.POSITIVE_INFINITY, 10), new Resources.Memory(6, 6), 10))))
                .containsExactly("resources.cpu.cores");
        assertThat(fieldsOf(InstanceSpec.of("ok", "img").withResources(new Resources(new Resources.Cpu(0.5, 0), new Resources.Memory(0, 0), 10)))).isEmpty();
    }

    @Test
    @DisplayName("NUL in a command argument or an environment value is refused: no process can be given one")
    void nulInProcessText() {
        InstanceSpec spec = new InstanceSpec("ok", "img", List.of("sh", "-c", "echo a\0b"), Map.of("GOOD", "x", "BAD", "a\0b"), null, null, null, null, null);
        assertThat(fieldsOf(spec)).containsExactlyInAnyOrder("command[2]", "env.BAD");
    }

    @ParameterizedTest
    @ValueSource(strings = {"img", "devswarm/base", "devswarm/base:api-upgrade", "localhost:5000/team/dev:1.2", "registry.fly.io/app_name:deployment-01",
            "ghcr.io/org/a.b__c-d/e", "busybox@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "Registry.Example.com/x/y:V1"})
    @DisplayName("image references as Docker reads them are accepted")
    void goodImages(String image) {
        assertThat(fieldsOf(InstanceSpec.of("ok", image))).isEmpty();
        SpecValidator.validateImage(image);
    }

    @ParameterizedTest
    @ValueSource(strings = {"team/Dev", "a b", "a:", ":tag", "a::b", "a//b", "-lead", "a@sha256:short", "a\0b", "a:-tag", "a:b:c", "a/"})
    @DisplayName("image references Docker would refuse at create are refused at the request")
    void badImages(String image) {
        assertThat(fieldsOf(InstanceSpec.of("ok", image))).containsExactly("image");
        assertThatThrownBy(() -> SpecValidator.validateImage(image)).isInstanceOf(InvalidSpecException.class);
    }

    @Test
    @DisplayName("an image name over 255 characters, or a reference longer than any real one, is refused")
    void longImages() {
        assertThat(fieldsOf(InstanceSpec.of("ok", "a".repeat(256)))).containsExactly("image");
        assertThat(fieldsOf(InstanceSpec.of("ok", "a".repeat(255) + ":" + "t".repeat(128)))).isEmpty();
        assertThat(fieldsOf(InstanceSpec.of("ok", "a/".repeat(100_000) + "a"))).containsExactly("image");
    }
}
