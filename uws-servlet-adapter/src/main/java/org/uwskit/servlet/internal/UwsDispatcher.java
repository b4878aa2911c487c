package org.uwskit.servlet.internal;

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
import java.util.Optional;
import java.util.Set;
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
import org.uwskit.Phase;
import org.uwskit.Result;
import org.uwskit.spi.JobDocumentProvider;
import org.uwskit.spi.JobLinks;
import org.uwskit.spi.JobSerializer;

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

    private final AdapterConfig c;
    private final JobService service;
    private final ErrorMapping errors;
    private final Representations representations;
    private final RequestDecoder decoder;
    private final BodyReader bodies;
    private final BlockingWait waits;
    private final DefinitionResources definitions;
    private final ManagerResources manager;
    private final JobEvents events;
    private final CallbackRoute callbacks;

    /** @throws IllegalStateException if the bundled stylesheet is missing or broken */
    public UwsDispatcher(AdapterConfig config) {
        this.c = config;
        this.service = config.service();
        this.representations = new Representations(config, config.html() ? HtmlView.load() : null);
        this.waits = new BlockingWait(config, new BlockingWait.Answers() {
            @Override
            public void writeJob(Exchange x, JobList list, Job job) throws IOException {
                UwsDispatcher.this.writeJob(x, list, job);
            }

            @Override
            public Job current(Exchange x, JobList list, String jobId) {
                return job(x, list, jobId);
            }

            @Override
            public void fail(HttpServletRequest req, HttpServletResponse resp, Throwable thrown) {
                UwsDispatcher.this.fail(req, resp, thrown);
            }
        });
        this.errors = new ErrorMapping(config);
        this.decoder = new RequestDecoder(config.bodies());
        this.bodies = new BodyReader(config.bodies());
        this.definitions = new DefinitionResources(service, config.web()::serves);
        this.manager = config.manager().enabled() ? new ManagerResources(service.jobLists().stream()
                .map(JobList::name).filter(config.web()::serves).toList()) : null;
        this.events = new JobEvents(service, config.manager());
        this.callbacks = new CallbackRoute(config.callbackReceivers());
    }

    /** Ends the open event streams of the job manager (the hub keeps serving new ones). */
    public void endEventStreams() {
        events.endStreams();
    }

    /** Answers the bodies still arriving 503 and deletes their files (the servlet is destroyed). */
    public void close() {
        events.close();
        waits.close();
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
        if (callbacks.matches(seg)) {
            return "POST";
        }
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
            representations.stylesheet(x);
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
        if (callbacks.matches(seg)) { // no caller, no list rule, no owner quota: the receiver checks the job's token
            callbacks.serve(x, seg);
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
                JobSerializer s = representations.serializer(x);
                startDocument(x, s);
                s.writeResults(j, x.links(list), ResponseBody.of(x.resp));
            }
            case "parameters" -> {
                if (get) {
                    Job j = job(x, list, jobId);
                    JobSerializer s = representations.serializer(x);
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
        JobSerializer s = HtmlView.forList(representations.serializer(x), list);
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
                waits.start(x, list, jobId, d, expected);
                return;
            }
        }
        writeJob(x, list, job(x, list, jobId));
    }

    private void writeJob(Exchange x, JobList list, Job job) throws IOException {
        JobLinks links = x.links(list);
        JobSerializer s = representations.serializer(x);
        startDocument(x, s);
        s.writeJob(withDocumentResults(job, list, links), links, ResponseBody.of(x.resp));
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
        StoredContent.serve(x, (off, len) -> service.openResult(caller, list.name(), jobId, resultId, off, len), r.mimeType(),
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
                StoredContent.serve(x, (off, len) -> service.openUpload(caller, list.name(), jobId, part, off, len),
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
