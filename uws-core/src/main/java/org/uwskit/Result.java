package org.uwskit;

import java.net.URI;
import java.util.Objects;

/**
 * A result of a job (UWS 1.1 §2.1.10).
 *
 * @param id       unique within the job; a legal URI path segment
 * @param location where the bytes are: null when they are in the service's result storage (served at
 *                 {@code /{jobs}/{id}/results/{resultId}}), otherwise an absolute URI elsewhere
 * @param mimeType the MIME type, or null if unknown
 * @param size     the size in bytes, or -1 if unknown
 */
public record Result(String id, URI location, String mimeType, long size) {
    public Result {
        Objects.requireNonNull(id, "id");
    }

    /** A result whose bytes are in the service's own result storage. */
    public static Result stored(String id, String mimeType, long size) {
        return new Result(id, null, mimeType, size);
    }

    /** Whether the bytes are in the service's own result storage. */
    public boolean isStored() {
        return location == null;
    }
}
