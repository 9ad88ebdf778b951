package io.devswarm.ssh.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.apache.sshd.server.channel.ChannelDataReceiver;
import org.apache.sshd.server.channel.ChannelSession;

/**
 * Client data of a session channel, handed to the process's stdin without MINA's piped stream:
 * the I/O thread only queues a copy, a writer thread writes it and then opens the SSH window by
 * what was written. The window bounds what can be queued, so a slow process slows the client.
 */
final class StdinReceiver implements ChannelDataReceiver {
    private static final byte[] EOF = new byte[0];

    private final ChannelSession channel;
    private final BlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();

    StdinReceiver(ChannelSession channel) {
        this.channel = channel;
    }

    @Override
    public int data(ChannelSession session, byte[] buf, int start, int len) {
        byte[] copy = new byte[len];
        System.arraycopy(buf, start, copy, 0, len);
        queue.add(copy);
        return 0; // the window opens once the bytes are written
    }

    /** The client sent EOF or the channel closes. */
    @Override
    public void close() {
        queue.add(EOF);
    }

    /**
     * Writes queued data to {@code to} until EOF; each burst is flushed once.
     *
     * @param onData called after each burst (activity tracking)
     */
    void drainTo(OutputStream to, Runnable onData) throws IOException, InterruptedException {
        while (true) {
            byte[] chunk = queue.take();
            long written = 0;
            while (chunk != null && chunk != EOF) {
                to.write(chunk);
                written += chunk.length;
                chunk = queue.poll();
            }
            if (written > 0) {
                to.flush();
                channel.getLocalWindow().release(written);
                onData.run();
            }
            if (chunk == EOF) return;
        }
    }
}
