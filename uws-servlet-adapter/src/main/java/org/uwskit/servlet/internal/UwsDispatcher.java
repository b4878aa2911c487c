package org.uwskit.servlet.internal;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.uwskit.Caller;
import org.uwskit.InvalidRequestException;
import org.uwskit.Job;
import org.uwskit.JobDefinition;
import org.uwskit.JobFilter;
import org.uwskit.JobIds;
import org.uwskit.JobList;
import org.uwskit.JobNotFoundException;
import org.uwskit.JobRef;
import org.uwskit.JobRequest;
import org.uwskit.JobService;
import org.uwskit.Instants;
import org.uwskit.Parameter;
import org.uwskit.ParameterDefinition;
import org.uwskit.ParameterType;
import org.uwskit.PayloadTooLargeException;
import org.uwskit.QuotaExceededException;
import org.uwskit.Phase;
import org.uwskit.Result;
import org.uwskit.ResultContent;
import org.uwskit.spi.JobDocumentProvider;
import org.uwskit.spi.JobLinks;
import org.uwskit.spi.JobSerializer;
import org.uwskit.xml.UwsXml;

/**
 * Routes one HTTP request to the {@link JobService} and writes the answer. Holds only immutable configuration and
 * a small cache of XML serializers, so one instance serves all requests concurrently.
 */
public final class UwsDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(UwsDispatcher.class);
    private static final String TEXT = "text/plain;charset=UTF-8";
    private static final Set<String> CONTROL = Set.copyOf(JobDefinition.CONTROL_PARAMETERS);
    private static final List<String> SUB_RESOURCES = List.of("phase", "executionduration", "destruction", "error",
            "quote", "results", "parameters", "owner");
    private static final int MAX_CACHED_XML = 16;
    private static final String XSL_RESOURCE = HtmlView.XSL_RESOURCE;

    private final AdapterConfig c;
    private final JobService service;
    private final Map<String, JobSerializer> xmlByStylesheet = new ConcurrentHashMap<>();
    private final ErrorMapping errors;
    private final HtmlView html;
    private final ClientGone clientGone = ClientGone.forContainer();
    private final RequestDecoder decoder;
    private final BodyReader bodies;
    private final SafetyNet safetyNet = new SafetyNet();
    private final DefinitionResources definitions;
    private final ManagerResources manager;
    private final JobEvents events;

    /** @throws IllegalStateException if the bundled stylesheet is missing or broken */
    public UwsDispatcher(AdapterConfig config) {
        this.c = config;
        this.service = config.service();
        this.html = config.html() ? HtmlView.load() : null;
        this.errors = new ErrorMapping(config);
        this.decoder = new RequestDecoder(config.bodies());
        this.bodies = new BodyReader(config.bodies());
        this.definitions = new DefinitionResources(service, config.web()::serves);
        this.manager = config.manager().enabled() ? new ManagerResources(service.jobLists().stream()
                .map(JobList::name).filter(config.web()::serves).toList()) : null;
        this.events = new JobEvents(service, config.manager());
    }

    /** Ends the open event streams of the job manager (the hub keeps serving new ones). */
    public void endEventStreams() {
        events.endStreams();
    }

    /** Answers the bodies still arriving 503 and deletes their files (the servlet is destroyed). */
    public void close() {
        events.close();
        safetyNet.close();
        bodies.close();
    }

    /** The state of one request while it is handled. */
    private final class Exchange {
        final HttpServletRequest req;
        final HttpServletResponse resp;
        final boolean head;
        final String servletBase;
        Caller caller;
        Params query;
        Spool body;

        Exchange(HttpServletRequest req, HttpServletResponse resp, boolean head) {
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

    /** Handles GET, HEAD (as GET with {@code fromDoGet}), POST, PUT and DELETE. Never throws. */
    public void handle(HttpServletRequest req, HttpServletResponse resp, boolean fromDoGet) {
        try {
            ContentSafety.nosniff(resp);
            c.web().origins().check(req, req.getMethod());
            Exchange x = new Exchange(req, resp, fromDoGet && !"GET".equals(req.getMethod()));
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

    // ---------------------------------------------------------------- routing

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
        if (definitions.matches(seg) || events.matches(seg) || manager != null && manager.matches(seg)) {
            return "GET, HEAD";
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
        for (String a : allow.split(", ")) {
            if (a.equals(m)) {
                return;
            }
        }
        throw new HttpProblem(405, m + " is not allowed on " + x.req.getRequestURI() + "; allowed: " + allow, allow);
    }

    private void route(Exchange x) throws IOException, ServletException {
        List<String> seg = segments(x.req);
        requireMethod(x, seg);
        if (seg.isEmpty()) {
            root(x);
            return;
        }
        if (seg.size() == 1 && seg.get(0).equals(c.stylesheetPath())) {
            stylesheet(x);
            return;
        }
        if (definitions.matches(seg)) {
            definitions.serve(x.req, x.resp, x.caller(), x.servletBase, seg);
            return;
        }
        if (manager != null && manager.matches(seg)) {
            manager.serve(x.req, x.resp, seg);
            return;
        }
        JobList list = service.jobList(seg.get(0)).filter(l -> c.web().serves(l.name()))
                .orElseThrow(() -> new HttpProblem(404, "no job list '" + seg.get(0) + "'; this service offers "
                        + service.jobLists().stream().map(JobList::name).filter(c.web()::serves).toList()));
        // the list's access rule and the owner's request-rate quota; a body has been read already (without a
        // container thread): refusing earlier would leave the container to swallow it on one of its own threads
        service.admit(x.caller(), list.name());
        if (events.matches(seg)) {
            if (x.head) {
                x.resp.setStatus(200);
                x.resp.setContentType("text/event-stream;charset=UTF-8");
                return;
            }
            events.open(x.req, x.resp, x.caller(), list);
            return;
        }
        if (seg.size() == 1) {
            if (x.method().equals("GET")) {
                listJobs(x, list);
            } else {
                createJob(x, list);
            }
            return;
        }
        String jobId = seg.get(1);
        if (!JobIds.isWellFormed(jobId)) {
            throw new JobNotFoundException(jobId, "no job '" + jobId + "' in job list " + list.name());
        }
        if (seg.size() == 2) {
            switch (x.method()) {
                case "GET" -> getJob(x, list, jobId);
                case "DELETE" -> deleteJob(x, list, jobId);
                default -> postToJob(x, list, jobId);
            }
            return;
        }
        String sub = seg.get(2);
        if (seg.size() == 3) {
            subResource(x, list, jobId, sub);
            return;
        }
        if (seg.size() == 4 && sub.equals("results")) {
            result(x, list, jobId, seg.get(3));
            return;
        }
        if (seg.size() == 4 && sub.equals("parameters")) {
            if (x.method().equals("PUT")) {
                putParameter(x, list, jobId, seg.get(3));
            } else {
                getParameter(x, list, jobId, seg.get(3));
            }
            return;
        }
        throw new HttpProblem(404, "no resource " + x.req.getRequestURI());
    }

    private void subResource(Exchange x, JobList list, String jobId, String sub) throws IOException, ServletException {
        boolean get = x.method().equals("GET");
        switch (sub) {
            case "phase" -> {
                if (get) {
                    text(x, job(x, list, jobId).phase().name());
                } else {
                    Params p = form(x);
                    Job j = phaseAction(x, list, jobId, p.first("PHASE").orElse(null));
                    seeOther(x, x.links(list).job(j.jobId()));
                }
            }
            case "executionduration" -> {
                if (get) {
                    text(x, Long.toString(job(x, list, jobId).executionDuration()));
                } else {
                    long s = ControlValues.executionDuration(form(x).first("EXECUTIONDURATION").orElse(null));
                    service.setExecutionDuration(x.caller(), list.name(), jobId, s);
                    seeOther(x, x.links(list).job(jobId));
                }
            }
            case "destruction" -> {
                if (get) {
                    Instant d = job(x, list, jobId).destruction();
                    text(x, d == null ? "" : Instants.format(d));
                } else {
                    Instant d = ControlValues.destruction(form(x).first("DESTRUCTION").orElse(null));
                    service.setDestruction(x.caller(), list.name(), jobId, d);
                    seeOther(x, x.links(list).job(jobId));
                }
            }
            case "quote" -> {
                Instant q = job(x, list, jobId).quote();
                text(x, q == null ? "" : Instants.format(q));
            }
            case "owner" -> {
                String o = job(x, list, jobId).ownerId();
                text(x, o == null ? "" : o);
            }
            case "error" -> {
                Job j = job(x, list, jobId);
                if (j.error() == null) {
                    throw new HttpProblem(404, "job " + jobId + " has no error (phase " + j.phase() + ")");
                }
                text(x, j.error().hasDetail() ? j.error().detail() : j.error().message());
            }
            case "results" -> {
                Job j = withDocumentResults(job(x, list, jobId), list, x.links(list));
                JobSerializer s = serializer(x);
                startDocument(x, s);
                s.writeResults(j, x.links(list), ResponseBody.of(x.resp));
            }
            case "parameters" -> {
                if (get) {
                    Job j = job(x, list, jobId);
                    JobSerializer s = serializer(x);
                    startDocument(x, s);
                    s.writeParameters(j, x.links(list), ResponseBody.of(x.resp));
                } else {
                    updateParameters(x, list, jobId);
                }
            }
            default -> document(x, list, jobId, sub);
        }
    }

    // ---------------------------------------------------------------- job list

    private void root(Exchange x) throws IOException {
        StringBuilder b = new StringBuilder();
        for (JobList l : service.jobLists()) {
            if (!c.web().serves(l.name())) {
                continue;
            }
            b.append(x.servletBase).append('/').append(l.name()).append('\n');
        }
        text(x, b.toString());
    }

    private void listJobs(Exchange x, JobList list) throws IOException {
        Params q = x.query();
        Set<Phase> phases = ControlValues.phases(q.all("PHASE"));
        Instant after = q.first("AFTER").map(v -> ControlValues.instant("AFTER", v)).orElse(null);
        Integer last = ControlValues.last(q.first("LAST").orElse(null));
        Caller caller = x.caller();
        // ask for every owner: the service narrows the filter to what the caller may see
        JobFilter filter = new JobFilter(list.name(), null, true, phases, after, last);
        JobSerializer s = HtmlView.forList(serializer(x), list);
        try (Stream<JobRef> refs = service.list(caller, filter)) {
            startDocument(x, s);
            s.writeJobList(refs.iterator(), x.links(list), ResponseBody.of(x.resp));
        }
    }

    private void createJob(Exchange x, JobList list) throws IOException, ServletException {
        List<JobRequest.Upload> uploads = new ArrayList<>();
        Params p = RequestDecoder.isMultipart(x.req) ? multipart(x, uploads) : form(x);
        boolean run = false;
        for (String ph : p.all("PHASE")) {
            if (!ControlValues.cleaned("PHASE", ph).equalsIgnoreCase("RUN")) {
                throw new InvalidRequestException("PHASE=" + ControlValues.shown(ph)
                        + " is not allowed when creating a job: only PHASE=RUN");
            }
            run = true;
        }
        JobRequest.Builder r = JobRequest.builder()
                .parameters(withoutBlankFields(list, p, p.parametersExcept(CONTROL)))
                .runId(p.first("RUNID").orElse(null))
                .run(run);
        Optional<String> duration = p.first("EXECUTIONDURATION");
        if (duration.isPresent()) {
            r.executionDuration(ControlValues.executionDuration(duration.get()));
        }
        Optional<String> destruction = p.first("DESTRUCTION");
        if (destruction.isPresent()) {
            r.destruction(ControlValues.destruction(destruction.get()));
        }
        uploads.forEach(r::upload);
        Job job;
        try {
            job = service.create(x.caller(), list.name(), r.build());
        } finally {
            for (JobRequest.Upload u : uploads) {
                closeQuietly(u.content());
            }
        }
        seeOther(x, x.links(list).job(job.jobId()));
    }

    /**
     * The parameters without the blank values of declared parameters that are not STRINGs: what a browser sends for
     * a field of the HTML creation form left empty (a number, a select's "(none)"), which therefore means "not
     * given" (the default applies, or a missing required parameter is reported) rather than an invalid value.
     */
    private static List<Parameter> withoutBlankFields(JobList list, Params p, List<Parameter> params) {
        JobDefinition def;
        try {
            def = list.select(list.definitions().size() == 1 ? null : p.first(list.selector()).orElse(null));
        } catch (InvalidRequestException e) {
            return params; // the service reports the missing or unknown job type
        }
        List<Parameter> out = new ArrayList<>(params.size());
        for (Parameter q : params) {
            ParameterDefinition d = declared(def, q.name());
            if (d == null || d.type() == ParameterType.STRING || !q.value().isBlank()) {
                out.add(q);
            }
        }
        return out;
    }

    private static ParameterDefinition declared(JobDefinition def, String name) {
        for (ParameterDefinition d : def.parameters().values()) {
            if (d.name().equalsIgnoreCase(name)) {
                return d;
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- job

    private Job job(Exchange x, JobList list, String jobId) {
        return service.get(x.caller(), list.name(), jobId);
    }

    private void getJob(Exchange x, JobList list, String jobId) throws IOException {
        Params q = x.query();
        Optional<String> wait = q.first("WAIT");
        if (wait.isPresent()) {
            Duration d = ControlValues.waitTime(wait.get());
            Phase expected = q.first("PHASE").map(v -> ControlValues.phase("PHASE", v)).orElse(null);
            if (d == null || !d.isZero()) {
                waitForChange(x, list, jobId, d, expected);
                return;
            }
        }
        writeJob(x, list, job(x, list, jobId));
    }

    private void writeJob(Exchange x, JobList list, Job job) throws IOException {
        JobLinks links = x.links(list);
        JobSerializer s = serializer(x);
        startDocument(x, s);
        s.writeJob(withDocumentResults(job, list, links), links, ResponseBody.of(x.resp));
    }

    /**
     * A blocking WAIT without a container thread: the request is suspended until the service's future completes
     * (phase change, timeout, deletion). The container's async timeout is a safety net; a client that closes its
     * connection is noticed by {@link ClientGone} (at once on Jetty 12) or by the container when it next touches
     * the connection, and its waiter is cancelled.
     */
    private void waitForChange(Exchange x, JobList list, String jobId, Duration wait, Phase expected)
            throws IOException {
        Caller caller = x.caller();
        CompletableFuture<Job> future = service.awaitChange(caller, list.name(), jobId, wait, expected);
        if (future.isDone()) {
            writeJob(x, list, join(future));
            return;
        }
        Duration cap = list.policy().maxWait();
        Duration limit = wait == null || wait.compareTo(cap) > 0 ? cap : wait;
        AsyncContext ac = x.req.startAsync(x.req, x.resp);
        // no container timeout: the safety net below is ours (see SafetyNet for why)
        ac.setTimeout(0);
        AtomicBoolean finished = new AtomicBoolean();
        AtomicReference<ClientGone.Watch> watch = new AtomicReference<>(ClientGone.NONE);
        SafetyNet.Deadline net = safetyNet.add(limit.plus(c.waitMargin()), () -> {
            // the service never answered (its future should have completed at the timeout): the current state
            if (finished.compareAndSet(false, true)) {
                future.cancel(false);
                answerLater(ac, x, jobId, () -> writeJob(x, list, job(x, list, jobId)), () -> {
                    watch.get().close();
                    ac.complete();
                });
            }
        });
        // every path that completes the request withdraws the watch first (Jetty reads the next request after)
        Runnable complete = () -> {
            net.cancel();
            watch.get().close();
            ac.complete();
        };
        ac.addListener(new AsyncListener() {
            @Override
            public void onComplete(AsyncEvent event) {
                net.cancel();
                watch.get().close();
                future.cancel(false);
            }

            @Override
            public void onTimeout(AsyncEvent event) {
                if (finished.compareAndSet(false, true)) {
                    future.cancel(false);
                    try {
                        writeJob(x, list, job(x, list, jobId));
                    } catch (Throwable t) {
                        fail(x.req, x.resp, t);
                    } finally {
                        complete.run();
                    }
                }
            }

            @Override
            public void onError(AsyncEvent event) {
                if (finished.compareAndSet(false, true)) {
                    future.cancel(false);
                    complete.run();
                }
            }

            @Override
            public void onStartAsync(AsyncEvent event) {
                // not re-dispatched
            }
        });
        watch.set(clientGone.watch(x.req, () -> {
            // the client closed (or pipelined another request): answer now with the current state; if it is
            // gone the write fails quietly, and either way the waiter is released at once
            if (finished.compareAndSet(false, true)) {
                future.cancel(false);
                answerLater(ac, x, jobId, () -> writeJob(x, list, job(x, list, jobId)), complete);
            }
        }));
        future.whenComplete((job, error) -> {
            if (!finished.compareAndSet(false, true)) {
                return;
            }
            // write on a container thread: the completing thread belongs to the service (wait timer, engine)
            answerLater(ac, x, jobId, () -> {
                if (error != null) {
                    fail(x.req, x.resp, error);
                } else {
                    writeJob(x, list, job);
                }
            }, complete);
        });
    }

    @FunctionalInterface
    private interface Answer {
        void write() throws IOException;
    }

    private void answerLater(AsyncContext ac, Exchange x, String jobId, Answer answer, Runnable complete) {
        try {
            ac.start(() -> {
                try {
                    answer.write();
                } catch (Throwable t) {
                    fail(x.req, x.resp, t);
                } finally {
                    complete.run();
                }
            });
        } catch (IllegalStateException gone) {
            LOG.debug("WAIT on job {} ended after its request was completed", jobId);
        }
    }

    private static Job join(CompletableFuture<Job> f) {
        try {
            return f.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new CompletionException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompletionException(e);
        }
    }

    private void deleteJob(Exchange x, JobList list, String jobId) throws IOException {
        service.delete(x.caller(), list.name(), jobId);
        seeOther(x, x.links(list).jobList());
    }

    private void postToJob(Exchange x, JobList list, String jobId) throws IOException, ServletException {
        Params p = form(x);
        Optional<String> action = p.first("ACTION");
        if (action.isPresent()) {
            if (!ControlValues.cleaned("ACTION", action.get()).equalsIgnoreCase("DELETE")) {
                throw new InvalidRequestException("ACTION=" + ControlValues.shown(action.get())
                        + " is not supported; the only action is ACTION=DELETE");
            }
            deleteJob(x, list, jobId);
            return;
        }
        if (p.has("PHASE")) {
            phaseAction(x, list, jobId, p.first("PHASE").get());
            seeOther(x, x.links(list).job(jobId));
            return;
        }
        if (list.policy().parametersAtJobUrl() && !p.isEmpty()) {
            service.updateParameters(x.caller(), list.name(), jobId, p.parametersExcept(CONTROL));
            seeOther(x, x.links(list).job(jobId));
            return;
        }
        throw new InvalidRequestException("a POST to a job needs ACTION=DELETE or PHASE=RUN|ABORT"
                + (list.policy().parametersAtJobUrl() ? "" : "; change parameters at " + x.links(list).job(jobId)
                + "/parameters"));
    }

    /**
     * {@code POST /parameters} (urlencoded, or multipart with inline uploads as pyvo sends them:
     * {@code UPLOAD=t,param:t} plus a part {@code t}) → 303 to the job.
     */
    private void updateParameters(Exchange x, JobList list, String jobId) throws IOException, ServletException {
        List<JobRequest.Upload> uploads = new ArrayList<>();
        try {
            Params p = RequestDecoder.isMultipart(x.req) ? multipart(x, uploads) : form(x);
            if (p.isEmpty() && uploads.isEmpty()) {
                throw new InvalidRequestException("no parameters given: send name=value pairs or multipart uploads");
            }
            for (String name : NOT_PARAMETERS) {
                if (p.has(name)) {
                    throw notAParameter(x, list, jobId, name);
                }
            }
            service.updateParameters(x.caller(), list.name(), jobId, p.parametersExcept(Set.of()), uploads);
        } finally {
            for (JobRequest.Upload u : uploads) {
                closeQuietly(u.content());
            }
        }
        seeOther(x, x.links(list).job(jobId));
    }

    private Job phaseAction(Exchange x, JobList list, String jobId, String raw) {
        return switch (ControlValues.phaseAction(raw)) {
            case RUN -> service.run(x.caller(), list.name(), jobId);
            case ABORT -> service.abort(x.caller(), list.name(), jobId);
        };
    }

    // ---------------------------------------------------------------- results, parameters, documents

    /** Adds the documents of providers that want to be listed as results, pointing at their own URL. */
    private Job withDocumentResults(Job job, JobList list, JobLinks links) {
        List<Result> extra = new ArrayList<>();
        for (JobDocumentProvider p : c.documentProviders()) {
            if (job.result(p.name()).isEmpty() && p.listAsResult(job, list) && p.appliesTo(job, list)) {
                extra.add(new Result(p.name(), URI.create(links.job(job.jobId()) + "/" + p.name()),
                        p.mediaTypes().get(0), -1));
            }
        }
        if (extra.isEmpty()) {
            return job;
        }
        List<Result> all = new ArrayList<>(job.results());
        all.addAll(extra);
        return job.toBuilder().results(all).build();
    }

    private void result(Exchange x, JobList list, String jobId, String resultId) throws IOException {
        Job job = withDocumentResults(job(x, list, jobId), list, x.links(list));
        Result r = job.result(resultId).orElseThrow(() -> new HttpProblem(404, "job " + jobId
                + " has no result '" + resultId + "'"));
        if (!r.isStored()) {
            seeOther(x, r.location().toString());
            return;
        }
        Caller caller = x.caller();
        serveContent(x, (off, len) -> service.openResult(caller, list.name(), jobId, resultId, off, len), r.mimeType(),
                resultId);
    }

    private void getParameter(Exchange x, JobList list, String jobId, String name) throws IOException {
        Job job = job(x, list, jobId);
        List<Parameter> values = job.parameters(name);
        if (values.isEmpty()) {
            throw new HttpProblem(404, "job " + jobId + " has no parameter '" + name + "'");
        }
        for (Parameter p : values) {
            if (p.upload() != null) {
                String part = p.value().startsWith("param:") ? p.value().substring(6) : p.name();
                Caller caller = x.caller();
                serveContent(x, (off, len) -> service.openUpload(caller, list.name(), jobId, part, off, len),
                        p.upload().mimeType(), p.upload().fileName() != null ? p.upload().fileName() : part);
                return;
            }
        }
        StringBuilder b = new StringBuilder();
        for (Parameter p : values) {
            if (b.length() > 0) {
                b.append('\n');
            }
            b.append(p.value());
        }
        text(x, b.toString());
    }

    /**
     * The control parameters that {@code /parameters} refuses: they have resources of their own (RUNID is kept as a
     * parameter, as taplint expects it to be reflected there).
     */
    private static final List<String> NOT_PARAMETERS = List.of("PHASE", "ACTION", "WAIT", "EXECUTIONDURATION",
            "DESTRUCTION");

    private static InvalidRequestException notAParameter(Exchange x, JobList list, String jobId, String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        String where = switch (upper) {
            case "PHASE" -> "POST it to " + x.links(list).job(jobId) + "/phase";
            case "EXECUTIONDURATION", "DESTRUCTION" -> "POST it to " + x.links(list).job(jobId) + "/"
                    + upper.toLowerCase(Locale.ROOT);
            case "ACTION" -> "POST ACTION=DELETE to " + x.links(list).job(jobId);
            default -> "use it as a query parameter of GET " + x.links(list).job(jobId);
        };
        return new InvalidRequestException(upper + " is a UWS control parameter, not a job parameter: " + where);
    }

    private void putParameter(Exchange x, JobList list, String jobId, String name) throws IOException {
        for (String control : NOT_PARAMETERS) {
            if (control.equalsIgnoreCase(name)) {
                throw notAParameter(x, list, jobId, name);
            }
        }
        String value = decoder.value(x.req, x.body);
        service.updateParameters(x.caller(), list.name(), jobId, List.of(Parameter.of(name, value)));
        seeOther(x, x.links(list).job(jobId));
    }

    private void document(Exchange x, JobList list, String jobId, String name) throws IOException {
        JobDocumentProvider provider = null;
        for (JobDocumentProvider p : c.documentProviders()) {
            if (p.name().equals(name)) {
                provider = p;
            }
        }
        if (provider == null || !x.method().equals("GET")) {
            throw new HttpProblem(404, "no resource '" + name + "' for a job; UWS offers " + SUB_RESOURCES
                    + (c.documentProviders().isEmpty() ? "" : " and "
                    + c.documentProviders().stream().map(JobDocumentProvider::name).toList()));
        }
        Job job = job(x, list, jobId);
        if (!provider.appliesTo(job, list)) {
            throw new HttpProblem(404, "job " + jobId + " has no " + name + " document (phase " + job.phase() + ")");
        }
        String mediaType;
        Optional<String> format = x.query().first("FORMAT");
        if (format.isPresent()) {
            mediaType = null;
            for (int i = 0; i < provider.mediaTypes().size(); i++) {
                String mt = provider.mediaTypes().get(i);
                String fn = i < provider.formatNames().size() ? provider.formatNames().get(i) : mt;
                if (fn.equalsIgnoreCase(format.get().trim()) || mt.equalsIgnoreCase(format.get().trim())) {
                    mediaType = mt;
                }
            }
            if (mediaType == null) {
                throw new HttpProblem(406, "FORMAT=" + ControlValues.shown(format.get()) + " is not offered for "
                        + name + "; use one of " + provider.formatNames() + " or " + provider.mediaTypes());
            }
        } else {
            mediaType = Negotiation.choose(x.req.getHeader("Accept"), provider.mediaTypes());
            if (mediaType == null) {
                throw new HttpProblem(406, "none of the media types accepted (" + x.req.getHeader("Accept")
                        + ") is offered for " + name + "; offered: " + provider.mediaTypes());
            }
        }
        x.resp.setStatus(200);
        x.resp.setContentType(mediaType.startsWith("text/") ? mediaType + ";charset=UTF-8" : mediaType);
        x.resp.setHeader("Cache-Control", "no-cache");
        OutputStream out = x.resp.getOutputStream();
        provider.write(job, list, x.links(list), mediaType, out);
        out.flush();
    }

    @FunctionalInterface
    private interface Opener {
        ResultContent open(long offset, long length) throws IOException;
    }

    /**
     * Serves stored bytes (user content) with their type and length, honouring a single {@code Range} (206 / 416),
     * with the headers of {@link ContentSafety}.
     */
    private void serveContent(Exchange x, Opener opener, String mimeType, String name) throws IOException {
        ResultContent rc = opener.open(0, -1);
        try {
            long total = rc.totalSize();
            ByteRange range;
            try {
                range = ByteRange.parse(x.req.getHeader("Range"), total);
            } catch (ByteRange.Unsatisfiable e) {
                x.resp.setStatus(416);
                x.resp.setHeader("Content-Range", "bytes */" + total);
                x.resp.setContentType(TEXT);
                x.resp.getWriter().write(e.getMessage() + "\n");
                return;
            }
            x.resp.setHeader("Accept-Ranges", "bytes");
            x.resp.setContentType(mimeType == null ? "application/octet-stream" : mimeType);
            ContentSafety.userContent(x.resp, mimeType, name);
            if (range != null) {
                rc.close();
                rc = opener.open(range.first(), range.length());
                x.resp.setStatus(206);
                x.resp.setHeader("Content-Range", "bytes " + range.first() + "-" + range.last() + "/" + total);
                x.resp.setContentLengthLong(range.length());
            } else {
                x.resp.setStatus(200);
                x.resp.setContentLengthLong(total);
            }
            if (!x.head) {
                rc.stream().transferTo(x.resp.getOutputStream());
            }
        } finally {
            rc.close();
        }
    }

    // ---------------------------------------------------------------- request bodies (RequestDecoder)

    /** The query string pairs followed by those of an urlencoded (or multipart, without files) body. */
    private Params form(Exchange x) throws IOException {
        return decoder.form(x.req, x.method(), x.query(), x.body);
    }

    /** The query string pairs and the text fields of a multipart body; files into {@code uploads} (null: refused). */
    private Params multipart(Exchange x, List<JobRequest.Upload> uploads) throws IOException {
        return decoder.multipart(x.req, x.query(), x.body, uploads);
    }

    // ---------------------------------------------------------------- responses

    /**
     * XML unless JSON (or another added type) is explicitly asked for by {@code Accept} or {@code FORMAT}; an HTML
     * page rendered here when the client prefers {@code text/html} to XML (a browser) or asks {@code FORMAT=html}.
     */
    private JobSerializer serializer(Exchange x) {
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

    private static void startDocument(Exchange x, JobSerializer s) {
        x.resp.setStatus(200);
        x.resp.setHeader("Cache-Control", "no-cache");
    }

    private static void text(Exchange x, String body) throws IOException {
        x.resp.setStatus(200);
        x.resp.setContentType(TEXT);
        x.resp.setHeader("Cache-Control", "no-cache");
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.resp.setContentLength(bytes.length);
        x.resp.getOutputStream().write(bytes);
    }

    private static void seeOther(Exchange x, String absoluteUrl) {
        x.resp.setStatus(303);
        x.resp.setHeader("Location", absoluteUrl);
        x.resp.setContentLength(0);
    }

    private void stylesheet(Exchange x) throws IOException {
        try (InputStream in = UwsDispatcher.class.getResourceAsStream(XSL_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(XSL_RESOURCE + " is missing from the class path");
            }
            x.resp.setStatus(200);
            x.resp.setContentType("text/xsl;charset=UTF-8");
            x.resp.setHeader("Cache-Control", "max-age=3600");
            in.transferTo(x.resp.getOutputStream());
        }
    }

    /** Writes the HTTP answer for an exception ({@link ErrorMapping}). */
    void fail(HttpServletRequest req, HttpServletResponse resp, Throwable thrown) {
        errors.write(req, resp, thrown);
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            LOG.debug("closing an upload stream failed: {}", e.toString());
        }
    }
}
