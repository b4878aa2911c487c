package org.uwskit.servlet.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.Charset;
import org.uwskit.InvalidRequestException;
import org.uwskit.PayloadTooLargeException;

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

    /**
     * Reads a whole body of at most {@code maxBytes}.
     *
     * @throws PayloadTooLargeException if the body is longer
     */
    public static byte[] readBody(InputStream in, long maxBytes, String what) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        long total = 0;
        int n;
        while ((n = in.read(buf)) >= 0) {
            total += n;
            if (total > maxBytes) {
                throw new PayloadTooLargeException(what + " is larger than the limit of " + maxBytes + " bytes");
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
