package io.devswarm.core.provider;

import java.io.Closeable;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.OptionalInt;

/**
 * A running interactive process inside an instance. Streams may be used from different
 * threads (one pumping stdin, one draining stdout); {@link #close()} kills what is left and
 * is safe to call more than once.
 */
public interface ExecStream extends Closeable {
    OutputStream stdin();

    InputStream stdout();

    /** Separate error output; with a TTY it is empty, the terminal merges it into stdout. */
    InputStream stderr();

    /** Signals end of input: the process reads EOF, as {@code cat} needs to finish. */
    void closeStdin();

    /** Changes the terminal size; ignored without a TTY. */
    void resize(int columns, int rows);

    /** Waits for the process to end; empty if it did not end in time. */
    OptionalInt waitFor(Duration timeout) throws InterruptedException;

    @Override
    void close();
}
