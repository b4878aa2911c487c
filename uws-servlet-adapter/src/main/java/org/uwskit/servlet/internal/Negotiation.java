package org.uwskit.servlet.internal;

import java.util.List;
import java.util.Locale;

/**
 * Picks a media type from an {@code Accept} header among those offered (RFC 9110 §12.5.1, without parameters other
 * than {@code q}). Stateless.
 */
public final class Negotiation {
    private Negotiation() {
    }

    /**
     * The offered type the client prefers: highest q, then the more specific match, then the server's order.
     *
     * @param accept  the header, or null (then the first offered type)
     * @param offered the types offered, server preference first
     * @return the chosen type, or null if the client accepts none of them
     */
    public static String choose(String accept, List<String> offered) {
        if (offered.isEmpty()) {
            return null;
        }
        if (accept == null || accept.isBlank()) {
            return offered.get(0);
        }
        List<MediaRanges.Range> ranges = MediaRanges.parse(accept);
        if (ranges.isEmpty()) {
            return offered.get(0); // only empty or malformed elements (";", ",;"): as if no Accept was sent
        }
        String best = null;
        double bestQ = 0;
        int bestSpecificity = -1;
        for (String type : offered) {
            double q = -1;
            int specificity = -1;
            for (MediaRanges.Range r : ranges) {
                int s = matches(r.type(), type);
                if (s > specificity) {
                    specificity = s;
                    q = r.q();
                }
            }
            if (specificity >= 0 && q > 0 && (q > bestQ || q == bestQ && specificity > bestSpecificity)) {
                best = type;
                bestQ = q;
                bestSpecificity = specificity;
            }
        }
        return best;
    }

    /**
     * Whether a client asks for HTML in a way that may override the XML default (CHECKLIST item 18: XML is returned in
     * preference to HTML unless the client asks for HTML). True when {@code text/html} is listed explicitly with
     * q &gt; 0 and either {@code application/xhtml+xml} is listed too (every browser sends both) or the header has no
     * wildcard (a client that names only what it wants, e.g. {@code Accept: text/html}). False for the JDK's default
     * {@code text/html, image/gif, image/jpeg, *; q=.2, *&#47;*; q=.2}, which STILTS, TOPCAT and other Java clients
     * send without wanting HTML.
     *
     * @param accept the header, or null
     * @return whether HTML may be chosen
     */
    public static boolean mayChooseHtml(String accept) {
        if (accept == null) {
            return false;
        }
        boolean html = false;
        boolean xhtml = false;
        boolean wildcard = false;
        for (MediaRanges.Range r : MediaRanges.parse(accept)) {
            String type = r.type();
            double q = r.q();
            if (type.equals("*") || type.endsWith("/*")) {
                wildcard = true;
            } else if (type.equals("text/html") && q > 0) {
                html = true;
            } else if (type.equals("application/xhtml+xml")) {
                xhtml = true;
            }
        }
        return html && (xhtml || !wildcard);
    }

    /** -1 if {@code range} does not match {@code type}; else 0 for *&#47;*, 1 for type/*, 2 for an exact match. */
    private static int matches(String range, String type) {
        String t = type.toLowerCase(Locale.ROOT);
        if (range.equals("*/*") || range.equals("*")) {
            return 0;
        }
        if (range.endsWith("/*")) {
            return t.startsWith(range.substring(0, range.length() - 1)) ? 1 : -1;
        }
        return range.equals(t) ? 2 : -1;
    }
}
