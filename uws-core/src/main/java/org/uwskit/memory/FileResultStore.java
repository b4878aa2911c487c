package org.uwskit.memory;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Stream;
import org.uwskit.BlobKind;
import org.uwskit.spi.ResultStore;

/**
 * A {@link ResultStore} in a directory: {@code <root>/<jobId>/<kind>/<name>}.
 *
 * <p>It never reads or writes outside its root: job ids and names are checked with {@link ResultStore#checkName}
 * and every resolved path is normalized and checked to lie under the root. A blob is written to a hidden temporary
 * file beside its final name and moved into place (atomically where the file system allows) when the stream is
 * closed, so readers see either the old or the new bytes, never a partial blob.
 *
 * <p><b>Threading:</b> thread-safe; concurrent writers of one name each replace the blob whole, the last close wins.
 */
public final class FileResultStore implements ResultStore {
    private final Path root;

    /**
     * @param root the directory to keep blobs in; created if missing
     * @throws IllegalArgumentException if it cannot be created
     */
    public FileResultStore(Path root) {
        Objects.requireNonNull(root, "root");
        try {
            this.root = Files.createDirectories(root.toAbsolutePath().normalize()).toRealPath();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot create result directory " + root + ": " + e.getMessage(), e);
        }
    }

    /** A store in a new temporary directory (the default of a JobService built without a result store). */
    public static FileResultStore inTempDirectory() {
        try {
            return new FileResultStore(Files.createTempDirectory("uwskit-results-"));
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a temporary result directory: " + e.getMessage(), e);
        }
    }

    /** The root directory. */
    public Path root() {
        return root;
    }

    @Override
    public OutputStream create(String jobId, BlobKind kind, String name) throws IOException {
        Path target = blob(jobId, kind, name);
        Files.createDirectories(target.getParent());
        Path tmp = target.resolveSibling(".tmp-" + UUID.randomUUID());
        OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        return new FilterOutputStream(out) {
            private boolean closed;

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                if (closed) {
                    return;
                }
                closed = true;
                try {
                    super.close();
                    move(tmp, target);
                } finally {
                    Files.deleteIfExists(tmp);
                }
            }
        };
    }

    private static void move(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Override
    public InputStream read(String jobId, BlobKind kind, String name, long offset, long length) throws IOException {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be >= 0");
        }
        Path p = blob(jobId, kind, name);
        SeekableByteChannel ch = Files.newByteChannel(p, StandardOpenOption.READ);
        try {
            long size = ch.size();
            ch.position(Math.min(offset, size));
            long n = length < 0 ? size - Math.min(offset, size) : Math.min(length, Math.max(0, size - offset));
            return new BoundedInputStream(Channels.newInputStream(ch), n);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    @Override
    public long size(String jobId, BlobKind kind, String name) throws IOException {
        Path p = blob(jobId, kind, name);
        try {
            return Files.size(p);
        } catch (NoSuchFileException e) {
            return -1;
        }
    }

    @Override
    public void deleteAll(String jobId) throws IOException {
        deleteTree(dir(jobId));
    }

    @Override
    public void deleteAll(String jobId, BlobKind kind) throws IOException {
        deleteTree(inside(dir(jobId).resolve(kindDir(kind))));
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (NoSuchFileException e) {
            // a concurrent delete got there first
        }
    }

    /** The names of the blobs of one kind of a job (for tests and tools). */
    public java.util.List<String> names(String jobId, BlobKind kind) throws IOException {
        Path d = inside(dir(jobId).resolve(kindDir(kind)));
        if (!Files.isDirectory(d)) {
            return java.util.List.of();
        }
        java.util.List<String> out = new java.util.ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(d)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (!n.startsWith(".")) {
                    out.add(n);
                }
            }
        }
        java.util.Collections.sort(out);
        return out;
    }

    private Path dir(String jobId) {
        return inside(root.resolve(ResultStore.checkName(jobId)));
    }

    private Path blob(String jobId, BlobKind kind, String name) {
        Objects.requireNonNull(kind, "kind");
        return inside(dir(jobId).resolve(kindDir(kind)).resolve(ResultStore.checkName(name)));
    }

    private static String kindDir(BlobKind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }

    private Path inside(Path p) {
        Path n = p.normalize();
        if (!n.startsWith(root) || n.equals(root)) {
            throw new IllegalArgumentException("path " + p + " escapes the result directory");
        }
        return n;
    }

    /** Reads at most a fixed number of bytes, then reports end of stream. */
    static final class BoundedInputStream extends InputStream {
        private final InputStream in;
        private long remaining;

        BoundedInputStream(InputStream in, long limit) {
            this.in = in;
            this.remaining = limit;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }

        @Override
        public int available() throws IOException {
            return (int) Math.min(in.available(), remaining);
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
