package org.uwskit.prov.servlet;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.uwskit.Caller;
import org.uwskit.Job;
import org.uwskit.JobService;
import org.uwskit.StoreUnavailableException;
import org.uwskit.prov.ProvDocument;
import org.uwskit.prov.ProvFormat;
import org.uwskit.prov.ProvenanceDocuments;
import org.uwskit.prov.ProvenanceQuery;
import org.uwskit.spi.OwnerResolver;

/**
 * A ProvSAP-style endpoint: {@code GET …?ID=…&DEPTH=…&DIRECTION=…[&RESPONSEFORMAT=…]} answers the combined
 * provenance of a finished job and of the jobs linked to it through results they used ({@link ProvenanceQuery}).
 * Mount it next to the UWS servlet, e.g. at {@code /provsap}:
 *
 * <pre>{@code
 * ProvSapServlet provsap = ProvSapServlet.builder(service, provenanceDocuments)
 *         .jobLists("/uws", "demo", "wordcount")   // where the UwsServlet serving these job lists is mounted
 *         .ownerResolver(owners)                    // the UwsServlet's, so both show a caller the same jobs
 *         .build();
 * context.addServlet(new ServletHolder("provsap", provsap), "/provsap");
 * }</pre>
 *
 * <ul>
 *   <li>{@code ID}: a job URL or result URL of this server ({@code http://host/{servlet path}/{list}/{job}[/results/{id}]};
 *   only the path is read, so a URL seen through a proxy works), or a bare job id, looked up in every job list in
 *   the order given to the builder.</li>
 *   <li>{@code DEPTH}: job-to-job hops, a non-negative integer or {@code ALL}; default 1.</li>
 *   <li>{@code DIRECTION}: {@code BACK} (jobs whose results it used; default), {@code FORTH} or {@code BOTH}.</li>
 *   <li>{@code FORMAT} (or {@code RESPONSEFORMAT}): a short name or media type of {@link ProvFormat}; without it the
 *   {@code Accept} header chooses, PROV-JSON by default; nothing acceptable is 406.</li>
 * </ul>
 * Parameter names are case-insensitive; unknown parameters are ignored. Bad parameters give one 400
 * {@code text/plain} listing every problem, one per line. Owners are isolated with the {@link OwnerResolver}: a
 * caller only reaches jobs they may read; any other job is treated as absent (404 for the starting job, and a chain
 * stops there), so a 404 never tells whether someone else's job exists. A job that has not finished has no
 * provenance (404, as at the job-level {@code /provenance}). The job store unavailable is 503 with
 * {@code Retry-After}. Only GET (and HEAD); other methods are the container's 405. Stateless and thread-safe.
 *
 * <p>uws-prov declares the Servlet API {@code provided} and optional: a host that mounts this servlet has it from
 * its container; other users of uws-prov need no servlet classes.
 */
public final class ProvSapServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ProvSapServlet.class);

    private final transient JobService service;
    private final transient OwnerResolver owners;
    private final transient ProvenanceDocuments documents;
    private final transient ProvenanceQuery query;
    private final Map<String, String> listPaths;
    private final String publicBase;

    private ProvSapServlet(Builder b) {
        this.service = b.service;
        this.owners = b.owners;
        this.documents = b.documents;
        this.query = ProvenanceQuery.of(documents, b.maxJobs, b.maxScannedJobs);
        this.listPaths = Collections.unmodifiableMap(new LinkedHashMap<>(b.listPaths));
        this.publicBase = b.publicBase == null ? null : b.publicBase.toString().replaceAll("/+$", "");
    }

    /**
     * A new builder.
     *
     * @param service   the job service (not closed by the servlet)
     * @param documents the provenance of single jobs, as served at {@code /{job}/provenance}; its writers and
     *                  formats are the endpoint's
     * @return the builder
     */
    public static Builder builder(JobService service, ProvenanceDocuments documents) {
        return new Builder(service, documents);
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        try {
            answer(req, resp);
        } catch (ProvSapProblem p) {
            send(resp, p.status(), p.getMessage());
        } catch (StoreUnavailableException e) {
            resp.setHeader("Retry-After", "5");
            send(resp, 503, "the job store is unavailable: " + e.getMessage());
        }
    }

    private void answer(HttpServletRequest req, HttpServletResponse resp) throws IOException, ProvSapProblem {
        List<ProvFormat> offered = documents.formats();
        ProvSapParameters params = ProvSapParameters.parse(req.getParameterMap(), offered);
        ProvFormat format = params.format() != null ? params.format()
                : ProvFormatNegotiation.negotiate(req.getHeader("Accept"), offered);

        Caller caller = owners.resolve(req.getUserPrincipal(), req::isUserInRole);
        ProvSapStart start = ProvSapStart.find(service, documents.provenance(), listPaths, origin(req),
                req.getContextPath(), caller, params.id());
        ProvenanceQuery.JobLookup lookup = ProvenanceQuery.JobLookup.of(service, caller, start.list().name());
        Optional<Job> job = lookup.find(start.jobId());
        if (job.isEmpty()) {
            throw new ProvSapProblem(404, "no job " + start.jobId() + " in job list " + start.list().name());
        }
        if (!job.get().phase().isFinished()) {
            throw new ProvSapProblem(404, "job " + start.jobId() + " has no provenance: it has not finished (phase "
                    + job.get().phase() + ")");
        }
        ProvDocument doc = query.run(lookup, start.list(), start.links(), start.id(), params.scope().depth(),
                params.scope().direction());
        byte[] body = documents.writers().toBytes(doc, format);
        resp.setStatus(200);
        String type = format.mediaType();
        resp.setContentType(type.startsWith("text/") ? type + ";charset=UTF-8" : type);
        resp.setHeader("Cache-Control", "no-cache");
        resp.setHeader("Vary", "Accept");
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }

    /** The public root of the links plus the context path: the configured base, else the request's own. */
    private String origin(HttpServletRequest req) {
        StringBuffer url = req.getRequestURL();
        String uri = req.getRequestURI();
        return (publicBase != null ? publicBase : url.substring(0, Math.max(0, url.length() - uri.length())))
                + req.getContextPath();
    }

    private static void send(HttpServletResponse resp, int status, String message) throws IOException {
        if (resp.isCommitted()) {
            LOG.warn("provsap: cannot report {} after the response started: {}", status, message);
            return;
        }
        resp.resetBuffer();
        resp.setStatus(status);
        resp.setContentType("text/plain;charset=UTF-8");
        byte[] b = (message + "\n").getBytes(StandardCharsets.UTF_8);
        resp.setContentLength(b.length);
        resp.getOutputStream().write(b);
    }

    /** Configures a {@link ProvSapServlet}; at least one {@link #jobLists} call is required. */
    public static final class Builder {
        private final JobService service;
        private final ProvenanceDocuments documents;
        private final Map<String, String> listPaths = new LinkedHashMap<>();
        private OwnerResolver owners = OwnerResolver.byPrincipalName();
        private URI publicBase;
        private int maxJobs = ProvenanceQuery.DEFAULT_MAX_JOBS;
        private int maxScannedJobs = ProvenanceQuery.DEFAULT_MAX_SCANNED_JOBS;

        private Builder(JobService service, ProvenanceDocuments documents) {
            this.service = Objects.requireNonNull(service, "service");
            this.documents = Objects.requireNonNull(documents, "documents");
        }

        /**
         * Job lists whose jobs the endpoint reaches, and the path the UWS servlet serving them is mounted at (relative
         * to the context, e.g. {@code /uws} for a servlet mapped to {@code /uws/*}): job URLs are
         * {@code {public base}{context}{servletPath}/{list}/{job}}. Bare job ids are looked up in the order the job
         * lists are given. May be called again for job lists under another servlet path.
         *
         * @param servletPath the UWS servlet's path, starting with {@code /}, no trailing slash
         * @param jobLists    names of job lists of the service
         * @return this
         * @throws IllegalArgumentException if the path is malformed, a job list is unknown to the service or was
         *                                  given before
         */
        public Builder jobLists(String servletPath, String... jobLists) {
            Objects.requireNonNull(servletPath, "servletPath");
            if (!servletPath.startsWith("/") || servletPath.endsWith("/")) {
                throw new IllegalArgumentException("servlet path '" + servletPath
                        + "' must start with / and not end with / (e.g. /uws)");
            }
            for (String name : jobLists) {
                if (service.jobList(name).isEmpty()) {
                    throw new IllegalArgumentException("no job list " + name + " in the service");
                }
                if (listPaths.putIfAbsent(name, servletPath) != null) {
                    throw new IllegalArgumentException("job list " + name + " is given twice");
                }
            }
            return this;
        }

        /**
         * How the caller is derived from the host's authentication; default {@link OwnerResolver#byPrincipalName()}.
         * Give the UWS servlet's, so that both show a caller the same jobs.
         *
         * @param v the resolver
         * @return this
         */
        public Builder ownerResolver(OwnerResolver v) {
            owners = Objects.requireNonNull(v, "ownerResolver");
            return this;
        }

        /**
         * The public URL of the server's root, as given to the UWS servlet ({@code publicBaseUrl}); default null:
         * links from each request.
         *
         * @param v the URL, or null
         * @return this
         */
        public Builder publicBaseUrl(URI v) {
            publicBase = v;
            return this;
        }

        /**
         * The most job documents one query merges; default {@link ProvenanceQuery#DEFAULT_MAX_JOBS}.
         *
         * @param v at least 1
         * @return this
         */
        public Builder maxJobs(int v) {
            maxJobs = v;
            return this;
        }

        /**
         * The most finished jobs one FORTH query scans; default {@link ProvenanceQuery#DEFAULT_MAX_SCANNED_JOBS}.
         *
         * @param v at least 0
         * @return this
         */
        public Builder maxScannedJobs(int v) {
            maxScannedJobs = v;
            return this;
        }

        /**
         * Builds the servlet.
         *
         * @return the servlet
         * @throws IllegalStateException    if no job list was given
         * @throws IllegalArgumentException if a cap is out of range
         */
        public ProvSapServlet build() {
            if (listPaths.isEmpty()) {
                throw new IllegalStateException("no job lists: call jobLists(servletPath, names...)");
            }
            return new ProvSapServlet(this);
        }
    }
}
