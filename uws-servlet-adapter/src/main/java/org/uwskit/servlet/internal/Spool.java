package org.uwskit.servlet.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bytes of one request body: kept in memory up to a threshold, then in a temporary file of the servlet's own
 * body directory. {@link #close()} deletes the file; it is called on every path that ends the request (answered,
 * refused, client gone, servlet destroyed). Writes come from one thread at a time (the body reader serialises
 * them); reads start after the last write. Not thread-safe otherwise.
 */
final class Spool implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Spool.class);
    private static final byte[] EMPTY = new byte[0];

    private final Path directory;
    private final int memoryThreshold;
    private ByteArrayOutputStream memory = new ByteArrayOutputStream();
    private Path file;
    private FileChannel channel;
    private long size;
    private boolean closed;

    /** @param directory where a body larger than {@code memoryThreshold} bytes is written */
    Spool(Path directory, int memoryThreshold) {
        this.directory = directory;
        this.memoryThreshold = memoryThreshold;
    }

    /** An empty body, never spilled. */
    static Spool empty() {
        return new Spool(null, Integer.MAX_VALUE);
    }

    void write(byte[] b, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("the request body was discarded");
        }
        if (channel == null && size + len > memoryThreshold) {
            spill();
        }
        if (channel != null) {
            ByteBuffer buf = ByteBuffer.wrap(b, off, len);
            while (buf.hasRemaining()) {
                channel.write(buf);
            }
        } else {
            memory.write(b, off, len);
        }
        size += len;
    }

    private void spill() throws IOException {
        Files.createDirectories(directory);
        file = Files.createTempFile(directory, "body-", ".tmp");
        channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        ByteBuffer buf = ByteBuffer.wrap(memory.toByteArray());
        while (buf.hasRemaining()) {
            channel.write(buf);
        }
        memory = null;
    }

    long size() {
        return size;
    }

    /** Whether the body went to a file (for tests and logs). */
    boolean onDisk() {
        return file != null;
    }

    /** The whole body as bytes; only for bodies whose size is bounded by a small limit (forms, PUT values). */
    byte[] bytes() throws IOException {
        if (size == 0) {
            return EMPTY;
        }
        try (InputStream in = open(0, size)) {
            return in.readAllBytes();
        }
    }

    /** A stream over {@code length} bytes from {@code offset}; closing it does not close the spool. */
    InputStream open(long offset, long length) throws IOException {
        if (closed) {
            throw new IOException("the request body was discarded");
        }
        if (offset < 0 || length < 0 || offset + length > size) {
            throw new IllegalArgumentException("range " + offset + "+" + length + " outside a body of " + size);
        }
        if (channel == null) {
            return new ByteArrayInputStream(memoryArray(), (int) offset, (int) length);
        }
        return new RegionStream(channel, offset, length);
    }

    private byte[] cached;

    private byte[] memoryArray() {
        if (cached == null) {
            cached = memory.toByteArray();
        }
        return cached;
    }

    /** Drops the bytes and deletes the temporary file, if any. Idempotent, never throws. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        memory = null;
        cached = null;
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.debug("closing {} failed: {}", file, e.toString());
            }
        }
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.warn("could not delete the request body file {}: {}", file, e.toString());
            }
        }
    }

    /** Positional reads of a region of the spool file; several may be open at once. */
    private static final class RegionStream extends InputStream {
        private final FileChannel channel;
        private long position;
        private final long end;

        RegionStream(FileChannel channel, long offset, long length) {
            this.channel = channel;
            this.position = offset;
            this.end = offset + length;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (position >= end) {
                return -1;
            }
            int want = (int) Math.min(len, end - position);
            int n = channel.read(ByteBuffer.wrap(b, off, want), position);
            if (n < 0) {
                return -1;
            }
            position += n;
            return n;
        }

        @Override
        public long skip(long n) {
            long k = Math.max(0, Math.min(n, end - position));
            position += k;
            return k;
        }

        @Override
        public int available() {
            return (int) Math.min(Integer.MAX_VALUE, end - position);
        }
    }
}
