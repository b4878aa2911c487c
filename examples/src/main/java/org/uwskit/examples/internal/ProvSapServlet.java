package org.uwskit.examples.internal;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.uwskit.Caller;
import org.uwskit.Job;
import org.uwskit.JobList;
import org.uwskit.JobService;
import org.uwskit.StoreUnavailableException;
import org.uwskit.prov.ProvDocument;
import org.uwskit.prov.ProvFormat;
import org.uwskit.prov.ProvWriters;
import org.uwskit.prov.ProvenanceBuilder;
import org.uwskit.prov.ProvenanceDocuments;
import org.uwskit.prov.ProvenanceQuery;
import org.uwskit.spi.JobLinks;
import org.uwskit.spi.OwnerResolver;

/**
 * A ProvSAP-style endpoint: {@code GET /provsap?ID=…&DEPTH=…&DIRECTION=…[&FORMAT=…]} answers the combined provenance
 * of a finished job and of the jobs linked to it through results they used ({@link ProvenanceQuery}).
 *
 * <ul>
 *   <li>{@code ID}: a job URL or result URL of this server ({@code http://host/uws/{list}/{job}[/results/{id}]},
 *   also under {@code /tap}; only the path is read, so a URL seen through a proxy works), or a bare job id, looked
 *   up in every job list in order.</li>
 *   <li>{@code DEPTH}: job-to-job hops, a non-negative integer or {@code ALL}; default 1.</li>
 *   <li>{@code DIRECTION}: {@code BACK} (jobs whose results it used; default), {@code FORTH} or {@code BOTH}.</li>
 *   <li>{@code FORMAT} (or {@code RESPONSEFORMAT}): a short name or media type of {@link ProvFormat}; without it the
 *   {@code Accept} header chooses, PROV-JSON by default; nothing acceptable is 406.</li>
 * </ul>
 * Parameter names are case-insensitive; unknown parameters are ignored. Bad parameters give one 400
 * {@code text/plain} listing every problem, one per line. Owners are isolated with the UWS servlet's
 * {@link OwnerResolver}: a caller only reaches jobs they may read; any other job is treated as absent (404 for the
 * starting job, and a chain stops there), so a 404 never tells whether someone else's job exists. A job that has not
 * finished has no provenance (404, as at the job-level {@code /provenance}). Stateless and thread-safe.
 */
public final class ProvSapServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ProvSapServlet.class);
    private static final String ID = "ID";
    private static final String DEPTH = "DEPTH";
    private static final String DIRECTION = "DIRECTION";
    private static final String FORMAT = "FORMAT";
    private static final String RESPONSEFORMAT = "RESPONSEFORMAT";
    private static final Set<String> KNOWN = Set.of(ID, DEPTH, DIRECTION, FORMAT, RESPONSEFORMAT);

    private final transient JobService service;
    private final transient OwnerResolver owners;
    private final transient ProvenanceDocuments documents;
    private final transient ProvenanceQuery query;
    private final transient ProvWriters writers;
    private final Map<String, String> listPaths;
    private final String publicBase;

    /**
     * @param service      the job service (not closed here)
     * @param owners       the resolver the UWS servlet uses
     * @param documents    the provenance of single jobs, as served at {@code /{job}/provenance}
     * @param writers      the serialisations
     * @param listPaths    the path of the UWS servlet serving each job list, by job list name (e.g. {@code demo ->
     *                     /uws}); bare ids are looked up in this order
     * @param publicBase   the public URL of the server's root, as given to the UWS servlets, or null to take links
     *                     from the request
     */
    public ProvSapServlet(JobService service, OwnerResolver owners, ProvenanceDocuments documents, ProvWriters writers,
                          Map<String, String> listPaths, URI publicBase) {
        this.service = Objects.requireNonNull(service, "service");
        this.owners = Objects.requireNonNull(owners, "owners");
        this.documents = Objects.requireNonNull(documents, "documents");
        this.query = ProvenanceQuery.of(documents);
        this.writers = Objects.requireNonNull(writers, "writers");
        if (listPaths.isEmpty()) {
            throw new IllegalArgumentException("listPaths must not be empty");
        }
        this.listPaths = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(listPaths));
        this.publicBase = publicBase == null ? null : publicBase.toString().replaceAll("/+$", "");
    }

    /** A request that cannot be answered, with its status and text. */
    private static final class Problem extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;

        Problem(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    /** Where a start id lives: its job list, the links to use, the id to query and the job id. */
    private record Start(JobList list, JobLinks links, String id, String jobId) {
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        try {
            answer(req, resp);
        } catch (Problem p) {
            send(resp, p.status, p.getMessage());
        } catch (StoreUnavailableException e) {
            resp.setHeader("Retry-After", "5");
            send(resp, 503, "the job store is unavailable: " + e.getMessage());
        }
    }

    private void answer(HttpServletRequest req, HttpServletResponse resp) throws IOException, Problem {
        Map<String, String> params = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String[]> e : req.getParameterMap().entrySet()) {
            String name = e.getKey().toUpperCase(Locale.ROOT);
            if (name.equals(RESPONSEFORMAT)) {
                name = FORMAT;
            }
            if (!KNOWN.contains(name)) {
                continue;
            }
            if (e.getValue().length > 1 || params.containsKey(name)) {
                problems.add(name + " must be given once");
            } else {
                params.put(name, e.getValue()[0]);
            }
        }
        String id = params.get(ID);
        if (id == null || id.isBlank()) {
            problems.add("ID is required: a job URL, a result URL or a job id");
        }
        int depth = 1;
        String d = params.get(DEPTH);
        if (d != null) {
            if (d.trim().equalsIgnoreCase("ALL")) {
                depth = ProvenanceQuery.ALL;
            } else {
                try {
                    depth = Integer.parseInt(d.trim());
                    if (depth < 0) {
                        problems.add("DEPTH must be a non-negative integer or ALL, got " + d);
                    }
                } catch (NumberFormatException e) {
                    problems.add("DEPTH must be a non-negative integer or ALL, got '" + d + "'");
                }
            }
        }
        ProvenanceQuery.Direction direction = ProvenanceQuery.Direction.BACK;
        String dir = params.get(DIRECTION);
        if (dir != null) {
            try {
                direction = ProvenanceQuery.Direction.valueOf(dir.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                problems.add("DIRECTION must be BACK, FORTH or BOTH, got '" + dir + "'");
            }
        }
        List<ProvFormat> offered = offered();
        ProvFormat format = null;
        String f = params.get(FORMAT);
        if (f != null) {
            try {
                format = ProvFormat.of(f);
                if (!offered.contains(format)) {
                    problems.add("FORMAT " + format.formatName() + " is not available here (Graphviz's dot was not found)");
                }
            } catch (IllegalArgumentException e) {
                problems.add("FORMAT: " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new Problem(400, String.join("\n", problems));
        }
        if (format == null) {
            format = negotiate(req.getHeader("Accept"), offered);
        }

        Caller caller = owners.resolve(req.getUserPrincipal(), req::isUserInRole);
        Start start = start(req, caller, id.trim());
        ProvenanceQuery.JobLookup lookup = ProvenanceQuery.JobLookup.of(service, caller, start.list().name());
        Optional<Job> job = lookup.find(start.jobId());
        if (job.isEmpty()) {
            throw new Problem(404, "no job " + start.jobId() + " in job list " + start.list().name());
        }
        if (!job.get().phase().isFinished()) {
            throw new Problem(404, "job " + start.jobId() + " has no provenance: it has not finished (phase "
                    + job.get().phase() + ")");
        }
        ProvDocument doc = query.run(lookup, start.list(), start.links(), start.id(), depth, direction);
        byte[] body = writers.toBytes(doc, format);
        resp.setStatus(200);
        String type = format.mediaType();
        resp.setContentType(type.startsWith("text/") ? type + ";charset=UTF-8" : type);
        resp.setHeader("Cache-Control", "no-cache");
        resp.setHeader("Vary", "Accept");
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }

    private List<ProvFormat> offered() {
        List<ProvFormat> f = new ArrayList<>(List.of(ProvFormat.values()));
        if (!writers.canWriteSvg()) {
            f.remove(ProvFormat.SVG);
        }
        return f;
    }

    /** The job list, links and job of {@code id}; 404 if it names no job list or job of this server. */
    private Start start(HttpServletRequest req, Caller caller, String id) throws Problem {
        StringBuffer url = req.getRequestURL();
        String uri = req.getRequestURI();
        String origin = (publicBase != null ? publicBase : url.substring(0, Math.max(0, url.length() - uri.length())))
                + req.getContextPath();
        ProvenanceBuilder pb = documents.provenance();
        if (id.contains("://")) {
            String path;
            try {
                path = new URI(id).getRawPath();
            } catch (URISyntaxException e) {
                throw new Problem(404, "ID '" + id + "' is not a job or result URL of this server");
            }
            for (String servletPath : new java.util.LinkedHashSet<>(listPaths.values())) {
                String prefix = req.getContextPath() + servletPath + "/";
                if (path != null && path.startsWith(prefix)) {
                    String rest = path.substring(prefix.length());
                    int slash = rest.indexOf('/');
                    Optional<JobList> list = slash < 0 ? Optional.empty() : service.jobList(rest.substring(0, slash))
                            .filter(l -> servletPath.equals(listPaths.get(l.name())));
                    if (list.isPresent()) {
                        JobLinks links = JobLinks.under(origin + servletPath + "/" + list.get().name());
                        String rebased = links.jobList() + rest.substring(slash);
                        String jobId = pb.jobIdOf(rebased, links);
                        if (jobId != null) {
                            return new Start(list.get(), links, rebased, jobId);
                        }
                    }
                }
            }
            throw new Problem(404, "ID '" + id + "' is not a job or result URL of this server");
        }
        for (Map.Entry<String, String> e : listPaths.entrySet()) {
            JobList list = service.jobList(e.getKey()).orElse(null);
            if (list == null) {
                continue;
            }
            JobLinks links = JobLinks.under(origin + e.getValue() + "/" + list.name());
            if (ProvenanceQuery.JobLookup.of(service, caller, list.name()).find(id).isPresent()) {
                return new Start(list, links, pb.activityId(id, links), id);
            }
        }
        throw new Problem(404, "no job " + id + " in any job list");
    }

    /**
     * The offered format the {@code Accept} header prefers: the highest quality, the most specific matching range
     * deciding each format's quality, ties going to the earlier offered format (JSON first).
     */
    static ProvFormat negotiate(String accept, List<ProvFormat> offered) throws Problem {
        if (accept == null || accept.replaceAll("[\\s,;]", "").isEmpty()) { // none, or only empty ranges
            return offered.get(0);
        }
        ProvFormat best = null;
        double bestQ = 0;
        for (ProvFormat f : offered) {
            double q = quality(accept, f.mediaType());
            if (q > bestQ) {
                best = f;
                bestQ = q;
            }
        }
        if (best == null) {
            throw new Problem(406, "none of the media types accepted (" + accept + ") is offered; offered: "
                    + offered.stream().map(ProvFormat::mediaType).toList());
        }
        return best;
    }

    private static double quality(String accept, String type) {
        int bestSpecificity = -1;
        double q = 0;
        for (String part : accept.split(",", -1)) {
            String[] bits = part.split(";", -1); // never empty: ";" alone is an empty range, skipped below
            String range = bits[0].trim().toLowerCase(Locale.ROOT);
            int specificity;
            if (range.equals(type)) {
                specificity = 2;
            } else if (range.endsWith("/*") && type.startsWith(range.substring(0, range.length() - 1))) {
                specificity = 1;
            } else if (range.equals("*/*") || range.equals("*")) {
                specificity = 0;
            } else {
                continue;
            }
            double rq = 1;
            for (int i = 1; i < bits.length; i++) {
                String[] kv = bits[i].trim().split("=", 2);
                if (kv.length == 2 && kv[0].trim().equalsIgnoreCase("q")) {
                    try {
                        rq = Double.parseDouble(kv[1].trim());
                    } catch (NumberFormatException e) {
                        rq = 0;
                    }
                }
            }
            if (specificity > bestSpecificity) {
                bestSpecificity = specificity;
                q = rq;
            }
        }
        return q;
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
}
