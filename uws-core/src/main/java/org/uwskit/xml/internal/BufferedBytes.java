package org.uwskit.xml.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/**
 * An unsynchronized buffer in front of an output stream, for one writer on one thread. The JDK's StAX writer hands
 * its UTF-8 output to the stream one byte at a time ({@code write(int)}); in front of a servlet response every such
 * call takes the container's lock, so a document of 10,000 job refs cost millions of locked calls. This buffer turns
 * them into writes of {@value #SIZE} bytes. {@link #flush()} (which the StAX writer's own flush calls) keeps the
 * bytes, so that moving the StAX writer's characters here costs no write on the stream; {@link #drain()} and
 * {@link #close()} write them on; neither flushes nor closes the stream, which the serializer does once at the end.
 * Not part of the public API.
 */
public final class BufferedBytes extends OutputStream {
    /** Bytes kept before they are written on. */
    public static final int SIZE = 8192;
    /**
     * The buffer's first size; it doubles up to {@link #SIZE} as a document grows (a job document is under 1 KB, and
     * zeroing 8 KB for each was 7 % of a job GET's CPU samples).
     */
    static final int INITIAL = 1024;

    private final OutputStream out;
    private byte[] buf = new byte[INITIAL];
    private int count;

    public BufferedBytes(OutputStream out) {
        this.out = Objects.requireNonNull(out, "out");
    }

    @Override
    public void write(int b) throws IOException {
        if (count == buf.length) {
            makeRoom(1);
        }
        buf[count++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len >= SIZE) {
            drain();
            out.write(b, off, len);
            return;
        }
        if (len > buf.length - count) {
            makeRoom(len);
        }
        System.arraycopy(b, off, buf, count, len);
        count += len;
    }

    /** Writes the characters of {@code s}, every one below U+0080, as one byte each. */
    public void writeAscii(String s) throws IOException {
        int n = s.length();
        int i = 0;
        while (i < n) {
            if (count == buf.length) {
                makeRoom(1);
            }
            int end = Math.min(n, i + buf.length - count);
            for (; i < end; i++) {
                buf[count++] = (byte) s.charAt(i);
            }
        }
    }

    /** Room for {@code n} (at most {@link #SIZE}) more bytes: the buffer grows up to its size, then drains. */
    private void makeRoom(int n) throws IOException {
        if (buf.length < SIZE) {
            int cap = buf.length;
            while (cap < SIZE && cap - count < n) {
                cap *= 2;
            }
            buf = java.util.Arrays.copyOf(buf, Math.min(cap, SIZE));
        }
        if (buf.length - count < n) {
            drain();
        }
    }

    /** Writes the buffered bytes on, without flushing the stream. */
    public void drain() throws IOException {
        if (count > 0) {
            int n = count;
            count = 0;
            out.write(buf, 0, n);
        }
    }

    /** Does nothing: see the class comment. */
    @Override
    public void flush() {
    }

    /** Writes the buffered bytes on; does not close the stream. */
    @Override
    public void close() throws IOException {
        drain();
    }
}
