package io.devswarm.provider.docker.internal;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * A minimal HTTP/1.1 client for the two things docker-java cannot do: read the engine's API
 * version before choosing one, and hijack an exec connection so that stdin can be half-closed
 * (docker-java never sends stdin EOF, so {@code cat}, {@code scp -t} and sftp-server hang).
 */
public final class EngineClient {
    private static final Pattern API_VERSION = Pattern.compile("\"ApiVersion\"\\s*:\\s*\"([0-9.]+)\"");
    private static final Pattern STATUS = Pattern.compile("HTTP/1\\.[01] (\\d{3}).*");

    private final URI host;
    private final SSLContext ssl;
    private volatile String apiPrefix = "";

    public EngineClient(URI host, SSLContext ssl) {
        this.host = host;
        this.ssl = ssl;
    }

    /** A raw connection to the engine with a half-closable output side. */
    public interface Connection extends Closeable {
        InputStream in();

        OutputStream out();

        /** Half-close: the engine sees EOF on the exec's stdin. */
        void shutdownOutput() throws IOException;
    }

    /** Asks the engine its API version ({@code GET /version}) and uses {@code min(engine, cap)} from then on. */
    public String negotiate(String cap) throws IOException {
        Response r = request("GET", "/version", null);
        if (r.status() != 200) throw new IOException("GET /version answered " + r.status());
        Matcher m = API_VERSION.matcher(r.body());
        if (!m.find()) throw new IOException("GET /version carried no ApiVersion");
        String version = compare(m.group(1), cap) <= 0 ? m.group(1) : cap;
        apiPrefix = "/v" + version;
        return version;
    }

    public record Response(int status, String body) {}

    /** One request on a fresh connection ({@code Connection: close}); fine for rare calls. */
    public Response request(String method, String path, String json) throws IOException {
        try (Connection c = connect()) {
            writeHead(c.out(), method, path, json, false);
            BufferedInputStream in = new BufferedInputStream(c.in());
            int status = readHead(in);
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            in.transferTo(body);
            return new Response(status, body.toString(StandardCharsets.UTF_8));
        }
    }

    /**
     * Sends {@code POST path} with {@code Upgrade: tcp} and returns the connection positioned at
     * the start of the raw stream.
     */
    public Connection hijack(String path, String json) throws IOException {
        Connection c = connect();
        try {
            writeHead(c.out(), "POST", path, json, true);
            BufferedInputStream in = new BufferedInputStream(c.in(), 64 * 1024);
            int status = readHead(in);
            if (status != 101 && status != 200) {
                ByteArrayOutputStream body = new ByteArrayOutputStream();
                in.transferTo(body);
                throw new EngineException(status, body.toString(StandardCharsets.UTF_8).trim());
            }
            return new StreamConnection(in, c.out(), c::shutdownOutput, c);
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** What half-closes a connection's output. */
    private interface HalfClose {
        void shutdownOutput() throws IOException;
    }

    private record StreamConnection(InputStream in, OutputStream out, HalfClose halfClose, Closeable resource) implements Connection {
        @Override
        public void shutdownOutput() throws IOException {
            halfClose.shutdownOutput();
        }

        @Override
        public void close() throws IOException {
            resource.close();
        }
    }

    /** An error answer from the engine, with its status and message. */
    public static final class EngineException extends IOException {
        private final int status;

        EngineException(int status, String body) {
            super("engine answered " + status + ": " + body);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private void writeHead(OutputStream out, String method, String path, String json, boolean upgrade) throws IOException {
        byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder();
        head.append(method).append(' ').append(apiPrefix).append(path).append(" HTTP/1.1\r\n");
        head.append("Host: docker\r\n");
        head.append("User-Agent: devswarm\r\n");
        if (upgrade) {
            head.append("Connection: Upgrade\r\nUpgrade: tcp\r\n");
        } else {
            head.append("Connection: close\r\n");
        }
        if (json != null) head.append("Content-Type: application/json\r\n");
        head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
    }

    /** Reads the status line and headers; returns the status. Chunked bodies are not expected here. */
    private static int readHead(InputStream in) throws IOException {
        String statusLine = readLine(in);
        Matcher m = STATUS.matcher(statusLine);
        if (!m.matches()) throw new IOException("not an HTTP response: " + statusLine);
        while (!readLine(in).isEmpty()) {
            // headers are not needed: the stream starts after the blank line
        }
        return Integer.parseInt(m.group(1));
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') break;
            if (b != '\r') sb.append((char) b);
        }
        if (b == -1 && sb.isEmpty()) throw new IOException("engine closed the connection");
        return sb.toString();
    }

    private Connection connect() throws IOException {
        if ("unix".equals(host.getScheme())) {
            SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                // a session's stdin (an upload) then blocks and wakes far less often while the engine drains it
                ch.setOption(StandardSocketOptions.SO_SNDBUF, 1 << 20);
                ch.connect(UnixDomainSocketAddress.of(host.getPath()));
            } catch (IOException e) {
                ch.close();
                throw e;
            }
            return new StreamConnection(Channels.newInputStream(ch), Channels.newOutputStream(ch), ch::shutdownOutput, ch);
        }
        Socket socket = ssl != null ? ssl.getSocketFactory().createSocket() : new Socket();
        socket.connect(new InetSocketAddress(host.getHost(), host.getPort()), 5000);
        socket.setTcpNoDelay(true);
        return new StreamConnection(socket.getInputStream(), socket.getOutputStream(), socket::shutdownOutput, socket);
    }

    static int compare(String a, String b) {
        String[] x = a.split("\\."), y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int xi = i < x.length ? Integer.parseInt(x[i]) : 0, yi = i < y.length ? Integer.parseInt(y[i]) : 0;
            if (xi != yi) return Integer.compare(xi, yi);
        }
        return 0;
    }
}
