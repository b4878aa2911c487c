package org.uwskit.examples.fuzz;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * HTTP/1.1 over a plain socket, one connection per request ({@code Connection: close}), so that a request can carry
 * what {@code java.net.http} refuses to send: any {@code Host}, a request target that is not a valid URI, duplicate
 * or malformed headers. Answers are read with a deadline: a server that does not answer in time is a
 * {@link SocketTimeoutException}. Stateless and thread-safe.
 */
final class RawHttp {
    /** The largest body read; a longer answer is cut there (the checks only need its start). */
    static final int MAX_BODY = 8 << 20;
    /** Requests larger than this are written while the answer is read (see {@link #writeInBackground}). */
    static final int EARLY_ANSWER_SIZE = 32 << 10;

    private final InetSocketAddress server;
    private final Duration timeout;

    RawHttp(InetSocketAddress server, Duration timeout) {
        this.server = server;
        this.timeout = timeout;
    }

    /** A parsed answer: status, headers in order (names as sent), and the body (de-chunked). */
    record Response(int status, List<String[]> headers, byte[] body) {
        String header(String name) {
            for (String[] h : headers) {
                if (h[0].equalsIgnoreCase(name)) {
                    return h[1];
                }
            }
            return null;
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /**
     * Sends the request and reads the whole answer.
     *
     * @throws SocketTimeoutException if the server does not answer (or finish the answer) within the timeout
     * @throws IOException            if the connection breaks before a complete status line and headers
     */
    Response send(FuzzRequest q) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Socket s = new Socket()) {
            s.connect(server, (int) timeout.toMillis());
            s.setSoTimeout((int) timeout.toMillis());
            byte[] request = q.toBytes();
            if (request.length <= EARLY_ANSWER_SIZE) {
                OutputStream out = s.getOutputStream();
                out.write(request);
                out.flush();
            } else {
                writeInBackground(s, request);
            }
            InputStream in = new DeadlineInputStream(new BufferedInputStream(s.getInputStream()), deadline);
            String statusLine = line(in);
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
                throw new IOException("not an HTTP status line: " + statusLine);
            }
            int status = Integer.parseInt(parts[1]);
            List<String[]> headers = new ArrayList<>();
            for (String h = line(in); !h.isEmpty(); h = line(in)) {
                int colon = h.indexOf(':');
                headers.add(colon < 0 ? new String[] {h, ""}
                        : new String[] {h.substring(0, colon).trim(), h.substring(colon + 1).trim()});
            }
            Response head = new Response(status, headers, new byte[0]);
            if (q.method().equals("HEAD") || status == 204 || status == 304 || status / 100 == 1) {
                return head;
            }
            String te = head.header("Transfer-Encoding");
            String cl = head.header("Content-Length");
            byte[] body;
            if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
                body = chunked(in);
            } else if (cl != null) {
                body = exactly(in, (int) Math.min(Long.parseLong(cl.trim()), MAX_BODY));
            } else {
                body = untilEof(in);
            }
            return new Response(status, headers, body);
        }
    }

    /**
     * Writes a large request on its own thread while this one reads the answer: a server may answer (and close)
     * before it has read the whole body, as for a refused login or a body over its limit, and a client that is still
     * writing then would miss that answer.
     */
    private static void writeInBackground(Socket s, byte[] request) {
        Thread t = new Thread(() -> {
            try {
                OutputStream out = s.getOutputStream();
                out.write(request);
                out.flush();
            } catch (IOException e) {
                // the server stopped reading; its answer, if any, is read by the caller
            }
        }, "fuzz-writer");
        t.setDaemon(true);
        t.start();
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new EOFException("connection closed in the middle of the headers");
            }
            if (c != '\r') {
                b.write(c);
            }
            if (b.size() > 65_536) {
                throw new IOException("header line over 64 KiB");
            }
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    private static byte[] exactly(InputStream in, int n) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length < n) {
            throw new EOFException("body ended after " + b.length + " of " + n + " bytes");
        }
        return b;
    }

    private static byte[] untilEof(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        for (int n = in.read(buf); n >= 0 && b.size() < MAX_BODY; n = in.read(buf)) {
            b.write(buf, 0, n);
        }
        return b.toByteArray();
    }

    private static byte[] chunked(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (true) {
            String size = line(in);
            int semi = size.indexOf(';');
            int n = Integer.parseInt((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
            if (n == 0) {
                for (String trailer = line(in); !trailer.isEmpty(); trailer = line(in)) {
                    // trailers are not used by the checks
                }
                return b.toByteArray();
            }
            if (b.size() + n > MAX_BODY) {
                throw new IOException("chunked body over " + MAX_BODY + " bytes");
            }
            b.writeBytes(exactly(in, n));
            line(in);
        }
    }

    /** Fails a read once the request's deadline has passed, so that a trickling answer cannot stretch it. */
    private static final class DeadlineInputStream extends InputStream {
        private final InputStream in;
        private final long deadline;

        DeadlineInputStream(InputStream in, long deadline) {
            this.in = in;
            this.deadline = deadline;
        }

        private void check() throws SocketTimeoutException {
            if (System.nanoTime() > deadline) {
                throw new SocketTimeoutException("the answer did not end within the request's deadline");
            }
        }

        @Override
        public int read() throws IOException {
            check();
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            check();
            return in.read(b, off, len);
        }
    }
}
