package org.uwskit;

import java.io.InputStream;

/**
 * An opened result or upload, possibly a byte range of it. The caller closes {@link #stream()}.
 *
 * @param name      the result id or upload name
 * @param mimeType  its MIME type, or null
 * @param totalSize the full size in bytes
 * @param offset    the first byte in {@code stream}
 * @param length    the number of bytes in {@code stream}
 * @param stream    the bytes
 */
public record ResultContent(String name, String mimeType, long totalSize, long offset, long length, InputStream stream)
        implements AutoCloseable {
    @Override
    public void close() throws java.io.IOException {
        stream.close();
    }
}
