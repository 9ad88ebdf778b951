package io.devswarm.provider.docker.internal;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * mkfifo(3), which the JDK lacks, through JNA (already here for docker-java's unix socket): the
 * {@code mkfifo} command cost a process spawn per FIFO, a few ms of CPU on a small machine while
 * the engine was busy starting the container the FIFO is for.
 */
final class Fifos {
    static {
        Native.register("c");
    }

    private Fifos() {}

    private static native int mkfifo(String path, int mode) throws LastErrorException;

    /** A new FIFO at {@code path} with exactly {@code permissions} (mkfifo(3) alone applies the umask). */
    static void make(Path path, Set<PosixFilePermission> permissions) throws IOException {
        try {
            mkfifo(path.toString(), 0600);
        } catch (LastErrorException e) {
            throw new IOException("mkfifo " + path + " failed: errno " + e.getErrorCode(), e);
        }
        Files.setPosixFilePermissions(path, permissions);
    }
}
