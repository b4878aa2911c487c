package org.uwskit.servlet.internal;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The response's output stream as the serializers see it: writes go through, {@link #flush()} and {@link #close()}
 * do nothing. Serializers flush at the end of their document; on the response that would commit it and send the
 * body chunked (a chunk, then the last chunk: two writes on the socket, no {@code Content-Length}). Left alone, the
 * container sends a body that fits its buffer with a {@code Content-Length} in one write when the request completes,
 * and a larger one as its buffer fills. Not thread-safe (one request).
 */
final class ResponseBody extends OutputStream {
    private final OutputStream out;

    private ResponseBody(OutputStream out) {
        this.out = out;
    }

    static OutputStream of(HttpServletResponse resp) throws IOException {
        return new ResponseBody(resp.getOutputStream());
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
    }

    /** Does nothing: the container sends the body when the request completes or its buffer fills. */
    @Override
    public void flush() {
    }

    /** Does nothing: the container closes the response. */
    @Override
    public void close() {
    }
}
