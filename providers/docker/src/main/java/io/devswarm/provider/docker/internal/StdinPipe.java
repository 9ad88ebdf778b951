package io.devswarm.provider.docker.internal;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One session's stdin as a FIFO the process in the container reads (see {@link StdinPipes}).
 *
 * <p>Opening a FIFO blocks until the other end is open too, and a reader that opens it after
 * every writer has closed would wait forever. So this server opens it read-write first (that never
 * blocks, and leaves a writer in place for the process's open), and the process announces on
 * stderr, with one {@link #MARKER} byte before its command runs, that it holds its end. From then
 * on this server keeps only a write end: input after the process has gone fails at once instead
 * of filling the pipe, and closing it is the process's EOF. End of input that comes before the
 * announcement waits for it.
 */
public final class StdinPipe implements Closeable {
    /** The first byte on the process's stderr: it has the FIFO open as its stdin. */
    public static final byte MARKER = 1;
    private static final String ENV = "DEVSWARM_STDIN";
    /** Runs first in the process: stdin from the FIFO, the marker, then the command itself. */
    private static final String SCRIPT = "f=$" + ENV + "; unset " + ENV + "; exec 0<\"$f\" || exit 125; printf '\\001' >&2; exec \"$@\"";
    private static final long OPEN_WAIT_SECONDS = 30;

    private final Path fifo;
    private final String inContainer;
    private final FileChannel readWrite;
    private volatile FileChannel writeOnly;
    private volatile boolean readerOpen;
    private volatile boolean closed;
    private final CountDownLatch settled = new CountDownLatch(1);
    private final OutputStream out = new OutputStream() {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            StdinPipe.this.write(ByteBuffer.wrap(b, off, len));
        }
    };

    private StdinPipe(Path fifo, String inContainer, FileChannel readWrite) {
        this.fifo = fifo;
        this.inContainer = inContainer;
        this.readWrite = readWrite;
    }

    /** Opens the FIFO this server just made at {@code fifo}; the container sees it at {@code inContainer}. */
    static StdinPipe open(Path fifo, String inContainer) throws IOException {
        try {
            return new StdinPipe(fifo, inContainer, FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS));
        } catch (IOException e) {
            Files.deleteIfExists(fifo);
            throw e;
        }
    }

    /** {@code command} run with this FIFO as its stdin. */
    public List<String> wrap(List<String> command) {
        List<String> wrapped = new ArrayList<>(List.of("/bin/sh", "-c", SCRIPT, "devswarm-stdin"));
        wrapped.addAll(command);
        return wrapped;
    }

    /** {@code env} plus where the FIFO is; the script removes it before the command runs. */
    public Map<String, String> env(Map<String, String> env) {
        Map<String, String> with = new HashMap<>(env);
        with.put(ENV, inContainer);
        return with;
    }

    /** The marker arrived: the process holds the FIFO open. */
    void readerOpened() {
        readerOpen = true;
        settled.countDown();
    }

    /**
     * The process's output ended, so has the process: nothing will read the FIFO now. A write
     * blocked on a full pipe (it may have started before the process opened it, on the read-write
     * end, which no exit can break) fails instead of waiting forever.
     */
    void processEnded() {
        close();
    }

    public OutputStream stdin() {
        return out;
    }

    private synchronized void write(ByteBuffer data) throws IOException {
        FileChannel channel = channel();
        while (data.hasRemaining()) channel.write(data);
    }

    private FileChannel channel() throws IOException {
        FileChannel w = writeOnly;
        if (w != null) return w;
        if (!readerOpen) return readWrite;
        // never blocks: the process's end (and still our own) is open
        w = FileChannel.open(fifo, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        writeOnly = w;
        if (closed) {
            // closed meanwhile, and close() may not have seen this channel
            w.close();
            throw new IOException("stdin closed");
        }
        readWrite.close();
        Files.deleteIfExists(fifo); // the process has it open: the name is no longer needed
        return w;
    }

    /** End of input: the process reads EOF once it has read what was written. */
    public synchronized void closeInput() {
        try {
            settled.await(OPEN_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        close();
    }

    /** Closes both ends this server holds and removes the FIFO; safe to repeat, and from any thread. */
    @Override
    public void close() {
        closed = true;
        quietly(readWrite);
        quietly(writeOnly);
        try {
            Files.deleteIfExists(fifo);
        } catch (IOException e) {
            // the directory goes with the instance
        }
        settled.countDown();
    }

    private static void quietly(Closeable c) {
        if (c == null) return;
        try {
            c.close();
        } catch (IOException e) {
            // closing is best effort
        }
    }
}
