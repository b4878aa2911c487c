package org.uwskit.prov.servlet;

import java.util.List;
import java.util.Locale;
import org.uwskit.prov.ProvFormat;

/** The provenance format an {@code Accept} header chooses among the offered ones. Stateless. */
final class ProvFormatNegotiation {
    private ProvFormatNegotiation() {
    }

    /**
     * The offered format the {@code Accept} header prefers: the highest quality, the most specific matching range
     * deciding each format's quality, ties going to the earlier offered format (JSON first).
     *
     * @param accept  the header, or null
     * @param offered the formats offered, the default first
     * @return the format; the first offered without a header (or with only empty ranges)
     * @throws ProvSapProblem 406 when no offered format is acceptable
     */
    static ProvFormat negotiate(String accept, List<ProvFormat> offered) throws ProvSapProblem {
        if (accept == null || accept.replaceAll("[\\s,;]", "").isEmpty()) { // none, or only empty ranges
            return offered.get(0);
        }
        ProvFormat best = null;
        double bestQ = 0;
        for (ProvFormat f : offered) {
            double q = quality(accept, f.mediaType());
            if (q > bestQ) {
                best = f;
                bestQ = q;
            }
        }
        if (best == null) {
            throw new ProvSapProblem(406, "none of the media types accepted (" + accept + ") is offered; offered: "
                    + offered.stream().map(ProvFormat::mediaType).toList());
        }
        return best;
    }

    private static double quality(String accept, String type) {
        int bestSpecificity = -1;
        double q = 0;
        for (String part : accept.split(",", -1)) {
            String[] bits = part.split(";", -1); // never empty: ";" alone is an empty range, skipped below
            String range = bits[0].trim().toLowerCase(Locale.ROOT);
            int specificity;
            if (range.equals(type)) {
                specificity = 2;
            } else if (range.endsWith("/*") && type.startsWith(range.substring(0, range.length() - 1))) {
                specificity = 1;
            } else if (range.equals("*/*") || range.equals("*")) {
                specificity = 0;
            } else {
                continue;
            }
            double rq = 1;
            for (int i = 1; i < bits.length; i++) {
                String[] kv = bits[i].trim().split("=", 2);
                if (kv.length == 2 && kv[0].trim().equalsIgnoreCase("q")) {
                    try {
                        rq = Double.parseDouble(kv[1].trim());
                    } catch (NumberFormatException e) {
                        rq = 0;
                    }
                }
            }
            if (specificity > bestSpecificity) {
                bestSpecificity = specificity;
                q = rq;
            }
        }
        return q;
    }
}
