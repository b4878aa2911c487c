package org.uwskit.servlet.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.uwskit.Caller;
import org.uwskit.JobList;
import org.uwskit.spi.JobLinks;

/**
 * The state of one request while {@link UwsDispatcher} handles it: the request and response, whether it is a HEAD,
 * the public base URL, and what is read of it lazily (the caller, the query string) or asynchronously (the body);
 * and the short answers every resource gives (a text value, a 303, the headers of a document). Used by one thread at
 * a time.
 */
final class Exchange {
    private static final String TEXT = "text/plain;charset=UTF-8";
    private final AdapterConfig c;
    final HttpServletRequest req;
    final HttpServletResponse resp;
    final boolean head;
    final String servletBase;
    Caller caller;
    Params query;
    Spool body;

    Exchange(AdapterConfig c, HttpServletRequest req, HttpServletResponse resp, boolean head) {
        this.c = c;
        this.req = req;
        this.resp = resp;
        this.head = head;
        this.servletBase = c.web().baseUrl().servletBase(req);
    }

    Caller caller() {
        if (caller == null) {
            caller = c.ownerResolver().resolve(req.getUserPrincipal(), req::isUserInRole);
        }
        return caller;
    }

    Params query() {
        if (query == null) {
            query = new Params();
            FormDecoder.decode(req.getQueryString(), StandardCharsets.UTF_8, "query string", query);
        }
        return query;
    }

    JobLinks links(JobList list) {
        return JobLinks.under(servletBase + "/" + list.name());
    }

    String method() {
        return head ? "GET" : req.getMethod();
    }

    /** Starts a 200 document answer (its content type was set by the choice of serializer); never cached. */
    void startDocument() {
        resp.setStatus(200);
        resp.setHeader("Cache-Control", "no-cache");
    }

    /** Answers 200 with {@code body} as UTF-8 plain text. */
    void text(String body) throws IOException {
        resp.setStatus(200);
        resp.setContentType(TEXT);
        resp.setHeader("Cache-Control", "no-cache");
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        resp.setContentLength(bytes.length);
        resp.getOutputStream().write(bytes);
    }

    /** Answers 303 See Other to {@code absoluteUrl}, with an empty body. */
    void seeOther(String absoluteUrl) {
        resp.setStatus(303);
        resp.setHeader("Location", absoluteUrl);
        resp.setContentLength(0);
    }
}
