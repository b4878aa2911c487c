package org.uwskit;

import java.time.Instant;
import java.time.LocalDate;
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
        long seconds = instant.getEpochSecond();
        if (seconds < 0 || seconds >= YEAR_10000) {
            return OUT.format(instant.truncatedTo(ChronoUnit.MILLIS));
        }
        // years 1970-9999 by hand: the formatter's BigDecimal fraction and field lookups cost more than the rest
        // of a job ref in a job list
        long days = Math.floorDiv(seconds, 86_400L);
        int secOfDay = (int) Math.floorMod(seconds, 86_400L);
        LocalDate date = LocalDate.ofEpochDay(days);
        char[] c = new char[24];
        put(c, 0, date.getYear(), 4);
        c[4] = '-';
        put(c, 5, date.getMonthValue(), 2);
        c[7] = '-';
        put(c, 8, date.getDayOfMonth(), 2);
        c[10] = 'T';
        put(c, 11, secOfDay / 3600, 2);
        c[13] = ':';
        put(c, 14, secOfDay / 60 % 60, 2);
        c[16] = ':';
        put(c, 17, secOfDay % 60, 2);
        c[19] = '.';
        put(c, 20, instant.getNano() / 1_000_000, 3);
        c[23] = 'Z';
        return new String(c);
    }

    /** 10000-01-01T00:00:00Z in epoch seconds. */
    private static final long YEAR_10000 = 253_402_300_800L;

    private static void put(char[] c, int at, int value, int digits) {
        for (int i = at + digits - 1; i >= at; i--) {
            c[i] = (char) ('0' + value % 10);
            value /= 10;
        }
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
