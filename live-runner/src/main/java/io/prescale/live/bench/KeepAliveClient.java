package io.prescale.live.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * A minimal blocking HTTP/1.1 client on one keep-alive connection: a load generator that costs far less CPU
 * than java.net.http, so on a small machine the numbers measure the server, not the client. Not thread-safe:
 * one per load thread.
 */
public final class KeepAliveClient implements AutoCloseable {
    private final String host;
    private final int port;
    private Socket socket;
    private OutputStream out;
    private InputStream in;
    private byte[] lastBody = new byte[0];
    private String lastRetryAfter;
    private long lastServerMicros = -1;

    private final int readTimeoutMillis;

    public KeepAliveClient(URI base) {
        this(base, 120_000);
    }

    /** As {@link #KeepAliveClient(URI)}, an answer waited for at most {@code readTimeoutMillis} (a test shortens it). */
    KeepAliveClient(URI base, int readTimeoutMillis) {
        this.host = base.getHost();
        this.port = port(base);
        this.readTimeoutMillis = readTimeoutMillis;
    }

    /** The URL's port, or HTTP's own, 80, when it names none ({@code http://runner/}: -1, which no socket takes). */
    static int port(URI base) {
        return base.getPort() >= 0 ? base.getPort() : 80;
    }

    /** Set by {@link #abort}: no connection is made any more. */
    private volatile boolean aborted;
    /** The socket of the exchange in progress, for {@link #abort} from another thread. */
    private volatile Socket live;

    /**
     * From another thread: cuts the exchange in progress off (its read ends at once with an IOException, not after the
     * read timeout) and makes every later one fail without connecting, so it is not sent again either.
     */
    public void abort() {
        aborted = true;
        Socket s = live;
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                // already gone
            }
        }
    }

    private void connect() throws IOException {
        if (aborted) throw new IOException("stopped waiting for answers");
        socket = new Socket();
        live = socket;
        if (aborted) { // an abort between the check and the socket's publication did not see it
            socket.close();
            socket = null;
            throw new IOException("stopped waiting for answers");
        }
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(host, port), 5000);
        socket.setSoTimeout(readTimeoutMillis);
        out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
        in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
    }

    /** Sends one POST and returns the status; the body is kept for {@link #lastBody()}. Reconnects once if the connection dropped. */
    public int post(String path, byte[] body) throws IOException {
        return post(path, body, "Content-Type: application/json\r\n");
    }

    /** As {@link #post(String, byte[])} with {@code headers} ("Name: value\r\n" lines, Content-Type among them). */
    public int post(String path, byte[] body, String headers) throws IOException {
        try {
            return exchange(path, body, headers);
        } catch (java.net.SocketTimeoutException noAnswer) {
            // the server has the request and did not answer in time: sending it again ran it twice (a POST) and waited
            // as long again for a server that had already hung
            close();
            throw noAnswer;
        } catch (IOException e) {
            close();
            return exchange(path, body, headers);
        }
    }

    private int exchange(String path, byte[] body, String headers) throws IOException {
        if (socket == null) connect();
        String head = "POST " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\n" + headers + "Content-Length: "
                + body.length + "\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
        String status = line();
        if (status == null) throw new IOException("connection closed");
        // something else on the port (a TLS endpoint, another protocol) is a failed exchange, not a parse error
        if (!status.matches("HTTP/1\\.[01] [1-5][0-9][0-9]( .*)?"))
            throw new IOException("not an HTTP/1.1 answer: " + (status.length() > 40 ? status.substring(0, 40) + "..." : status));
        int code = Integer.parseInt(status.substring(9, 12));
        int length = -1;
        boolean chunked = false, close = false;
        lastRetryAfter = null;
        lastServerMicros = -1;
        for (String h = line(); h != null && !h.isEmpty(); h = line()) {
            int c = h.indexOf(':');
            if (c < 0) continue;
            String k = h.substring(0, c).trim().toLowerCase(), v = h.substring(c + 1).trim();
            switch (k) {
                case "content-length" -> length = length(v);
                case "transfer-encoding" -> chunked = v.equalsIgnoreCase("chunked");
                case "connection" -> close = v.equalsIgnoreCase("close");
                case "retry-after" -> lastRetryAfter = v;
                case "server-timing" -> lastServerMicros = serverMicros(v);
                default -> { }
            }
        }
        if (chunked) {
            var buf = new java.io.ByteArrayOutputStream();
            while (true) {
                String size = line();
                int n;
                try {
                    n = size == null ? -1 : Integer.parseInt(size.trim().split(";")[0], 16);
                } catch (NumberFormatException e) {
                    n = -1;
                }
                if (n < 0) throw new IOException("malformed chunk size: " + size);
                if (n == 0) {
                    line();
                    break;
                }
                buf.write(in.readNBytes(n));
                line();
            }
            lastBody = buf.toByteArray();
        } else {
            lastBody = length > 0 ? in.readNBytes(length) : new byte[0];
        }
        if (close) close();
        return code;
    }

    private static int length(String v) throws IOException {
        try {
            int n = Integer.parseInt(v);
            if (n >= 0) return n;
        } catch (NumberFormatException e) {
            // below
        }
        throw new IOException("malformed Content-Length: " + v);
    }

    private String line() throws IOException {
        StringBuilder b = new StringBuilder(64);
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') return b.length() > 0 && b.charAt(b.length() - 1) == '\r' ? b.substring(0, b.length() - 1) : b.toString();
            b.append((char) c);
        }
        return b.length() == 0 ? null : b.toString();
    }

    public byte[] lastBody() {
        return lastBody;
    }

    /** The last answer's {@code Server-Timing} "dur" in microseconds (the runner's time with the request), or -1 if it had none. */
    public long lastServerMicros() {
        return lastServerMicros;
    }

    /** The first {@code dur=} of a Server-Timing value (milliseconds) in microseconds; -1 if there is none or it is malformed. */
    public static long serverMicros(String value) {
        int at = value.indexOf("dur=");
        if (at < 0) return -1;
        int end = at + 4;
        while (end < value.length() && (Character.isDigit(value.charAt(end)) || value.charAt(end) == '.')) end++;
        try {
            return Math.round(Double.parseDouble(value.substring(at + 4, end)) * 1000);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    public String lastRetryAfter() {
        return lastRetryAfter;
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // already gone
            }
        }
        socket = null;
    }
}
