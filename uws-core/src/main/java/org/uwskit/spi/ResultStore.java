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
 * Methods block for the I/O they do. <b>Lifecycle:</b> the application creates the store and hands it to
 * {@code JobService.Builder#resultStore}; nothing in uwskit closes or empties it, except through
 * {@link #deleteAll(String)} when a job is destroyed and {@link #deleteAll(String, BlobKind)} when it is archived.
 */
public interface ResultStore {

    /**
     * Opens a blob for writing, replacing any blob of that name when the stream is closed. The caller must close
     * the stream; a stream never closed leaves the previous blob (or none) in place.
     *
     * @param jobId the job id
     * @param kind  result or upload
     * @param name  the result id or upload name
     * @return a stream to write the bytes to
     * @throws IllegalArgumentException if the job id or name is not a safe name
     * @throws IOException              if storage fails
     */
    OutputStream create(String jobId, BlobKind kind, String name) throws IOException;

    /**
     * Reads a range of a blob.
     *
     * @param jobId  the job id
     * @param kind   result or upload
     * @param name   the result id or upload name
     * @param offset the first byte (≥ 0)
     * @param length the number of bytes, or -1 for the rest
     * @return the bytes (fewer if the blob ends first); the caller closes the stream
     * @throws java.nio.file.NoSuchFileException if there is no such blob
     * @throws IllegalArgumentException          if the job id or name is not a safe name, or {@code offset} is
     *                                           negative
     * @throws IOException                       if storage fails
     */
    InputStream read(String jobId, BlobKind kind, String name, long offset, long length) throws IOException;

    /**
     * The size of a blob in bytes.
     *
     * @param jobId the job id
     * @param kind  result or upload
     * @param name  the result id or upload name
     * @return the size, or -1 if there is no such blob
     * @throws IllegalArgumentException if the job id or name is not a safe name
     * @throws IOException              if storage fails
     */
    long size(String jobId, BlobKind kind, String name) throws IOException;

    /**
     * Deletes every blob of a job (results and uploads). Idempotent.
     *
     * @param jobId the job id
     * @throws IllegalArgumentException if the job id is not a safe name
     * @throws IOException              if storage fails
     */
    void deleteAll(String jobId) throws IOException;

    /**
     * Deletes only the blobs of one kind (ARCHIVED jobs lose their results, keep their metadata). Idempotent.
     *
     * @param jobId the job id
     * @param kind  the kind to delete
     * @throws IllegalArgumentException if the job id is not a safe name
     * @throws IOException              if storage fails
     */
    void deleteAll(String jobId, BlobKind kind) throws IOException;

    /**
     * Checks a job id or blob name.
     *
     * @param name the name to check
     * @return {@code name}, unchanged
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
