package org.uwskit.memory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.NoSuchFileException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.uwskit.BlobKind;
import org.uwskit.spi.ResultStore;

/**
 * A {@link ResultStore} in memory, for tests. Same name rules as the file store; a blob becomes visible when its
 * stream is closed. Thread-safe.
 */
public final class InMemoryResultStore implements ResultStore {
    private record Key(String jobId, BlobKind kind, String name) {
    }

    private final Map<Key, byte[]> blobs = new ConcurrentHashMap<>();

    @Override
    public OutputStream create(String jobId, BlobKind kind, String name) {
        Key key = key(jobId, kind, name);
        return new ByteArrayOutputStream() {
            private boolean closed;

            @Override
            public void close() {
                if (!closed) {
                    closed = true;
                    blobs.put(key, toByteArray());
                }
            }
        };
    }

    @Override
    public InputStream read(String jobId, BlobKind kind, String name, long offset, long length) throws IOException {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be >= 0");
        }
        byte[] b = blobs.get(key(jobId, kind, name));
        if (b == null) {
            throw new NoSuchFileException(jobId + "/" + kind + "/" + name);
        }
        int from = (int) Math.min(offset, b.length);
        int n = (int) (length < 0 ? b.length - from : Math.min(length, b.length - from));
        return new ByteArrayInputStream(b, from, n);
    }

    @Override
    public long size(String jobId, BlobKind kind, String name) {
        byte[] b = blobs.get(key(jobId, kind, name));
        return b == null ? -1 : b.length;
    }

    @Override
    public void deleteAll(String jobId) {
        ResultStore.checkName(jobId);
        blobs.keySet().removeIf(k -> k.jobId.equals(jobId));
    }

    @Override
    public void deleteAll(String jobId, BlobKind kind) {
        ResultStore.checkName(jobId);
        blobs.keySet().removeIf(k -> k.jobId.equals(jobId) && k.kind == kind);
    }

    /** The number of blobs held (for tests). */
    public int blobCount() {
        return blobs.size();
    }

    private static Key key(String jobId, BlobKind kind, String name) {
        Objects.requireNonNull(kind, "kind");
        return new Key(ResultStore.checkName(jobId), kind, ResultStore.checkName(name));
    }
}
