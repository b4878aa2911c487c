package org.uwskit.spi;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.uwskit.BlobKind;

/**
 * Where the bytes of results and inline uploads live. The default is a directory on the file system
 * ({@code org.uwskit.memory.FileResultStore}), which never writes outside its root; tests may use the in-memory one.
 *
 * <p>Names are checked by {@link #checkName(String)}: 1 to 128 characters of {@code [A-Za-z0-9._-]}, not starting
 * with a dot. Implementations reject other names with {@link IllegalArgumentException}. Job ids are checked the same
 * way. <b>Threading:</b> thread-safe; a blob being written is not visible to readers until its stream is closed.
 */
public interface ResultStore {

    /**
     * Opens a blob for writing, replacing any blob of that name when the stream is closed.
     *
     * @throws IOException if storage fails
     */
    OutputStream create(String jobId, BlobKind kind, String name) throws IOException;

    /**
     * Reads a range of a blob.
     *
     * @param offset the first byte (≥ 0)
     * @param length the number of bytes, or -1 for the rest
     * @throws java.nio.file.NoSuchFileException if there is no such blob
     */
    InputStream read(String jobId, BlobKind kind, String name, long offset, long length) throws IOException;

    /** The size of a blob in bytes, or -1 if there is none. */
    long size(String jobId, BlobKind kind, String name) throws IOException;

    /** Deletes every blob of a job (results and uploads). Idempotent. */
    void deleteAll(String jobId) throws IOException;

    /** Deletes only the blobs of one kind (ARCHIVED jobs lose their results, keep their metadata). Idempotent. */
    void deleteAll(String jobId, BlobKind kind) throws IOException;

    /**
     * Checks a job id or blob name.
     *
     * @throws IllegalArgumentException if it is not a safe name
     */
    static String checkName(String name) {
        if (name == null || name.isEmpty() || name.length() > 128 || name.charAt(0) == '.') {
            throw new IllegalArgumentException("'" + name + "' is not a valid result or upload name");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-')) {
                throw new IllegalArgumentException("'" + name + "' is not a valid result or upload name");
            }
        }
        return name;
    }
}
