package org.uwskit.servlet.internal;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.Locale;

/**
 * Where the absolute URLs of {@code Location} and {@code xlink:href} start. With a configured public base URL (the
 * URL at which the container's root {@code /} is reached from outside, e.g. {@code https://data.example.org} or
 * {@code https://example.org/archive} behind a proxy that strips {@code /archive}), links are that URL plus the
 * context and servlet path, whatever the request's {@code Host} header or absolute-form target says. Without one,
 * links follow the request as the container reports it ({@code getRequestURL()}: the {@code Host} header, or
 * forwarded headers only if the host configured the container to honour them). Immutable.
 */
public final class PublicBaseUrl {
    private final String base;
    private final String origin;

    private PublicBaseUrl(String base, String origin) {
        this.base = base;
        this.origin = origin;
    }

    /** Links from the request (the container's view of scheme, host and port). */
    public static PublicBaseUrl fromRequest() {
        return new PublicBaseUrl(null, null);
    }

    /**
     * A fixed base URL.
     *
     * @throws IllegalArgumentException if it is not an absolute http(s) URL without user info, query or fragment
     */
    public static PublicBaseUrl of(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null
                || uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("publicBaseUrl must be an absolute http or https URL without user "
                    + "info, query or fragment, e.g. https://data.example.org; got " + uri);
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        String origin = scheme + "://" + host + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return new PublicBaseUrl(origin + path, origin);
    }

    /** Whether a base URL was configured. */
    public boolean isConfigured() {
        return base != null;
    }

    /** The configured origin ({@code scheme://host[:port]}), or null. */
    public String origin() {
        return origin;
    }

    /** The absolute URL of the servlet's mount for this request, without a trailing slash. */
    public String servletBase(HttpServletRequest req) {
        String start = base != null ? base : requestOrigin(req);
        return start + req.getContextPath() + req.getServletPath();
    }

    /** {@code scheme://host[:port]} of the request as the container reports it. */
    public static String requestOrigin(HttpServletRequest req) {
        StringBuffer url = req.getRequestURL();
        String uri = req.getRequestURI();
        return url.substring(0, Math.max(0, url.length() - uri.length()));
    }
}
