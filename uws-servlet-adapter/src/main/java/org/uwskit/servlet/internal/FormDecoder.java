package org.uwskit.servlet.internal;

import java.net.URLDecoder;
import java.nio.charset.Charset;
import org.uwskit.InvalidRequestException;

/**
 * Decodes {@code application/x-www-form-urlencoded} text (query strings and form bodies) without the container's
 * parameter parsing, so that the limits and the error messages are ours on every container. Stateless.
 */
public final class FormDecoder {
    private FormDecoder() {
    }

    /**
     * Decodes {@code text} into {@code into}. A pair without {@code =} is a name with an empty value.
     *
     * @throws InvalidRequestException if a {@code %} escape is malformed
     */
    public static void decode(String text, Charset charset, String where, Params into) {
        if (text == null || text.isEmpty()) {
            return;
        }
        for (String pair : text.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String rawName = eq < 0 ? pair : pair.substring(0, eq);
            String rawValue = eq < 0 ? "" : pair.substring(eq + 1);
            try {
                String name = URLDecoder.decode(rawName, charset);
                if (name.isEmpty()) {
                    continue;
                }
                into.add(name, URLDecoder.decode(rawValue, charset));
            } catch (IllegalArgumentException e) {
                throw new InvalidRequestException("malformed %-escape in the " + where + " near '"
                        + abbreviate(pair) + "'");
            }
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
