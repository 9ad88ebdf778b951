package io.devswarm.core.provider;

import java.io.IOException;
import java.io.InputStream;

/**
 * A bounded byte queue read as an {@link InputStream}: one thread writes (a provider's stream
 * demultiplexer), one reads. The writer blocks when the reader falls behind, so a slow consumer slows the
 * process instead of filling memory.
 */
public final class BlockingPipe extends InputStream {
    private final byte[] buf;
    private int head, size;
    private boolean closed;

    public BlockingPipe(int capacity) {
        this.buf = new byte[capacity];
    }

    public synchronized void write(byte[] src, int off, int len) throws java.io.InterruptedIOException {
        while (len > 0) {
            while (size == buf.length && !closed) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException();
                }
            }
            if (closed) return; // reader gave up: drop
            int tail = (head + size) % buf.length;
            int n = Math.min(len, Math.min(buf.length - size, buf.length - tail));
            System.arraycopy(src, off, buf, tail, n);
            size += n;
            off += n;
            len -= n;
            notifyAll();
        }
    }

    /** No more data will come: readers see EOF once drained. */
    public synchronized void finish() {
        closed = true;
        notifyAll();
    }

    @Override
    public synchronized int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public synchronized int read(byte[] dst, int off, int len) throws IOException {
        if (len == 0) return 0;
        while (size == 0) {
            if (closed) return -1;
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException();
            }
        }
        int n = Math.min(len, Math.min(size, buf.length - head));
        System.arraycopy(buf, head, dst, off, n);
        head = (head + n) % buf.length;
        size -= n;
        notifyAll();
        return n;
    }

    @Override
    public synchronized int available() {
        return size;
    }

    @Override
    public synchronized void close() {
        closed = true;
        size = 0;
        notifyAll();
    }
}
