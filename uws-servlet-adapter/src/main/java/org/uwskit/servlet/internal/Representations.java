package org.uwskit.servlet.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.uwskit.spi.JobSerializer;
import org.uwskit.xml.UwsXml;

/**
 * Chooses how a job, a job list or a job's sub-resource is represented — UWS XML (with the stylesheet instruction
 * unless turned off), a host's added types such as JSON, or the server-rendered HTML page — from {@code FORMAT} or
 * {@code Accept}, and sends the bundled stylesheet. Holds a small cache of XML serializers per stylesheet URL;
 * thread-safe.
 */
final class Representations {
    private static final int MAX_CACHED_XML = 16;
    private static final String XSL_RESOURCE = HtmlView.XSL_RESOURCE;

    private final AdapterConfig c;
    private final HtmlView html;
    private final Map<String, JobSerializer> xmlByStylesheet = new ConcurrentHashMap<>();

    /** @param html the HTML view, or null when HTML pages are off */
    Representations(AdapterConfig c, HtmlView html) {
        this.c = c;
        this.html = html;
    }

    /**
     * XML unless JSON (or another added type) is explicitly asked for by {@code Accept} or {@code FORMAT}; an HTML
     * page rendered here when the client prefers {@code text/html} to XML (a browser) or asks {@code FORMAT=html}.
     */
    JobSerializer serializer(Exchange x) {
        x.resp.setHeader("Vary", "Accept");
        Optional<String> format = x.query().first("FORMAT");
        String chosen = null;
        if (format.isPresent()) {
            String f = format.get().trim().toLowerCase(Locale.ROOT);
            for (String mt : c.serializers().keySet()) {
                if (mt.equals(f) || mt.endsWith("/" + f)) {
                    chosen = mt;
                }
            }
            if (html != null && (f.equals("html") || f.equals(HtmlView.MEDIA_TYPE))) {
                chosen = HtmlView.MEDIA_TYPE;
            }
        } else {
            List<String> offered = new ArrayList<>(List.of(UwsXml.MEDIA_TYPE, "text/xml"));
            for (String mt : c.serializers().keySet()) {
                if (!offered.contains(mt)) {
                    offered.add(mt);
                }
            }
            if (html != null && !offered.contains(HtmlView.MEDIA_TYPE)
                    && Negotiation.mayChooseHtml(x.req.getHeader("Accept"))) {
                // last: on equal preference (*/*, text/*) XML wins (CHECKLIST item 18)
                offered.add(HtmlView.MEDIA_TYPE);
            }
            chosen = Negotiation.choose(x.req.getHeader("Accept"), offered);
        }
        if (html != null && HtmlView.MEDIA_TYPE.equals(chosen) && !c.serializers().containsKey(chosen)) {
            x.resp.setContentType("text/html; charset=UTF-8");
            JobSerializer custom = c.customXml();
            return html.serializer(custom != null ? custom
                    : xmlByStylesheet.computeIfAbsent("", k -> UwsXml.create()), c.htmlMaxJobs());
        }
        if (chosen == null || chosen.equals(UwsXml.MEDIA_TYPE) || chosen.equals("text/xml")) {
            x.resp.setContentType((chosen == null ? UwsXml.MEDIA_TYPE : chosen) + ";charset=UTF-8");
            return xml(x);
        }
        JobSerializer s = c.serializers().get(chosen);
        x.resp.setContentType(s.mediaType() + ";charset=UTF-8");
        return s;
    }

    private JobSerializer xml(Exchange x) {
        JobSerializer custom = c.customXml();
        if (custom != null) {
            return custom;
        }
        if (!c.stylesheet()) {
            return xmlByStylesheet.computeIfAbsent("", k -> UwsXml.create());
        }
        String href = x.req.getContextPath() + x.req.getServletPath() + "/" + c.stylesheetPath();
        JobSerializer s = xmlByStylesheet.get(href);
        if (s == null) {
            s = UwsXml.withStylesheet(href);
            if (xmlByStylesheet.size() < MAX_CACHED_XML) {
                xmlByStylesheet.putIfAbsent(href, s);
            }
        }
        return s;
    }

    /** Sends the bundled XSL stylesheet (cached by clients for an hour). */
    void stylesheet(Exchange x) throws IOException {
        try (InputStream in = Representations.class.getResourceAsStream(XSL_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(XSL_RESOURCE + " is missing from the class path");
            }
            x.resp.setStatus(200);
            x.resp.setContentType("text/xsl;charset=UTF-8");
            x.resp.setHeader("Cache-Control", "max-age=3600");
            in.transferTo(x.resp.getOutputStream());
        }
    }
}
