package org.uwskit.internal;

import java.io.IOException;
import org.uwskit.BlobKind;
import org.uwskit.InvalidRequestException;
import org.uwskit.JobNotFoundException;
import org.uwskit.ResultContent;
import org.uwskit.spi.ResultStore;

/**
 * Reads the bytes of a job's results and uploads for the client role: the whole blob or a byte range, checked
 * against the blob's size (a range outside it is the client's error, 400; bytes gone from storage are a 404).
 * Not API. Thread-safe.
 */
final class Contents {
    private final ResultStore resultStore;

    Contents(ResultStore resultStore) {
        this.resultStore = resultStore;
    }

    /** Opens {@code [offset, offset + length)} of a blob ({@code length} -1: to its end). */
    ResultContent open(String jobId, BlobKind kind, String name, String mimeType, long offset, long length)
            throws IOException {
        long size = resultStore.size(jobId, kind, name);
        if (size < 0) {
            throw new JobNotFoundException(jobId, "the bytes of '" + name + "' of job '" + jobId + "' are gone");
        }
        if (offset < 0 || offset > size || length < -1 || (length >= 0 && offset + length > size)) {
            throw new InvalidRequestException("byte range " + offset + (length < 0 ? "-" : "+" + length)
                    + " is outside '" + name + "' (" + size + " bytes)");
        }
        long n = length < 0 ? size - offset : length;
        return new ResultContent(name, mimeType, size, offset, n, resultStore.read(jobId, kind, name, offset, n));
    }
}
