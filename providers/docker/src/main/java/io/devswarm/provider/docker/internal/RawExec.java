package io.devswarm.provider.docker.internal;

import io.devswarm.core.model.CommandResult;
import io.devswarm.core.provider.BlockingPipe;
import io.devswarm.core.provider.ExecStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Exec over a hijacked engine connection: {@code POST /exec/{id}/start} upgraded to a raw
 * stream. Without a TTY the engine multiplexes stdout and stderr in frames of an 8-byte header
 * (stream type, three zero bytes, big-endian length) and a payload.
 */
public final class RawExec {
    private static final int STDOUT = 1;
    private static final int STDERR = 2;
    private static final int PIPE_CAPACITY = 256 * 1024;
    /** Fires command timeouts; the kill itself runs on a virtual thread of its own. */
    private static final ScheduledExecutorService TIMEOUTS = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("devswarm-exec-timeouts").factory());

    private RawExec() {}

    /** How to learn the exit code once the stream ended: polls exec inspect. */
    public interface ExitProbe {
        /** The exit code, or null while the process still runs. */
        Integer exitCode() throws IOException;
    }

    /**
     * Runs to completion without stdin, collecting each stream up to {@code cap} bytes.
     * {@code killer} is called once if {@code timeout} passes first.
     */
    public static CommandResult collect(EngineClient.Connection conn, ExitProbe probe, int cap, Duration timeout, Runnable killer) throws IOException {
        long start = System.nanoTime();
        Capped out = new Capped(cap), err = new Capped(cap);
        var timedOut = new java.util.concurrent.atomic.AtomicBoolean();
        ScheduledFuture<?> watchdog = TIMEOUTS.schedule(() -> Thread.ofVirtual().start(() -> {
            timedOut.set(true);
            killer.run();
            try {
                conn.close();
            } catch (IOException closingRacedWithTheEnd) {
                // the command ended meanwhile
            }
        }), timeout.toNanos(), TimeUnit.NANOSECONDS);
        try {
            conn.shutdownOutput();
            readFrames(conn.in(), (type, data, len) -> (type == STDERR ? err : out).write(data, 0, len));
        } catch (IOException e) {
            if (!timedOut.get()) throw e;
        } finally {
            watchdog.cancel(false);
            conn.close();
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        if (timedOut.get()) {
            return new CommandResult(-1, out.text(), err.text(), true, out.truncated || err.truncated, took);
        }
        Integer code = awaitExit(probe, Duration.ofSeconds(5));
        return new CommandResult(code == null ? -1 : code, out.text(), err.text(), false, out.truncated || err.truncated, took);
    }

    /**
     * Wraps a hijacked connection as an interactive stream; its stdin is {@code pipe} when not
     * null (the exec then attaches no stdin), else the connection.
     */
    public static ExecStream stream(EngineClient.Connection conn, boolean tty, StdinPipe pipe, ExitProbe probe, Resizer resizer) {
        return new HijackedStream(conn, tty, pipe, probe, resizer);
    }

    /** Changes the exec's terminal size. */
    public interface Resizer {
        void resize(int columns, int rows) throws IOException;
    }

    static Integer awaitExit(ExitProbe probe, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = 1;
        while (true) {
            Integer code = probe.exitCode();
            if (code != null || System.nanoTime() > deadline) return code;
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
            pause = Math.min(pause * 2, 50);
        }
    }

    interface FrameSink {
        void accept(int type, byte[] data, int len) throws IOException;
    }

    static void readFrames(InputStream in, FrameSink sink) throws IOException {
        byte[] header = new byte[8];
        byte[] buf = new byte[64 * 1024];
        while (true) {
            int n = in.readNBytes(header, 0, 8);
            if (n == 0) return;
            if (n < 8) throw new EOFException("truncated stream frame header");
            int type = header[0];
            long len = ((header[4] & 0xffL) << 24) | ((header[5] & 0xff) << 16) | ((header[6] & 0xff) << 8) | (header[7] & 0xff);
            while (len > 0) {
                int chunk = in.read(buf, 0, (int) Math.min(buf.length, len));
                if (chunk < 0) throw new EOFException("truncated stream frame");
                sink.accept(type, buf, chunk);
                len -= chunk;
            }
        }
    }

    /** Keeps the first {@code cap} bytes and notes whether more came. */
    private static final class Capped {
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
        private final int cap;
        private boolean truncated;

        Capped(int cap) {
            this.cap = cap;
        }

        void write(byte[] data, int off, int len) {
            int room = cap - buf.size();
            if (len > room) truncated = true;
            buf.write(data, off, Math.max(0, Math.min(room, len)));
        }

        String text() {
            return buf.toString(java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private static final class HijackedStream implements ExecStream {
        private final EngineClient.Connection conn;
        private final StdinPipe pipe;
        private final ExitProbe probe;
        private final Resizer resizer;
        private final InputStream stdout;
        private final InputStream stderr;
        private final Thread pump;
        private volatile boolean closed;

        HijackedStream(EngineClient.Connection conn, boolean tty, StdinPipe pipe, ExitProbe probe, Resizer resizer) {
            this.conn = conn;
            this.pipe = pipe;
            this.probe = probe;
            this.resizer = resizer;
            if (tty) {
                this.stdout = conn.in();
                this.stderr = InputStream.nullInputStream();
                this.pump = null;
            } else {
                BlockingPipe out = new BlockingPipe(PIPE_CAPACITY), err = new BlockingPipe(PIPE_CAPACITY);
                this.stdout = out;
                this.stderr = err;
                this.pump = Thread.ofVirtual().name("devswarm-exec-demux").start(() -> {
                    boolean[] announced = {pipe == null};
                    try {
                        readFrames(conn.in(), (type, data, len) -> {
                            int skip = 0;
                            if (type == STDERR && !announced[0]) {
                                announced[0] = true;
                                if (len > 0 && data[0] == StdinPipe.MARKER) {
                                    pipe.readerOpened();
                                    skip = 1;
                                }
                            }
                            (type == STDERR ? err : out).write(data, skip, len - skip);
                        });
                    } catch (IOException ended) {
                        // connection closed: both streams end
                    } finally {
                        if (pipe != null) pipe.processEnded();
                        out.finish();
                        err.finish();
                    }
                });
            }
        }

        @Override
        public OutputStream stdin() {
            return pipe != null ? pipe.stdin() : conn.out();
        }

        @Override
        public InputStream stdout() {
            return stdout;
        }

        @Override
        public InputStream stderr() {
            return stderr;
        }

        @Override
        public void closeStdin() {
            if (pipe != null) {
                pipe.closeInput();
                return;
            }
            try {
                conn.out().flush();
                conn.shutdownOutput();
            } catch (IOException alreadyGone) {
                // the process ended first: nothing to signal
            }
        }

        @Override
        public void resize(int columns, int rows) {
            if (columns <= 0 || rows <= 0) return;
            try {
                resizer.resize(columns, rows);
            } catch (IOException e) {
                // a resize racing the process end is harmless
            }
        }

        @Override
        public OptionalInt waitFor(Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            if (pump != null) {
                if (!pump.join(timeout)) return OptionalInt.empty();
            }
            try {
                Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
                Integer code = awaitExit(probe, left);
                return code == null ? OptionalInt.empty() : OptionalInt.of(code);
            } catch (IOException e) {
                return OptionalInt.empty();
            }
        }

        @Override
        public void close() {
            if (closed) return;
            closed = true;
            if (pipe != null) pipe.close();
            try {
                conn.close();
            } catch (IOException ignored) {
                // closing is best effort
            }
        }
    }
}
