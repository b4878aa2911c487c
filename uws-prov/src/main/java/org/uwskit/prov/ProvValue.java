package org.uwskit.prov;

import java.time.Instant;
import java.util.Objects;
import org.uwskit.Instants;

/**
 * An attribute value: a lexical form with a datatype (an absolute URI, {@link ProvTerms#XSD_STRING} for plain text,
 * {@link ProvTerms#QUALIFIED_NAME} for a reference to another identifier, whose lexical form is then the absolute
 * URI), or a language-tagged string. Immutable.
 *
 * @param lexical  the value as text
 * @param datatype the datatype URI; never null
 * @param lang     a language tag for a string, or null
 */
public record ProvValue(String lexical, String datatype, String lang) {
    public ProvValue {
        Objects.requireNonNull(lexical, "lexical");
        Objects.requireNonNull(datatype, "datatype");
        if (lang != null && !datatype.equals(ProvTerms.XSD_STRING)) {
            throw new IllegalArgumentException("a language tag needs a string value, not " + datatype);
        }
        if (datatype.equals(ProvTerms.QUALIFIED_NAME)) {
            ProvIds.requireRepresentable(lexical, "qualified-name value");
        }
    }

    public static ProvValue string(String text) {
        return new ProvValue(text, ProvTerms.XSD_STRING, null);
    }

    public static ProvValue langString(String text, String lang) {
        return new ProvValue(text, ProvTerms.XSD_STRING, Objects.requireNonNull(lang, "lang"));
    }

    /** A reference to another identifier (or a term such as {@code voprov:Parameter}); {@code uri} is absolute. */
    public static ProvValue qname(String uri) {
        return new ProvValue(uri, ProvTerms.QUALIFIED_NAME, null);
    }

    public static ProvValue anyUri(String uri) {
        return new ProvValue(uri, ProvTerms.XSD_ANYURI, null);
    }

    /** An {@code xsd:dateTime} in UTC with {@code Z} and millisecond precision. */
    public static ProvValue dateTime(Instant instant) {
        return new ProvValue(Instants.format(instant), ProvTerms.XSD_DATETIME, null);
    }

    public static ProvValue ofLong(long v) {
        return new ProvValue(Long.toString(v), ProvTerms.XSD_LONG, null);
    }

    /**
     * @throws IllegalArgumentException for NaN or an infinity (PROV tools disagree on their lexical forms)
     */
    public static ProvValue ofDouble(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            throw new IllegalArgumentException("a provenance double must be finite, got " + v);
        }
        return new ProvValue(Double.toString(v), ProvTerms.XSD_DOUBLE, null);
    }

    public static ProvValue ofBoolean(boolean v) {
        return new ProvValue(Boolean.toString(v), ProvTerms.XSD_BOOLEAN, null);
    }

    /** A value of any datatype (an absolute URI). */
    public static ProvValue typed(String lexical, String datatypeUri) {
        return new ProvValue(lexical, datatypeUri, null);
    }

    public boolean isString() {
        return datatype.equals(ProvTerms.XSD_STRING);
    }

    public boolean isQualifiedName() {
        return datatype.equals(ProvTerms.QUALIFIED_NAME);
    }
}
