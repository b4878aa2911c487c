package org.uwskit;

import java.util.Objects;

/**
 * One value of a job parameter, as UWS lists them: a parameter with several values appears once per value, in the
 * order given. Names are kept as the client sent them and compared case-insensitively (DALI).
 *
 * @param name        the parameter name as sent
 * @param value       the value; for a by-reference parameter, the URI of the value ({@code param:part} for an inline
 *                    upload, whose content lives in result storage under {@link BlobKind#UPLOAD})
 * @param byReference whether {@code value} is a reference to the value rather than the value itself
 * @param upload      for an inline (multipart) upload, what was stored; otherwise null
 */
public record Parameter(String name, String value, boolean byReference, Upload upload) {
    public Parameter {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }

    /** A by-value parameter. */
    public static Parameter of(String name, String value) {
        return new Parameter(name, value, false, null);
    }

    /** A by-reference parameter (a URL the service does not fetch itself). */
    public static Parameter byReference(String name, String uri) {
        return new Parameter(name, uri, true, null);
    }

    /** An inline upload: the value is {@code param:<name>} and the bytes are in result storage. */
    public static Parameter uploaded(String name, Upload upload) {
        return new Parameter(name, "param:" + name, true, upload);
    }

    /** Whether this parameter's name equals {@code other}, ignoring case. */
    public boolean isNamed(String other) {
        return name.equalsIgnoreCase(other);
    }

    /**
     * An upload stored for a job.
     *
     * @param fileName  the client's file name, if it sent one (informational only, never used as a path)
     * @param mimeType  the declared content type, or null
     * @param size      bytes stored
     */
    public record Upload(String fileName, String mimeType, long size) {
    }
}
