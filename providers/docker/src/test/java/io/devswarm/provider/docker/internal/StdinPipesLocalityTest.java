package io.devswarm.provider.docker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("stdin pipes are used only with an engine that can read them")
class StdinPipesLocalityTest {
    @TempDir
    Path dir;

    private static String here() throws Exception {
        return Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
    }

    @Test
    @DisplayName("an engine on this machine gets them, in a base directory only this server may enter")
    void localEngine() throws Exception {
        assertThat(StdinPipes.localTo(dir.resolve("stdin"), here(), List.of("name=seccomp,profile=default"))).isNotNull();
        assertThat(Files.getPosixFilePermissions(dir.resolve("stdin"))).isEqualTo(PosixFilePermissions.fromString("rwx------"));
    }

    @Test
    @DisplayName("an engine that names another machine (remote, or this server in a container) does not")
    void otherMachine() throws Exception {
        assertThat(StdinPipes.localTo(dir.resolve("stdin"), here() + "-elsewhere", null)).isNull();
    }

    @Test
    @DisplayName("an engine enforcing SELinux does not: an unlabelled bind mount is unreadable there")
    void selinux() throws Exception {
        assertThat(StdinPipes.localTo(dir.resolve("stdin"), here(), List.of("name=seccomp,profile=default", "name=selinux"))).isNull();
    }
}
