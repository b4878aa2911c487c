package org.uwskit.servlet.internal;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.uwskit.JobIds;
import org.uwskit.JobList;
import org.uwskit.JobNotFoundException;
import org.uwskit.JobService;

/**
 * Routes one HTTP request to the class that answers it: the side routes beside the job tree ({@link SideRoute}: job
 * type descriptions, the job manager, event streams), the stylesheet, the job lists ({@link JobListResources}), job
 * creation and parameters ({@link JobRequests}), a job and its sub-resources ({@link JobResources}). Before that it
 * checks the method against the path (405 with {@code Allow}) and the request's origin, and reads a body without a
 * container thread ({@link BodyReader}); every failure is answered by {@link ErrorMapping}. Holds only immutable
 * configuration and the parts' own state, so one instance serves all requests concurrently.
 */
public final class UwsDispatcher {
    private final AdapterConfig c;
    private final ErrorMapping errors;
    private final Representations representations;
    private final RequestDecoder decoder;
    private final BodyReader bodies;
    private final JobEvents events;
    private final JobListResources lists;
    private final JobRequests requests;
    private final JobResources jobs;
    private final List<SideRoute> sideRoutes = new ArrayList<>();

    /** @throws IllegalStateException if the bundled stylesheet is missing or broken */
    public UwsDispatcher(AdapterConfig config) {
        this.c = config;
        JobService service = config.service();
        this.representations = new Representations(config, config.html() ? HtmlView.load() : null);
        this.errors = new ErrorMapping(config);
        this.decoder = new RequestDecoder(config.bodies());
        this.bodies = new BodyReader(config.bodies());
        this.events = new JobEvents(service, config.manager());
        this.lists = new JobListResources(config, representations);
        this.requests = new JobRequests(service, decoder);
        this.jobs = new JobResources(config, decoder, representations, requests, errors);
        DefinitionResources definitions = new DefinitionResources(service, config.web()::serves);
        sideRoutes.add(SideRoute.get(definitions::matches,
                (x, seg) -> definitions.serve(x.req, x.resp, x.caller(), x.servletBase, seg)));
        if (config.manager().enabled()) {
            ManagerResources manager = new ManagerResources(service.jobLists().stream()
                    .map(JobList::name).filter(config.web()::serves).toList());
            sideRoutes.add(SideRoute.get(manager::matches, (x, seg) -> manager.serve(x.req, x.resp, seg)));
        }
        sideRoutes.add(SideRoute.get(events::matches, this::events));
        // no caller, no list rule, no owner quota: the receiver checks the job's token
        CallbackRoute callbacks = new CallbackRoute(config.callbackReceivers());
        sideRoutes.add(SideRoute.of("POST", callbacks::matches, callbacks::serve));
    }

    /** Ends the open event streams of the job manager (the hub keeps serving new ones). */
    public void endEventStreams() {
        events.endStreams();
    }

    /** Answers the bodies still arriving 503 and deletes their files (the servlet is destroyed). */
    public void close() {
        events.close();
        jobs.close();
        bodies.close();
    }

    /** Handles GET, HEAD (as GET with {@code fromDoGet}), POST, PUT and DELETE. Never throws. */
    public void handle(HttpServletRequest req, HttpServletResponse resp, boolean fromDoGet) {
        try {
            ContentSafety.nosniff(resp);
            c.web().origins().check(req, req.getMethod());
            Exchange x = new Exchange(c, req, resp, fromDoGet && !"GET".equals(req.getMethod()));
            long limit = decoder.bodyLimit(req, x.method());
            if (limit < 0) {
                route(x);
                return;
            }
            // the body first, without a container thread while it arrives; then the request on a container thread
            bodies.read(req, resp, limit, decoder.what(req, x.method()), body -> {
                x.body = body;
                route(x);
            }, t -> fail(req, resp, t));
        } catch (Throwable t) {
            fail(req, resp, t);
        }
    }

    /** Any other method: OPTIONS lists what the resource allows, the rest get 405 with {@code Allow}. */
    public void handleOther(HttpServletRequest req, HttpServletResponse resp) {
        try {
            ContentSafety.nosniff(resp);
            String allow = allowed(segments(req));
            if ("OPTIONS".equals(req.getMethod())) {
                resp.setHeader("Allow", allow + ", OPTIONS");
                resp.setStatus(204);
                return;
            }
            throw new HttpProblem(405, req.getMethod() + " is not allowed on " + req.getRequestURI()
                    + "; allowed: " + allow, allow);
        } catch (Throwable t) {
            fail(req, resp, t);
        }
    }

    private static List<String> segments(HttpServletRequest req) {
        String path = req.getPathInfo();
        List<String> out = new ArrayList<>();
        if (path != null) {
            for (String s : path.split("/")) {
                if (!s.isEmpty()) {
                    out.add(s);
                }
            }
        }
        return out;
    }

    /** The methods a path allows, by its shape (HEAD is implied by GET). */
    private String allowed(List<String> seg) {
        for (SideRoute r : sideRoutes) {
            if (r.matches(seg)) {
                return r.allowed();
            }
        }
        switch (seg.size()) {
            case 0:
                return "GET, HEAD";
            case 1:
                return seg.get(0).equals(c.stylesheetPath()) ? "GET, HEAD" : "GET, HEAD, POST";
            case 2:
                return "GET, HEAD, POST, DELETE";
            case 3:
                return switch (seg.get(2)) {
                    case "phase", "executionduration", "destruction", "parameters" -> "GET, HEAD, POST";
                    default -> "GET, HEAD";
                };
            case 4:
                return seg.get(2).equals("parameters") ? "GET, HEAD, PUT" : "GET, HEAD";
            default:
                return "GET, HEAD";
        }
    }

    private void requireMethod(Exchange x, List<String> seg) {
        String allow = allowed(seg);
        String m = x.method();
        if (allows(allow, m)) {
            return;
        }
        throw new HttpProblem(405, m + " is not allowed on " + x.req.getRequestURI() + "; allowed: " + allow, allow);
    }

    /**
     * Whether {@code method} is one of the ", "-separated tokens of {@code allow} (without {@code String.split},
     * which compiles a regular expression for a two-character separator on every request).
     */
    static boolean allows(String allow, String method) {
        int n = method.length();
        for (int from = 0; from <= allow.length(); ) {
            int end = allow.indexOf(", ", from);
            if (end < 0) {
                end = allow.length();
            }
            if (end - from == n && allow.startsWith(method, from)) {
                return true;
            }
            from = end + 2;
        }
        return false;
    }

    private void route(Exchange x) throws IOException, ServletException {
        List<String> seg = segments(x.req);
        requireMethod(x, seg);
        if (seg.isEmpty()) {
            lists.root(x);
            return;
        }
        if (seg.size() == 1 && seg.get(0).equals(c.stylesheetPath())) {
            representations.stylesheet(x);
            return;
        }
        for (SideRoute r : sideRoutes) {
            if (r.matches(seg)) {
                r.serve(x, seg);
                return;
            }
        }
        JobList list = lists.admitted(x, seg.get(0));
        if (seg.size() == 1) {
            if (x.method().equals("GET")) {
                lists.list(x, list);
            } else {
                requests.create(x, list);
            }
            return;
        }
        String jobId = seg.get(1);
        if (!JobIds.isWellFormed(jobId)) {
            throw new JobNotFoundException(jobId, "no job '" + jobId + "' in job list " + list.name());
        }
        if (seg.size() == 2) {
            jobs.serve(x, list, jobId);
            return;
        }
        String sub = seg.get(2);
        if (seg.size() == 3) {
            jobs.subResource(x, list, jobId, sub);
            return;
        }
        if (seg.size() == 4 && sub.equals("results")) {
            jobs.result(x, list, jobId, seg.get(3));
            return;
        }
        if (seg.size() == 4 && sub.equals("parameters")) {
            if (x.method().equals("PUT")) {
                requests.put(x, list, jobId, seg.get(3));
            } else {
                requests.get(x, list, jobId, seg.get(3));
            }
            return;
        }
        throw new HttpProblem(404, "no resource " + x.req.getRequestURI());
    }

    /** {@code {list}/events}: the caller's jobs' changes as server-sent events, once admitted to the job list. */
    private void events(Exchange x, List<String> seg) throws IOException {
        JobList list = lists.admitted(x, seg.get(0));
        if (x.head) {
            x.resp.setStatus(200);
            x.resp.setContentType("text/event-stream;charset=UTF-8");
            return;
        }
        events.open(x.req, x.resp, x.caller(), list);
    }

    /** Writes the HTTP answer for an exception ({@link ErrorMapping}). */
    private void fail(HttpServletRequest req, HttpServletResponse resp, Throwable thrown) {
        errors.write(req, resp, thrown);
    }
}
