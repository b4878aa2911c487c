package org.uwskit;

import java.util.Objects;

/**
 * Why a job ended in ERROR (UWS 1.1 §2.1.7).
 *
 * @param type    fatal or transient
 * @param message a short message for the client (the text of {@code <uws:message>})
 * @param detail  a longer text (a log tail, a stack trace) served at {@code /error}, or null; {@code hasDetail} is
 *                {@code detail != null}
 */
public record ErrorSummary(Type type, String message, String detail) {
    public ErrorSummary {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(message, "message");
    }

    public static ErrorSummary fatal(String message) {
        return new ErrorSummary(Type.FATAL, message, null);
    }

    public boolean hasDetail() {
        return detail != null;
    }

    /** UWS error types; {@link #wireName()} is the schema's lower-case value. */
    public enum Type {
        FATAL, TRANSIENT;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
