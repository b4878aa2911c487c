package org.uwskit.prov;

import java.util.Locale;

/** The serialisations of a provenance document, with their media types and short names. */
public enum ProvFormat {
    /** W3C PROV-JSON (the default). */
    JSON("application/json", "json"),
    /** W3C PROV-XML. */
    XML("application/xml", "xml"),
    /** W3C PROV-N. */
    PROVN("text/provenance-notation", "provn"),
    /** A Graphviz DOT graph. */
    DOT("text/vnd.graphviz", "dot"),
    /** The DOT graph drawn by Graphviz as SVG (needs a {@code dot} executable). */
    SVG("image/svg+xml", "svg"),
    /** The IVOA VOTable form, one table per ProvDM class. */
    VOTABLE("application/x-votable+xml", "votable");

    private final String mediaType;
    private final String formatName;

    ProvFormat(String mediaType, String formatName) {
        this.mediaType = mediaType;
        this.formatName = formatName;
    }

    public String mediaType() {
        return mediaType;
    }

    /** The value of a {@code FORMAT} parameter that selects this format. */
    public String formatName() {
        return formatName;
    }

    /**
     * The format of a media type (parameters such as {@code ;charset=UTF-8} ignored) or short name, ignoring case.
     *
     * @throws IllegalArgumentException naming the accepted values if there is none
     */
    public static ProvFormat of(String mediaTypeOrName) {
        if (mediaTypeOrName != null) {
            String m = mediaTypeOrName.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
            for (ProvFormat f : values()) {
                if (f.mediaType.equals(m) || f.formatName.equals(m)) {
                    return f;
                }
            }
        }
        StringBuilder sb = new StringBuilder();
        for (ProvFormat f : values()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(f.formatName).append(" (").append(f.mediaType).append(')');
        }
        throw new IllegalArgumentException("'" + mediaTypeOrName + "' is not a provenance format; expected one of " + sb);
    }
}
