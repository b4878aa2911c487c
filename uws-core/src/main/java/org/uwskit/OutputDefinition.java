package org.uwskit;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A result a job type declares it makes: its result id, media type and description. Declared outputs are what
 * published descriptions of the job type list; a job may still make other results (stdout, stderr, provenance).
 *
 * @param id          the result id: 1 to 128 characters of {@code [A-Za-z0-9._-]}, not starting with a dot
 * @param contentType the result's media type, or null if not known in advance
 * @param description what the result holds, or null
 */
public record OutputDefinition(String id, String contentType, String description) {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}");

    /** @throws IllegalArgumentException if the id is not a safe result id */
    public OutputDefinition {
        Objects.requireNonNull(id, "id");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("output id '" + id
                    + "' must be 1 to 128 characters of [A-Za-z0-9._-] not starting with a dot");
        }
    }
}
