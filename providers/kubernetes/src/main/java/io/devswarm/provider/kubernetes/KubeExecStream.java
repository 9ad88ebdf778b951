package io.devswarm.provider.kubernetes;

import io.devswarm.core.provider.ExecStream;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An interactive process over the pods/exec API. Known gap: fabric8 8.0's exec input has no way to
 * send the v5.channel.k8s.io close frame, so {@link #closeStdin()} cannot give the process EOF; a
 * command that reads stdin to its end (cat, scp -t, sftp-server) waits until the stream is closed.
 */
final class KubeExecStream implements ExecStream {
    private final ExecWatch watch;

    KubeExecStream(ExecWatch watch) {
        this.watch = watch;
    }

    @Override
    public OutputStream stdin() {
        return watch.getInput();
    }

    @Override
    public InputStream stdout() {
        return endsAtExit(watch.getOutput());
    }

    @Override
    public InputStream stderr() {
        InputStream err = watch.getError();
        return err == null ? InputStream.nullInputStream() : endsAtExit(err);
    }

    /**
     * fabric8 fails the output pipes when the process exits non-zero; for a reader the output simply
     * ended, and the exit code is {@link #waitFor}'s to tell.
     */
    private InputStream endsAtExit(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                try {
                    return super.read();
                } catch (IOException e) {
                    if (watch.exitCode().isDone()) return -1;
                    throw e;
                }
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                try {
                    return super.read(b, off, len);
                } catch (IOException e) {
                    if (watch.exitCode().isDone()) return -1;
                    throw e;
                }
            }
        };
    }

    @Override
    public void closeStdin() {
        try {
            watch.getInput().close(); // flushes; no EOF reaches the process (see the class comment)
        } catch (IOException ignored) {
            // the process is gone already
        }
    }

    @Override
    public void resize(int columns, int rows) {
        if (columns > 0 && rows > 0) watch.resize(columns, rows);
    }

    @Override
    public OptionalInt waitFor(Duration timeout) throws InterruptedException {
        try {
            Integer code = watch.exitCode().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return code == null ? OptionalInt.empty() : OptionalInt.of(code);
        } catch (TimeoutException notYet) {
            return OptionalInt.empty();
        } catch (ExecutionException e) {
            return OptionalInt.empty();
        }
    }

    @Override
    public void close() {
        watch.close();
    }
}
