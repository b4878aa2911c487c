package org.uwskit.servlet.internal;

/**
 * One satisfiable byte range of a representation (RFC 9110 §14): {@code first} to {@code last} inclusive.
 *
 * @param first the first byte
 * @param last  the last byte (inclusive)
 */
public record ByteRange(long first, long last) {

    /** Thrown for a syntactically valid range that lies outside the representation (HTTP 416). */
    public static final class Unsatisfiable extends Exception {
        public Unsatisfiable(String message) {
            super(message, null, false, false);
        }
    }

    public long length() {
        return last - first + 1;
    }

    /**
     * Reads a {@code Range} header against a representation of {@code size} bytes.
     *
     * @return the range to serve, or null to serve the whole representation (no header, another unit, several
     *         ranges, or a malformed header, all of which RFC 9110 lets a server ignore)
     * @throws Unsatisfiable if the single range requested starts beyond the end
     */
    public static ByteRange parse(String header, long size) throws Unsatisfiable {
        if (header == null) {
            return null;
        }
        String h = header.trim();
        if (!h.regionMatches(true, 0, "bytes=", 0, 6)) {
            return null;
        }
        String spec = h.substring(6).trim();
        if (spec.contains(",")) {
            return null;
        }
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        String a = spec.substring(0, dash).trim();
        String b = spec.substring(dash + 1).trim();
        try {
            if (a.isEmpty()) {
                if (b.isEmpty()) {
                    return null;
                }
                long suffix = Long.parseLong(b);
                if (suffix < 0) {
                    return null;
                }
                if (suffix == 0 || size == 0) {
                    throw new Unsatisfiable("the suffix range bytes=-" + suffix + " selects nothing of " + size + " bytes");
                }
                return new ByteRange(Math.max(0, size - suffix), size - 1);
            }
            long first = Long.parseLong(a);
            long last = b.isEmpty() ? Long.MAX_VALUE : Long.parseLong(b);
            if (first < 0 || last < first) {
                return null;
            }
            if (first >= size) {
                throw new Unsatisfiable("the range starts at byte " + first + " but the content has " + size + " bytes");
            }
            return new ByteRange(first, Math.min(last, size - 1));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
