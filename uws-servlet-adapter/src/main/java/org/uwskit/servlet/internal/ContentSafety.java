package org.uwskit.servlet.internal;

import jakarta.servlet.http.HttpServletResponse;
import java.util.Locale;
import java.util.Set;

/**
 * How user content (inline uploads served at {@code /{job}/parameters/NAME} and results the job logic wrote) is
 * served so that a browser never runs it as a page of the service's origin:
 * <ul>
 *   <li>every response of the servlet carries {@code X-Content-Type-Options: nosniff}, so a browser keeps to the
 *   declared type;</li>
 *   <li>user content always carries {@value #SANDBOX} as {@code Content-Security-Policy}: even rendered, it runs no
 *   script, loads nothing and gets an opaque origin (no cookies, no access to the service's pages);</li>
 *   <li>user content of a type not on the {@linkplain #INLINE inline list} (HTML, SVG, XHTML, any XML, which a
 *   browser may render with script, PDF, and anything unknown) also carries {@code Content-Disposition:
 *   attachment}, so a browser downloads it instead of showing it. The declared type is kept for clients.</li>
 * </ul>
 * Stateless.
 */
public final class ContentSafety {
    /** The content security policy of user content. */
    public static final String SANDBOX = "sandbox; default-src 'none'";
    /** Types a browser shows without running anything; user content of other types is served as an attachment. */
    public static final Set<String> INLINE = Set.of("text/plain", "text/csv", "text/tab-separated-values",
            "application/json", "application/octet-stream", "application/fits", "image/fits", "image/png",
            "image/jpeg", "image/gif", "image/webp");

    private ContentSafety() {
    }

    /** Sets {@code X-Content-Type-Options: nosniff}. */
    public static void nosniff(HttpServletResponse resp) {
        resp.setHeader("X-Content-Type-Options", "nosniff");
    }

    /**
     * Sets the headers of user content.
     *
     * @param mimeType the declared type (may be null or carry parameters)
     * @param name     the upload or result name, used as the download's file name
     */
    public static void userContent(HttpServletResponse resp, String mimeType, String name) {
        nosniff(resp);
        resp.setHeader("Content-Security-Policy", SANDBOX);
        if (!isInline(mimeType)) {
            resp.setHeader("Content-Disposition", "attachment; filename=\"" + fileName(name) + "\"");
        }
    }

    /** Whether a browser may show this type inline. */
    public static boolean isInline(String mimeType) {
        if (mimeType == null) {
            return true; // served as application/octet-stream
        }
        String base = mimeType.split(";", -1)[0].trim().toLowerCase(Locale.ROOT);
        return INLINE.contains(base);
    }

    private static String fileName(String name) {
        StringBuilder b = new StringBuilder();
        for (char ch : String.valueOf(name).toCharArray()) {
            b.append(ch >= 0x20 && ch < 0x7f && ch != '"' && ch != '\\' && ch != '/' && ch != ';' ? ch : '_');
        }
        return b.length() == 0 ? "download" : b.toString();
    }
}
