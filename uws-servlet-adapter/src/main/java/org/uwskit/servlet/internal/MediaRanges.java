package org.uwskit.servlet.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Parses an HTTP {@code Accept} header into media ranges with their weights (RFC 9110 §12.5.1), leniently: an empty
 * or malformed element ({@code ;}, {@code ,;}, {@code text/html,;}) is skipped, a malformed {@code q} counts as 0, and
 * nothing here ever throws for any header value. Parameters other than {@code q} are ignored. Stateless.
 */
public final class MediaRanges {
    /** One media range: lower-cased type ({@code text/html}, {@code text/*}, {@code *&#47;*}) and its weight. */
    public record Range(String type, double q) {
    }

    private MediaRanges() {
    }

    /** The ranges of {@code accept} in header order; empty for null, blank or only malformed elements. */
    public static List<Range> parse(String accept) {
        List<Range> out = new ArrayList<>();
        if (accept == null) {
            return out;
        }
        for (String part : accept.split(",", -1)) {
            String[] bits = part.split(";", -1);
            String type = bits[0].trim().toLowerCase(Locale.ROOT);
            if (type.isEmpty()) {
                continue;
            }
            double q = 1;
            for (int i = 1; i < bits.length; i++) {
                String p = bits[i].trim();
                if (p.regionMatches(true, 0, "q=", 0, 2)) {
                    q = weight(p.substring(2).trim());
                }
            }
            out.add(new Range(type, q));
        }
        return out;
    }

    /**
     * A weight: ASCII digits with an optional decimal point ({@code 0.5}, {@code 1.000}, and the {@code .2} the
     * JDK's own client sends), capped at 1. Anything else (Java's {@code 1d}, {@code NaN}, {@code 0x1p-1}, other
     * scripts' digits) is 0.
     */
    static double weight(String q) {
        if (!q.matches("[0-9]{0,6}(\\.[0-9]{0,6})?") || !q.matches(".*[0-9].*")) {
            return 0;
        }
        return Math.min(1, Double.parseDouble(q));
    }
}
