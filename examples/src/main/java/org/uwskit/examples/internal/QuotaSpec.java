package org.uwskit.examples.internal;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.uwskit.Quotas;

/**
 * Reads the example server's {@code --quotas} value: {@code off} (no quota), {@code default}, or comma-separated
 * {@code name=value} pairs that change the defaults ({@link Quotas#defaults()}): {@code active}, {@code stored},
 * {@code upload-bytes}, {@code rate} (requests per second, may have a fraction) and {@code burst}; 0 = no limit.
 */
public final class QuotaSpec {
    /** The text {@code --help} shows for the option. */
    public static final String HELP = "off | default | active=N,stored=N,upload-bytes=N,rate=R,burst=N";

    private QuotaSpec() {
    }

    /**
     * @param spec the option's value
     * @return the quotas it describes
     * @throws IllegalArgumentException naming the bad part
     */
    public static Quotas parse(String spec) {
        String s = spec.trim().toLowerCase(Locale.ROOT);
        if (s.equals("off")) {
            return Quotas.unlimited();
        }
        Quotas.Builder b = Quotas.builder();
        if (s.equals("default")) {
            return b.build();
        }
        Set<String> seen = new HashSet<>();
        for (String part : s.split(",", -1)) {
            int eq = part.indexOf('=');
            String name = eq < 0 ? part.trim() : part.substring(0, eq).trim();
            String value = eq < 0 ? "" : part.substring(eq + 1).trim();
            if (eq < 0 || value.isEmpty()) {
                throw new IllegalArgumentException("'" + part.trim() + "' is not name=value (" + HELP + ")");
            }
            if (!seen.add(name)) {
                throw new IllegalArgumentException("'" + name + "' is given twice");
            }
            switch (name) {
                case "active" -> b.maxActiveJobs((int) whole(name, value, Integer.MAX_VALUE));
                case "stored" -> b.maxStoredJobs((int) whole(name, value, Integer.MAX_VALUE));
                case "upload-bytes" -> b.maxUploadBytes(whole(name, value, Long.MAX_VALUE));
                case "rate" -> b.requestsPerSecond(rate(value));
                case "burst" -> b.requestBurst((int) whole(name, value, Integer.MAX_VALUE));
                default -> throw new IllegalArgumentException("unknown quota '" + name + "' (" + HELP + ")");
            }
        }
        return b.build();
    }

    private static long whole(String name, String value, long max) {
        if (!value.matches("[0-9]{1,19}")) {
            throw new IllegalArgumentException(name + "=" + value + " is not a whole number >= 0");
        }
        try {
            long v = Long.parseLong(value);
            if (v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // too large: below
        }
        throw new IllegalArgumentException(name + "=" + value + " is too large (at most " + max + ")");
    }

    private static double rate(String value) {
        if (!value.matches("[0-9]{1,9}(\\.[0-9]{1,9})?")) {
            throw new IllegalArgumentException("rate=" + value + " is not a number of requests per second >= 0");
        }
        return Double.parseDouble(value);
    }
}
