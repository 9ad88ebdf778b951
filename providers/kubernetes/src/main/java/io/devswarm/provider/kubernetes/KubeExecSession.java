package io.devswarm.provider.kubernetes;

import io.devswarm.core.provider.BlockingPipe;
import io.devswarm.core.provider.ExecStream;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.WebSocket;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One process over the pods/exec WebSocket, spoken here rather than through fabric8's ExecWatch
 * because that one cannot end stdin: the v5.channel.k8s.io protocol (Kubernetes 1.30+) has a close
 * frame for it, {@code [255, 0]}, which {@link #closeStdin()} sends. Channels: 0 stdin, 1 stdout,
 * 2 stderr, 3 the final Status (exit code), 4 terminal size. The connection, TLS and credentials
 * are fabric8's.
 */
final class KubeExecSession implements ExecStream {
    static final String PROTOCOL = "v5.channel.k8s.io";
    private static final int PIPE = 256 * 1024;
    private static final byte STDIN = 0, STDOUT = 1, STDERR = 2, STATUS = 3, RESIZE = 4;
    private static final byte CLOSE = (byte) 255;

    private final BlockingPipe stdout = new BlockingPipe(PIPE);
    private final BlockingPipe stderr = new BlockingPipe(PIPE);
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private volatile WebSocket socket;
    private volatile boolean stdinClosed;

    private KubeExecSession() {}

    /** Opens {@code command} in the container; fails with the API server's refusal (403, 404) as a KubernetesClientException. */
    static KubeExecSession open(KubernetesClient client, String namespace, String pod, String container, List<String> command, boolean stdin, boolean tty) {
        StringBuilder q = new StringBuilder();
        for (String c : command) q.append("command=").append(encode(c)).append('&');
        q.append("container=").append(encode(container));
        if (stdin) q.append("&stdin=true");
        q.append("&stdout=true");
        q.append(tty ? "&tty=true" : "&stderr=true");
        URI uri = URI.create(client.getMasterUrl().toString().replaceAll("/$", "") + "/api/v1/namespaces/" + encode(namespace) + "/pods/" + encode(pod)
                + "/exec?" + q);
        KubeExecSession session = new KubeExecSession();
        try {
            session.socket = client.getHttpClient().newWebSocketBuilder().subprotocol(PROTOCOL).uri(WebSocket.toWebSocketUri(uri))
                    .connectTimeout(10, TimeUnit.SECONDS).buildAsync(session.listener()).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof KubernetesClientException k ? k : new KubernetesClientException("exec in " + pod + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new KubernetesClientException("exec in " + pod + ": no answer from the API server in 30 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KubernetesClientException("interrupted", e);
        }
        return session;
    }

    private WebSocket.Listener listener() {
        return new WebSocket.Listener() {
            @Override
            public void onOpen(WebSocket ws) {
                ws.request();
            }

            @Override
            public void onMessage(WebSocket ws, ByteBuffer data) {
                try {
                    if (data.hasRemaining()) deliver(data.get(), data);
                } catch (IOException readerGone) {
                    // nobody reads this stream any more: drop
                } finally {
                    ws.request();
                }
            }

            @Override
            public void onMessage(WebSocket ws, String text) {
                onMessage(ws, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
            }

            @Override
            public void onClose(WebSocket ws, int code, String reason) {
                finished();
            }

            @Override
            public void onError(WebSocket ws, Throwable error) {
                finished();
            }
        };
    }

    private void deliver(byte channel, ByteBuffer data) throws IOException {
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        switch (channel) {
            case STDOUT -> stdout.write(bytes, 0, bytes.length);
            case STDERR -> stderr.write(bytes, 0, bytes.length);
            case STATUS -> {
                // the last frame: every byte of output came before it on this connection
                exit.complete(exitCode(new String(bytes, StandardCharsets.UTF_8)));
                stdout.finish();
                stderr.finish();
            }
            default -> { } // nothing else is sent to clients
        }
    }

    /** Success is 0; NonZeroExitCode carries the code as a cause; anything else (the command did not start) is -1. */
    static int exitCode(String statusJson) {
        Status status = Serialization.unmarshal(statusJson, Status.class);
        if ("Success".equals(status.getStatus())) return 0;
        if ("NonZeroExitCode".equals(status.getReason()) && status.getDetails() != null && status.getDetails().getCauses() != null) {
            for (StatusCause cause : status.getDetails().getCauses()) {
                if ("ExitCode".equals(cause.getReason())) return Integer.parseInt(cause.getMessage());
            }
        }
        return -1;
    }

    private void finished() {
        stdout.finish();
        stderr.finish();
        exit.complete(null); // closed without a Status: no exit code to report
    }

    @Override
    public OutputStream stdin() {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (stdinClosed) throw new IOException("stdin is closed");
                ByteBuffer frame = ByteBuffer.allocate(len + 1).put(STDIN).put(b, off, len).flip();
                if (!socket.send(frame)) throw new IOException("the exec connection is closed");
            }

            @Override
            public void close() {
                closeStdin();
            }
        };
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
        if (stdinClosed) return;
        stdinClosed = true;
        socket.send(ByteBuffer.wrap(new byte[] {CLOSE, STDIN}));
    }

    @Override
    public void resize(int columns, int rows) {
        if (columns <= 0 || rows <= 0) return;
        byte[] json = ("{\"Width\":" + columns + ",\"Height\":" + rows + "}").getBytes(StandardCharsets.UTF_8);
        socket.send(ByteBuffer.allocate(json.length + 1).put(RESIZE).put(json).flip());
    }

    @Override
    public OptionalInt waitFor(Duration timeout) throws InterruptedException {
        try {
            Integer code = exit.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return code == null ? OptionalInt.empty() : OptionalInt.of(code);
        } catch (TimeoutException | ExecutionException notYet) {
            return OptionalInt.empty();
        }
    }

    /** Whether the process has ended (a Status arrived or the connection closed). */
    boolean ended() {
        return exit.isDone();
    }

    @Override
    public void close() {
        WebSocket ws = socket;
        if (ws != null) ws.sendClose(1000, "done");
        finished();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
