package org.uwskit.servlet.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The browser job manager's static files, packaged in the adapter's jar under {@value #RESOURCES} and served at
 * {@code {mount}/}{@value #SEGMENT}{@code /} (the page) and {@code {mount}/}{@value #SEGMENT}{@code /{file}} (its
 * modules and style sheet). The segment cannot be a job list's name (names start with a letter or digit), so no UWS
 * resource is shadowed. The files hold no data: the page reads the public UWS resources (job lists and jobs as
 * JSON, {@code definitions}, results, {@code error}, provenance) and the job list's {@code events} stream with the
 * caller's own credentials.
 *
 * <p>Every answer carries {@value #CSP} as {@code Content-Security-Policy} (scripts, styles, images and requests
 * only from the service itself; no inline script, no plugins, no framing), {@code X-Content-Type-Options: nosniff},
 * {@code Referrer-Policy: no-referrer} and an {@code ETag} (a hash of the body), and answers {@code If-None-Match}
 * with 304. Immutable; thread-safe.
 */
public final class ManagerResources {
    /** The path segment, under the mount, of the job manager. */
    public static final String SEGMENT = "_manager";
    /** The class-path folder of the files. */
    public static final String RESOURCES = "/org/uwskit/servlet/manager/";
    /** The content security policy of the manager's files. */
    public static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
    /** The files served, by name (the page is {@code index.html}). */
    static final List<String> FILES = List.of("index.html", "manager.css", "app.js", "api.js", "dom.js",
            "list.js", "job.js", "form.js", "preview.js", "prov.js", "format.js");

    private record Asset(String contentType, byte[] body, String etag) {
    }

    private final Map<String, Asset> assets = new LinkedHashMap<>();

    /**
     * Loads the files.
     *
     * @param jobLists the names of the job lists the servlet serves, linked from the page's no-script fallback
     * @throws IllegalStateException if a file is missing from the class path (a packaging bug)
     */
    public ManagerResources(List<String> jobLists) {
        for (String f : FILES) {
            byte[] body = read(f);
            if (f.equals("index.html")) {
                body = new String(body, StandardCharsets.UTF_8).replace("<!--job-lists-->", fallbackLinks(jobLists))
                        .getBytes(StandardCharsets.UTF_8);
            }
            assets.put(f, new Asset(type(f), body, "\"" + hash(body) + "\""));
        }
    }

    /** Whether the request path (segments after the mount) is the manager's. */
    public boolean matches(List<String> seg) {
        return !seg.isEmpty() && seg.get(0).equals(SEGMENT);
    }

    /**
     * Answers a GET (or HEAD) of the page or one of its files; {@code {mount}/_manager} without the trailing slash
     * is redirected to it, so that the page's relative links work.
     *
     * @throws HttpProblem 404 for an unknown file
     */
    public void serve(HttpServletRequest req, HttpServletResponse resp, List<String> seg) throws IOException {
        String name;
        if (seg.size() == 1) {
            String path = req.getPathInfo();
            if (path == null || !path.endsWith("/")) {
                resp.setStatus(301);
                resp.setHeader("Location", req.getRequestURI() + "/");
                resp.setContentLength(0);
                return;
            }
            name = "index.html";
        } else {
            name = seg.size() == 2 ? seg.get(1) : "";
        }
        Asset a = assets.get(name);
        if (a == null) {
            throw new HttpProblem(404, "the job manager has no file '" + ControlValues.shown(name) + "'");
        }
        resp.setHeader("Content-Security-Policy", CSP);
        resp.setHeader("Referrer-Policy", "no-referrer");
        resp.setHeader("X-Frame-Options", "DENY");
        resp.setHeader("ETag", a.etag());
        resp.setHeader("Cache-Control", "no-cache");
        String inm = req.getHeader("If-None-Match");
        if (inm != null && List.of(inm.split(",")).stream().map(String::trim)
                .map(t -> t.startsWith("W/") ? t.substring(2) : t).anyMatch(t -> t.equals(a.etag()) || t.equals("*"))) {
            resp.setStatus(304);
            return;
        }
        resp.setStatus(200);
        resp.setContentType(a.contentType());
        resp.setContentLength(a.body().length);
        resp.getOutputStream().write(a.body());
    }

    private static String fallbackLinks(List<String> jobLists) {
        StringBuilder b = new StringBuilder();
        for (String l : jobLists) {
            // job list names are [A-Za-z0-9._-]: nothing to escape, but escape anyway
            String e = l.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
            b.append("<li><a href=\"../").append(e).append("\">").append(e).append("</a></li>");
        }
        return b.toString();
    }

    private static byte[] read(String file) {
        try (InputStream in = ManagerResources.class.getResourceAsStream(RESOURCES + file)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCES + file + " is missing from the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + RESOURCES + file, e);
        }
    }

    private static String type(String file) {
        if (file.endsWith(".html")) {
            return "text/html;charset=UTF-8";
        }
        if (file.endsWith(".css")) {
            return "text/css;charset=UTF-8";
        }
        return "text/javascript;charset=UTF-8";
    }

    private static String hash(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
