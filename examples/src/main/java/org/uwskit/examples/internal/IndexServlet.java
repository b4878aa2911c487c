package org.uwskit.examples.internal;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import org.uwskit.JobList;
import org.uwskit.JobService;

/**
 * The example server's front page ({@code GET /}): links to each job list. Thread-safe; not a public API.
 */
public final class IndexServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private final transient JobService service;
    private final String uwsPath;
    private final String tapPath;

    public IndexServlet(JobService service, String uwsPath, String tapPath) {
        this.service = service;
        this.uwsPath = uwsPath;
        this.tapPath = tapPath;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (!"/".equals(req.getRequestURI().substring(req.getContextPath().length()))) {
            resp.sendError(HttpServletResponse.SC_NOT_FOUND, "no such resource; the job lists are under " + uwsPath);
            return;
        }
        resp.setContentType("text/html;charset=UTF-8");
        PrintWriter out = resp.getWriter();
        out.println("<!DOCTYPE html><html><head><title>uwskit example server</title></head><body>");
        out.println("<h1>uwskit example server</h1>");
        out.println("<p><a href=\"" + escape(uwsPath) + "/_manager/\">Job manager</a> (in the browser: your jobs "
                + "live, create, control, results, provenance)</p><p>UWS 1.1 job lists:</p><ul>");
        for (JobList list : service.jobLists()) {
            // each job list answers under one prefix only: "async" under the TAP path
            String path = (list.name().equals(org.uwskit.examples.DemoJobs.TAP_ASYNC) ? tapPath : uwsPath) + "/"
                    + list.name();
            out.println("<li><a href=\"" + escape(path) + "\">" + escape(path) + "</a>"
                    + (list.description() == null ? "" : " — " + escape(list.description())) + "</li>");
        }
        out.println("</ul><p>TAP clients: use <code>" + escape(tapPath) + "</code> as the TAP base URL "
                + "(jobs go to <code>" + escape(tapPath) + "/async</code>).</p>");
        if (req.getUserPrincipal() != null) {
            out.println("<p>Signed in as " + escape(req.getUserPrincipal().getName()) + ".</p>");
        }
        out.println("</body></html>");
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
