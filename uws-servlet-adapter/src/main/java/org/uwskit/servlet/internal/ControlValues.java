package org.uwskit.servlet.internal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.uwskit.InvalidRequestException;
import org.uwskit.Instants;
import org.uwskit.Phase;

/**
 * Parses the UWS control values a client sends (PHASE, EXECUTIONDURATION, DESTRUCTION, WAIT and the job-list
 * filters). Every malformed value is an {@link InvalidRequestException} (HTTP 400) whose message names the
 * parameter, the value and what was expected. Parsing is strict and ASCII-only: numbers are ASCII digits (not
 * {@code ٣}, not Java's {@code 1d}/{@code 1f}/{@code 0x10}), only spaces and tabs around a value are ignored, and a
 * value containing any other control character ({@code RUN%00}) is refused. Stateless.
 */
public final class ControlValues {
    private static final int MAX_SHOWN = 60;
    private static final java.util.regex.Pattern UNSIGNED_INTEGER = java.util.regex.Pattern.compile("\\+?[0-9]+");
    private static final java.util.regex.Pattern INTEGER = java.util.regex.Pattern.compile("[+-]?[0-9]+");
    private static final java.util.regex.Pattern DECIMAL =
            java.util.regex.Pattern.compile("[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]{1,3})?");

    private ControlValues() {
    }

    /** A client's phase request: only RUN and ABORT exist in UWS 1.1 (CHECKLIST item 44). */
    public enum PhaseAction { RUN, ABORT }

    public static PhaseAction phaseAction(String raw) {
        if (raw == null) {
            throw new InvalidRequestException("missing PHASE: expected PHASE=RUN or PHASE=ABORT");
        }
        String v = cleaned("PHASE", raw).toUpperCase(Locale.ROOT);
        return switch (v) {
            case "RUN" -> PhaseAction.RUN;
            case "ABORT" -> PhaseAction.ABORT;
            default -> throw new InvalidRequestException("PHASE=" + shown(raw)
                    + " is not a phase request of UWS 1.1: expected RUN or ABORT");
        };
    }

    /**
     * An execution duration in whole seconds. Accepts integers and decimals ("3600.0", as pyvo sends), rounding
     * a fraction up to the next second.
     */
    public static long executionDuration(String raw) {
        if (raw == null || raw.isBlank()) {
            throw new InvalidRequestException("missing EXECUTIONDURATION: expected a number of seconds (0 = unlimited)");
        }
        String v = cleaned("EXECUTIONDURATION", raw);
        if (!DECIMAL.matcher(v).matches()) {
            throw new InvalidRequestException("EXECUTIONDURATION=" + shown(raw)
                    + " is not a number of seconds (0 = unlimited): expected ASCII digits with an optional fraction and exponent");
        }
        BigDecimal d = new BigDecimal(v);
        if (d.signum() < 0) {
            throw new InvalidRequestException("EXECUTIONDURATION=" + shown(raw) + " is negative; expected seconds >= 0");
        }
        BigDecimal whole = d.setScale(0, RoundingMode.CEILING);
        if (whole.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0) {
            throw new InvalidRequestException("EXECUTIONDURATION=" + shown(raw) + " is too large; at most "
                    + Integer.MAX_VALUE + " seconds");
        }
        return whole.longValueExact();
    }

    /** A destruction instant: ISO 8601, any fraction, {@code Z}, an offset or no zone (UTC). */
    public static Instant destruction(String raw) {
        if (raw == null || raw.isBlank()) {
            throw new InvalidRequestException("missing DESTRUCTION: expected an ISO 8601 instant such as "
                    + "2030-01-01T00:00:00Z");
        }
        return instant("DESTRUCTION", raw);
    }

    public static Instant instant(String name, String raw) {
        try {
            return Instants.parse(cleaned(name, raw));
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException(name + "=" + shown(raw)
                    + " is not an ISO 8601 instant such as 2030-01-01T00:00:00Z");
        }
    }

    /** A job phase named by a filter or a WAIT's PHASE. */
    public static Phase phase(String name, String raw) {
        try {
            return Phase.parse(cleaned(name, raw));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(name + "=" + shown(raw) + " is not a UWS phase; expected one of "
                    + java.util.Arrays.toString(Phase.values()));
        }
    }

    public static Set<Phase> phases(List<String> raws) {
        Set<Phase> out = EnumSet.noneOf(Phase.class);
        for (String r : raws) {
            out.add(phase("PHASE", r));
        }
        return out;
    }

    /** LAST=n, n a positive integer. */
    public static Integer last(String raw) {
        if (raw == null) {
            return null;
        }
        String v = cleaned("LAST", raw);
        if (UNSIGNED_INTEGER.matcher(v).matches()) {
            BigDecimal n = new BigDecimal(v);
            if (n.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0) {
                throw new InvalidRequestException("LAST=" + shown(raw) + " is too large; at most " + Integer.MAX_VALUE);
            }
            if (n.signum() > 0) {
                return n.intValueExact();
            }
        }
        throw new InvalidRequestException("LAST=" + shown(raw) + " is not a positive integer (ASCII digits)");
    }

    /**
     * WAIT=n: n seconds (0 = do not block), -1 = the service's cap.
     *
     * @return the wait, {@code null} for the cap
     */
    public static Duration waitTime(String raw) {
        String v = cleaned("WAIT", raw);
        long n;
        try {
            if (!INTEGER.matcher(v).matches()) {
                throw new NumberFormatException(v);
            }
            n = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new InvalidRequestException("WAIT=" + shown(raw)
                    + " is not an integer number of seconds in ASCII digits (-1 = as long as allowed)");
        }
        if (n < -1) {
            throw new InvalidRequestException("WAIT=" + shown(raw) + " is invalid; expected seconds >= 0, or -1");
        }
        return n == -1 ? null : Duration.ofSeconds(n);
    }

    /**
     * {@code raw} without the spaces and tabs around it.
     *
     * @throws InvalidRequestException if it is null or contains any other control character (NUL, CR, LF, DEL...)
     */
    static String cleaned(String name, String raw) {
        if (raw == null) {
            throw new InvalidRequestException("missing " + name);
        }
        int from = 0;
        int to = raw.length();
        while (from < to && (raw.charAt(from) == ' ' || raw.charAt(from) == '\t')) {
            from++;
        }
        while (to > from && (raw.charAt(to - 1) == ' ' || raw.charAt(to - 1) == '\t')) {
            to--;
        }
        String v = raw.substring(from, to);
        for (int i = 0; i < v.length(); i++) {
            char ch = v.charAt(i);
            if (ch < 0x20 || ch == 0x7f) {
                throw new InvalidRequestException(name + "=" + shown(raw.replace("\0", "\\0"))
                        + " contains a control character (code " + (int) ch + "); expected plain text");
            }
        }
        return v;
    }

    static String shown(String raw) {
        String s = String.valueOf(raw);
        return "'" + (s.length() > MAX_SHOWN ? s.substring(0, MAX_SHOWN) + "…" : s) + "'";
    }
}
