package io.devswarm.provider.docker.internal;

import io.devswarm.core.model.InstanceHandle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Session stdin through a FIFO instead of the engine's attach stream. {@code docker exec}
 * stdin is copied by dockerd and again by containerd-shim, which on a small machine costs more
 * CPU than the SSH crypto of an upload; a FIFO is one kernel pipe from this server to the process.
 *
 * <p>Each container made while this is on gets a directory of its own, {@code <dir>/<instance id>},
 * bind-mounted read-only at {@link #CONTAINER_DIR}. Only this server creates entries there: the
 * container cannot add or replace any (the mount is read-only), so opening a FIFO there never
 * follows anything the container made. The directory is not listable from inside (mode 0711) and
 * each FIFO has a random name, passed to the process in its environment, not its arguments, so other
 * users in the container do not learn it. The base directory is the server's alone (0700).
 *
 * <p>It needs the engine on this machine, seeing the same files: {@link #localTo} checks that.
 */
public final class StdinPipes {
    /** Where a container sees its FIFOs. */
    public static final String CONTAINER_DIR = "/run/devswarm/stdin";
    private static final Logger log = LoggerFactory.getLogger(StdinPipes.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** This server writes, the container's users read. */
    private static final Set<PosixFilePermission> FIFO_MODE = PosixFilePermissions.fromString("rw----r--");

    private final Path base;
    /** Instance id to whether its container has the mount, learned when the container was made or inspected. */
    private final Map<String, Boolean> mounted = new ConcurrentHashMap<>();

    private StdinPipes(Path base) {
        this.base = base;
    }

    /**
     * The pipes under {@code base}, or null when they cannot work with this engine: its name, which
     * a local engine shares with this host, differs (a remote engine, or this server in a container
     * of its own), or it enforces SELinux, under which an unlabelled bind mount is unreadable (and
     * relabelling a host directory is not ours to do).
     *
     * @param engineSecurityOptions the engine's {@code SecurityOptions} from {@code GET /info}; may be null
     */
    public static StdinPipes localTo(Path base, String engineName, List<String> engineSecurityOptions) {
        if (engineSecurityOptions != null && engineSecurityOptions.stream().anyMatch(o -> o.contains("selinux"))) {
            log.info("stdin pipes off: the engine enforces SELinux; session stdin goes through the engine");
            return null;
        }
        String here;
        try {
            here = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        } catch (IOException | RuntimeException e) {
            log.info("stdin pipes off: cannot read this machine's host name ({})", e.toString());
            return null;
        }
        if (!here.equals(engineName)) {
            log.info("stdin pipes off: the engine runs on '{}', not on this machine ('{}'); session stdin goes through the engine", engineName, here);
            return null;
        }
        try {
            Files.createDirectories(base);
            Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwx------"));
            removeLeftovers(base);
        } catch (IOException e) {
            log.warn("stdin pipes off: cannot use {}: {}", base, e.toString());
            return null;
        }
        return new StdinPipes(base.toAbsolutePath().normalize());
    }

    /** FIFOs of sessions a previous run of the server left behind (a restart ends every session). */
    private static void removeLeftovers(Path base) throws IOException {
        try (Stream<Path> all = Files.walk(base, 2)) {
            for (Path p : all.toList()) {
                if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) Files.deleteIfExists(p);
            }
        }
    }

    /** The host directory bind-mounted into the instance's container. */
    public Path path(InstanceHandle h) {
        return base.resolve(h.id());
    }

    /** {@link #path}, made if missing. */
    public Path directory(InstanceHandle h) {
        Path dir = path(h);
        try {
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(dir);
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make " + dir, e);
        }
        return dir;
    }

    /** Notes whether the instance's current container has its directory mounted. */
    public void learn(InstanceHandle h, boolean hasMount) {
        mounted.put(h.id(), hasMount);
    }

    public boolean mountedIn(InstanceHandle h) {
        return Boolean.TRUE.equals(mounted.get(h.id()));
    }

    /** The instance's container is gone: so are its FIFOs. */
    public void remove(InstanceHandle h) {
        mounted.remove(h.id());
        Path dir = path(h);
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (java.nio.file.NoSuchFileException gone) {
            // never had one
        } catch (IOException e) {
            log.warn("could not remove {}: {}", dir, e.toString());
        }
    }

    /** A new FIFO for one session in the instance's directory. */
    public StdinPipe open(InstanceHandle h) throws IOException {
        Path fifo = make(directory(h));
        return StdinPipe.open(fifo, CONTAINER_DIR + "/" + fifo.getFileName());
    }

    /** A new FIFO with a random name in {@code dir}: 128 bits, so no one in the container guesses it. */
    private static Path make(Path dir) throws IOException {
        byte[] name = new byte[16];
        RANDOM.nextBytes(name);
        Path fifo = dir.resolve(HexFormat.of().formatHex(name));
        Fifos.make(fifo, FIFO_MODE);
        return fifo;
    }
}
