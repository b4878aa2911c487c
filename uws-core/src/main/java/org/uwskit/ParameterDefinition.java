package org.uwskit;

import java.net.URISyntaxException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A declared parameter of a {@link JobDefinition}: its name, type, whether it is required, its default, limits,
 * multiplicity, unit and UCD; for a STRING a regular expression the whole value must match; for a FILE the content
 * types it takes and its largest size. Immutable; build with {@link #builder(String, ParameterType)}.
 *
 * <p>{@link #contentTypes()} and {@link #maxSize()} describe a FILE input to clients (published descriptions).
 * {@link #maxSize()} is also enforced: an upload given for this parameter ({@code param:part}) is refused as too
 * large (HTTP 413) beyond it, at creation and when the job's parameters are changed, as beyond the job list's
 * {@code maxUploadSize}, which bounds every upload. {@link #contentTypes()} is not checked (clients often send
 * {@code application/octet-stream}); job logic that needs a type checks the content itself.
 *
 * <p>Names are matched case-insensitively. {@link #parse(String)} turns one wire value into the typed value
 * (String, Long, Double, Boolean, String option, Instant, java.net.URI, or the String reference of a FILE) or throws
 * {@link IllegalArgumentException} with a message naming the parameter and the problem. Numbers are read strictly:
 * ASCII digits, a sign, for REAL a fraction and an exponent; not Java's suffixes ({@code 1d}, {@code 1f}), hexadecimal,
 * {@code NaN}, {@code Infinity} or digits of other scripts.
 */
public record ParameterDefinition(
        String name,
        String description,
        ParameterType type,
        boolean required,
        String defaultValue,
        Double min,
        Double max,
        List<String> options,
        int maxOccurs,
        String unit,
        String ucd,
        String pattern,
        List<String> contentTypes,
        Long maxSize) {

    /** {@link #maxOccurs()} value meaning "any number of values". */
    public static final int UNBOUNDED = Integer.MAX_VALUE;

    public ParameterDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        options = options == null ? List.of() : List.copyOf(options);
        contentTypes = contentTypes == null ? List.of() : List.copyOf(contentTypes);
        if (pattern != null) {
            if (type != ParameterType.STRING) {
                throw new IllegalArgumentException("parameter " + name + ": a pattern applies to STRING parameters only");
            }
            try {
                java.util.regex.Pattern.compile(pattern);
            } catch (java.util.regex.PatternSyntaxException e) {
                throw new IllegalArgumentException("parameter " + name + ": pattern is not a regular expression: "
                        + e.getDescription());
            }
        }
        if ((!contentTypes.isEmpty() || maxSize != null) && type != ParameterType.FILE) {
            throw new IllegalArgumentException("parameter " + name + ": content types and a size limit apply to FILE parameters only");
        }
        if (maxSize != null && maxSize < 1) {
            throw new IllegalArgumentException("parameter " + name + ": maxSize must be >= 1");
        }
        if (maxOccurs < 1) {
            throw new IllegalArgumentException("parameter " + name + ": maxOccurs must be >= 1");
        }
        if (type == ParameterType.ENUMERATED && options.isEmpty()) {
            throw new IllegalArgumentException("parameter " + name + ": an ENUMERATED parameter needs options");
        }
        if (min != null && max != null && min > max) {
            throw new IllegalArgumentException("parameter " + name + ": min > max");
        }
    }

    public static Builder builder(String name, ParameterType type) {
        return new Builder(name, type);
    }

    /**
     * Parses and checks one value.
     *
     * @throws IllegalArgumentException with a client-readable message if the value is not of this type or is out of
     *                                  range
     */
    public Object parse(String raw) {
        String v = raw == null ? "" : raw.trim();
        try {
            Object out = switch (type) {
                case STRING -> {
                    if (pattern != null && !java.util.regex.Pattern.matches(pattern, raw == null ? "" : raw)) {
                        throw new IllegalArgumentException(name + ": '" + raw + "' does not match the pattern " + pattern);
                    }
                    yield raw;
                }
                case FILE -> raw;
                case INTEGER -> Long.parseLong(asciiInteger(v));
                case REAL -> {
                    double d = Double.parseDouble(asciiReal(v));
                    if (Double.isNaN(d) || Double.isInfinite(d)) {
                        throw new NumberFormatException();
                    }
                    yield d;
                }
                case BOOLEAN -> switch (v.toLowerCase(Locale.ROOT)) {
                    case "true", "yes", "1", "t", "y" -> Boolean.TRUE;
                    case "false", "no", "0", "f", "n" -> Boolean.FALSE;
                    default -> throw new IllegalArgumentException(name + ": '" + raw + "' is not a boolean (true/false)");
                };
                case ENUMERATED -> {
                    if (!options.contains(v)) {
                        throw new IllegalArgumentException(name + ": '" + raw + "' is not one of " + options);
                    }
                    yield v;
                }
                case INSTANT -> Instants.parse(v);
                case URI -> {
                    java.net.URI u = new java.net.URI(v);
                    if (!u.isAbsolute()) {
                        throw new IllegalArgumentException(name + ": '" + raw + "' is not an absolute URI");
                    }
                    yield u;
                }
            };
            checkRange(out, raw);
            return out;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": '" + raw + "' is not " + (type == ParameterType.INTEGER
                    ? "an integer (ASCII digits, e.g. 42)" : "a number (ASCII digits, e.g. 1.5 or 2e3)"));
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(name + ": '" + raw + "' is not a URI");
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException(name + ": '" + raw + "' is not an ISO 8601 instant");
        }
    }

    /**
     * {@code v} if it is an integer in ASCII digits, {@code [+-]?[0-9]+} (Java's parser also takes other scripts'
     * digits, such as {@code ٣}). Scanned by hand: a regular expression's matcher per value was a visible share of
     * job creation's allocations.
     */
    private static String asciiInteger(String v) {
        int i = sign(v, 0);
        int d = digits(v, i);
        if (d == i || d != v.length()) {
            throw new NumberFormatException(v);
        }
        return v;
    }

    /**
     * {@code v} if it is a decimal number in ASCII with an optional exponent,
     * {@code [+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?}: not Java's {@code 1d}, {@code 1f},
     * {@code 0x1p3}, NaN. Scanned by hand, as {@link #asciiInteger}.
     */
    private static String asciiReal(String v) {
        int i = sign(v, 0);
        int end = digits(v, i);
        boolean mantissa = end > i;
        if (end < v.length() && v.charAt(end) == '.') {
            int frac = digits(v, end + 1);
            mantissa |= frac > end + 1;
            end = frac;
        }
        if (!mantissa) {
            throw new NumberFormatException(v);
        }
        if (end < v.length() && (v.charAt(end) == 'e' || v.charAt(end) == 'E')) {
            int e = sign(v, end + 1);
            end = digits(v, e);
            if (end == e) {
                throw new NumberFormatException(v);
            }
        }
        if (end != v.length()) {
            throw new NumberFormatException(v);
        }
        return v;
    }

    /** The index after an optional sign at {@code i}. */
    private static int sign(String v, int i) {
        return i < v.length() && (v.charAt(i) == '+' || v.charAt(i) == '-') ? i + 1 : i;
    }

    /** The index after the ASCII digits from {@code i}. */
    private static int digits(String v, int i) {
        while (i < v.length() && v.charAt(i) >= '0' && v.charAt(i) <= '9') {
            i++;
        }
        return i;
    }

    private void checkRange(Object value, String raw) {
        if (!(value instanceof Number n)) {
            return;
        }
        double d = n.doubleValue();
        if (min != null && d < min) {
            throw new IllegalArgumentException(name + ": " + raw + " is below the minimum " + fmt(min));
        }
        if (max != null && d > max) {
            throw new IllegalArgumentException(name + ": " + raw + " is above the maximum " + fmt(max));
        }
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    /** Fluent builder; defaults: optional, one value, no limits. */
    public static final class Builder {
        private final String name;
        private final ParameterType type;
        private String description;
        private boolean required;
        private String defaultValue;
        private Double min;
        private Double max;
        private List<String> options = List.of();
        private int maxOccurs = 1;
        private String unit;
        private String ucd;
        private String pattern;
        private List<String> contentTypes = List.of();
        private Long maxSize;

        private Builder(String name, ParameterType type) {
            this.name = name;
            this.type = type;
        }

        public Builder description(String v) { description = v; return this; }
        public Builder required() { required = true; return this; }
        public Builder required(boolean v) { required = v; return this; }
        public Builder defaultValue(String v) { defaultValue = v; return this; }
        public Builder min(double v) { min = v; return this; }
        public Builder max(double v) { max = v; return this; }
        public Builder options(String... v) { options = List.of(v); return this; }
        public Builder options(List<String> v) { options = List.copyOf(v); return this; }
        public Builder maxOccurs(int v) { maxOccurs = v; return this; }
        public Builder multiValued() { maxOccurs = UNBOUNDED; return this; }
        public Builder unit(String v) { unit = v; return this; }
        public Builder ucd(String v) { ucd = v; return this; }
        /** A regular expression ({@link java.util.regex.Pattern}) that a whole STRING value must match. */
        public Builder pattern(String v) { pattern = v; return this; }
        /** The media types a FILE takes (e.g. {@code text/plain}, {@code image/*}); none means any. */
        public Builder contentTypes(List<String> v) { contentTypes = List.copyOf(v); return this; }
        /** The media types a FILE takes. */
        public Builder contentTypes(String... v) { contentTypes = List.of(v); return this; }
        /** The largest size of a FILE, in bytes. */
        public Builder maxSize(long v) { maxSize = v; return this; }

        /** @throws IllegalArgumentException if the definition is inconsistent (a default that does not parse, …) */
        public ParameterDefinition build() {
            ParameterDefinition d = new ParameterDefinition(name, description, type, required, defaultValue, min, max,
                    options, maxOccurs, unit, ucd, pattern, contentTypes, maxSize);
            if (defaultValue != null) {
                d.parse(defaultValue);
            }
            return d;
        }
    }
}
