package org.uwskit.servlet.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import org.uwskit.Caller;
import org.uwskit.JobList;
import org.uwskit.spi.JobLinks;

/**
 * The state of one request while {@link UwsDispatcher} handles it: the request and response, whether it is a HEAD,
 * the public base URL, and what is read of it lazily (the caller, the query string) or asynchronously (the body).
 * Used by one thread at a time.
 */
final class Exchange {
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
}
