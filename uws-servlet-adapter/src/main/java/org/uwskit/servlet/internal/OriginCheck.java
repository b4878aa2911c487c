package org.uwskit.servlet.internal;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Refuses state-changing requests (POST, PUT, DELETE) that a browser sends on behalf of another site (cross-site
 * request forgery). A request is refused (403) when it carries {@code Sec-Fetch-Site: cross-site}, {@code Origin:
 * null}, or an {@code Origin} that is neither the service's own nor one of the allowed origins. Requests without
 * {@code Origin} (pyvo, STILTS, curl and other non-browser clients) and same-origin browser requests (the HTML
 * forms the servlet renders) pass.
 *
 * <p>The service's own origin is the configured public base URL's when there is one; otherwise an {@code Origin}
 * whose host and port equal the request's {@code Host} header (or the container's server name and port), whatever
 * its scheme (a proxy may terminate TLS). Ports 80 and 443 and an absent port compare equal. Immutable.
 */
public final class OriginCheck {
    private final PublicBaseUrl base;
    private final Set<String> allowed;

    /**
     * @param allowed extra origins allowed to change state, as {@code scheme://host[:port]}
     * @throws IllegalArgumentException if one is not such an origin
     */
    public OriginCheck(PublicBaseUrl base, Set<String> allowed) {
        this.base = base;
        Set<String> a = new HashSet<>();
        for (String o : allowed) {
            String n = normalize(o);
            if (n == null) {
                throw new IllegalArgumentException("allowed origin '" + o + "' is not scheme://host[:port]");
            }
            a.add(n);
        }
        this.allowed = Set.copyOf(a);
    }

    /** @throws HttpProblem 403 naming the reason, for a cross-site state-changing request */
    public void check(HttpServletRequest req, String method) {
        if (!(method.equals("POST") || method.equals("PUT") || method.equals("DELETE"))) {
            return;
        }
        String origin = req.getHeader("Origin");
        String normalized = origin == null ? null : normalize(origin.trim());
        if (normalized != null && allowed.contains(normalized)) {
            return;
        }
        String site = req.getHeader("Sec-Fetch-Site");
        if (site != null && site.trim().equalsIgnoreCase("cross-site")) {
            throw refused("the request comes from another site (Sec-Fetch-Site: cross-site)");
        }
        if (origin == null) {
            return;
        }
        if (origin.trim().equalsIgnoreCase("null")) {
            throw refused("the request comes from an opaque origin (Origin: null)");
        }
        if (normalized == null) {
            throw refused("the Origin header '" + ControlValues.shown(origin) + "' is not scheme://host[:port]");
        }
        if (base.isConfigured() ? normalized.equals(normalize(base.origin())) : sameHost(normalized, req)) {
            return;
        }
        throw refused("the request comes from " + ControlValues.shown(origin) + ", not from this service's origin");
    }

    private static HttpProblem refused(String why) {
        return new HttpProblem(403, "cross-site request refused: " + why + ". Browsers may change jobs only from "
                + "pages of this service; other clients should not send Origin");
    }

    private static boolean sameHost(String normalizedOrigin, HttpServletRequest req) {
        String authority = normalizedOrigin.substring(normalizedOrigin.indexOf("://") + 3);
        String host = req.getHeader("Host");
        if (host != null && authority.equals(authority("http://" + host.trim()))) {
            return true;
        }
        return authority.equals(authority("http://" + req.getServerName() + ":" + req.getServerPort()));
    }

    /** {@code scheme://host[:port]} lower-cased with 80/443 dropped, or null if not an origin. */
    static String normalize(String origin) {
        String a = authority(origin);
        if (a == null) {
            return null;
        }
        return origin.substring(0, origin.indexOf("://")).toLowerCase(Locale.ROOT) + "://" + a;
    }

    private static String authority(String url) {
        try {
            URI u = new URI(url);
            if (u.getScheme() == null || u.getHost() == null || u.getRawUserInfo() != null
                    || u.getRawPath() != null && !u.getRawPath().isEmpty() && !u.getRawPath().equals("/")) {
                return null;
            }
            int port = u.getPort();
            String host = u.getHost().toLowerCase(Locale.ROOT);
            return port < 0 || port == 80 || port == 443 ? host : host + ":" + port;
        } catch (URISyntaxException e) {
            return null;
        }
    }
}
