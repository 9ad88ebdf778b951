package io.devswarm.ssh.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Byte pumping shared by sessions and forwarded connections. */
final class Streams {
    private Streams() {}

    /** Copies until EOF, flushing each chunk (interactive use must see bytes at once); {@code onChunk} runs after each. */
    static void copy(InputStream from, OutputStream to, Runnable onChunk) throws IOException {
        byte[] buf = new byte[32 * 1024];
        int n;
        while ((n = from.read(buf)) >= 0) {
            if (n == 0) continue;
            to.write(buf, 0, n);
            to.flush();
            onChunk.run();
        }
    }
}
