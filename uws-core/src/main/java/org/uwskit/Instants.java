package org.uwskit;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * Reading and writing UWS instants. Output is always ISO 8601 in UTC with a {@code Z}, truncated to milliseconds
 * (pyvo's parser rejects numeric offsets). Input accepts any fraction length, a {@code Z}, a numeric offset, or no
 * zone at all (read as UTC), and a space instead of {@code T}.
 */
public final class Instants {
    private static final DateTimeFormatter OUT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private Instants() {
    }

    /** Formats as {@code 2026-11-21T09:30:00.000Z}. */
    public static String format(Instant instant) {
        return OUT.format(instant.truncatedTo(ChronoUnit.MILLIS));
    }

    /**
     * Parses a client's instant.
     *
     * @throws DateTimeParseException if the text is not an ISO 8601 date-time
     */
    public static Instant parse(String text) {
        String t = text.trim().replace(' ', 'T');
        if (t.isEmpty()) {
            throw new DateTimeParseException("empty instant", text, 0);
        }
        try {
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException e) {
            if (t.length() == 10) {
                return LocalDateTime.parse(t + "T00:00:00").toInstant(ZoneOffset.UTC);
            }
            return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
        }
    }
}
