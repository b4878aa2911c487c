package org.uwskit.servlet.internal;

import java.net.URLDecoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses a header value of the form {@code token; name=value; name="quoted value"} (Content-Disposition,
 * Content-Type). Inside quotes, {@code \"} is a quote and any other backslash is kept (browsers send Windows paths
 * unescaped); a {@code ;} inside quotes does not separate. Stateless.
 */
final class HeaderParams {
    private HeaderParams() {
    }

    /** The first element is {@code {token, ""}}, then one {@code {name, value}} per parameter, names trimmed. */
    static List<String[]> parse(String value) {
        List<String[]> out = new ArrayList<>();
        int i = 0;
        int n = value.length();
        int semi = indexOfUnquoted(value, 0);
        out.add(new String[] {value.substring(0, semi).trim(), ""});
        i = semi + 1;
        while (i < n) {
            int eq = value.indexOf('=', i);
            int next = indexOfUnquoted(value, i);
            if (eq < 0 || eq > next) {
                String bare = value.substring(i, next).trim();
                if (!bare.isEmpty()) {
                    out.add(new String[] {bare, ""});
                }
                i = next + 1;
                continue;
            }
            String name = value.substring(i, eq).trim();
            int v = eq + 1;
            while (v < n && value.charAt(v) == ' ') {
                v++;
            }
            String val;
            if (v < n && value.charAt(v) == '"') {
                StringBuilder b = new StringBuilder();
                int k = v + 1;
                while (k < n && value.charAt(k) != '"') {
                    char c = value.charAt(k);
                    if (c == '\\' && k + 1 < n && value.charAt(k + 1) == '"') {
                        b.append('"');
                        k += 2;
                        continue;
                    }
                    b.append(c);
                    k++;
                }
                val = b.toString();
                next = indexOfUnquoted(value, Math.min(n, k + 1));
            } else {
                val = value.substring(v, next).trim();
            }
            out.add(new String[] {name, val});
            i = next + 1;
        }
        return out;
    }

    /** The {@code ;} at or after {@code from} that is not inside quotes, or the length. */
    private static int indexOfUnquoted(String s, int from) {
        boolean quoted = false;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '\\' && quoted) {
                i++;
            } else if (c == ';' && !quoted) {
                return i;
            }
        }
        return s.length();
    }

    /** An RFC 8187 extended value ({@code UTF-8''caf%C3%A9}), or the value itself if it is not one. */
    static String extValue(String v) {
        int q = v.indexOf("''");
        if (q < 0) {
            return v;
        }
        Charset cs;
        try {
            cs = Charset.forName(v.substring(0, q));
        } catch (IllegalArgumentException e) {
            cs = StandardCharsets.UTF_8;
        }
        try {
            return URLDecoder.decode(v.substring(q + 2).replace("+", "%2B"), cs);
        } catch (IllegalArgumentException e) {
            return v.substring(q + 2);
        }
    }
}
