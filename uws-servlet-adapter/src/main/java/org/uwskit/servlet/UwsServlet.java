package org.uwskit.servlet;

import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.uwskit.JobList;
import org.uwskit.JobService;
import org.uwskit.spi.JobDocumentProvider;
import org.uwskit.spi.JobSerializer;
import org.uwskit.spi.OwnerResolver;
import org.uwskit.servlet.internal.AdapterConfig;
import org.uwskit.servlet.internal.UwsDispatcher;

/**
 * The UWS 1.1 REST binding as a Jakarta Servlet 6 servlet: a thin translation of HTTP requests into
 * {@link JobService} calls. One servlet serves every job list of its service, at {@code <mount>/{jobList}/...}.
 *
 * <pre>{@code
 * UwsServlet servlet = UwsServlet.builder(jobService).build();
 * ServletHolder h = new ServletHolder(servlet);
 * h.getRegistration().setMultipartConfig(servlet.multipartConfig()); // inline uploads (multipart/form-data)
 * h.setAsyncSupported(true);                                        // required: WAIT is asynchronous
 * context.addServlet(h, "/uws/*");                                  // -> /uws/{jobList}/...
 * }</pre>
 *
 * <p><b>Registration requirements:</b> map the servlet to a path ending in {@code /*}; enable async support (a
 * blocking {@code ?WAIT=} uses {@code request.startAsync()} and holds no container thread); set
 * {@link #multipartConfig()} on the registration to accept {@code multipart/form-data} job creation. Authentication
 * is the host's: the caller is derived from {@code request.getUserPrincipal()} and {@code request.isUserInRole} by
 * the {@link OwnerResolver}. Behind a proxy, configure the container to honour {@code Forwarded} headers so that the
 * absolute URLs in {@code Location} and {@code xlink:href} are the public ones.
 *
 * <p><b>Representations:</b> XML by default (with an {@code <?xml-stylesheet?>} instruction), JSON when asked for;
 * a client that prefers {@code text/html} to XML (a browser) gets an HTML5 page rendered on the server from the
 * same document ({@link Builder#html(boolean)}). Running inside embedded Jetty 12, a client that closes its
 * connection during {@code ?WAIT=} is noticed at once; elsewhere when the container next touches the connection.
 *
 * <p><b>Job type descriptions:</b> beside each job list's UWS resources, {@code <mount>/{jobList}/}{@value
 * #DEFINITIONS_SEGMENT} is a JSON index of its job types and {@code <mount>/{jobList}/}{@value
 * #DEFINITIONS_SEGMENT}{@code /{type}} the JSON Schema 2020-12 of a type's creation parameters or (by
 * {@code Accept: application/x-votable+xml} or {@code ?FORMAT=votable}) its DataLink service descriptor, with
 * {@code ETag}, for callers allowed to use the job list; {@code <mount>/}{@value #OPENAPI_PATH} is the OpenAPI 3.1
 * document and {@code <mount>/}{@value #CAPABILITIES_PATH} the VOSI 1.0 capabilities of the job lists the caller
 * may use (a job list of either name wins).
 *
 * <p><b>Threading:</b> the servlet is stateless apart from its immutable configuration and may serve any number of
 * concurrent requests. It never closes the {@link JobService}: the host owns it.
 *
 * <p><b>Errors:</b> every {@link org.uwskit.UwsException} becomes its HTTP status with a {@code text/plain} message
 * (404, 403, 400, 413, 503 with {@code Retry-After}, 401 only when {@link Builder#authenticationChallenge} is set);
 * an unexpected exception becomes a 500 with a generic message and an error log line.
 */
public final class UwsServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    /** The path segment, after a job list, of its job type descriptions. */
    public static final String DEFINITIONS_SEGMENT = "definitions";
    /** The path, under the mount, of the OpenAPI 3.1 document of the job lists the caller may use. */
    public static final String OPENAPI_PATH = "openapi.json";
    /** The path, under the mount, of the VOSI capabilities of the job lists the caller may use. */
    public static final String CAPABILITIES_PATH = "capabilities";

    private final transient AdapterConfig config;
    private final transient UwsDispatcher dispatcher;

    private UwsServlet(AdapterConfig config) {
        this.config = config;
        this.dispatcher = new UwsDispatcher(config);
    }

    /** Starts a builder for a servlet that serves every job list of {@code service}. */
    public static Builder builder(JobService service) {
        return new Builder(service);
    }

    /**
     * The multipart configuration to set on the servlet's registration: parts are spooled to the container's
     * temporary directory above {@link Builder#DEFAULT_MULTIPART_THRESHOLD} bytes, and no file may exceed the
     * largest {@code maxUploadSize} of the job lists (each list's own limit is then checked by the service).
     */
    public MultipartConfigElement multipartConfig() {
        return new MultipartConfigElement("", config.maxUploadBytes(), -1L, config.multipartThreshold());
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws ServletException, IOException {
        String m = req.getMethod();
        if ("GET".equals(m) || "POST".equals(m) || "PUT".equals(m) || "DELETE".equals(m)) {
            dispatcher.handle(req, resp, false);
        } else if ("HEAD".equals(m)) {
            // HttpServlet turns HEAD into a GET whose body is counted and discarded
            super.service(req, resp);
        } else {
            dispatcher.handleOther(req, resp);
        }
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        dispatcher.handle(req, resp, true);
    }

    /**
     * Builds a {@link UwsServlet}. Defaults are the named constants; {@link #build()} fails with
     * {@link IllegalArgumentException} for bad values. Not thread-safe.
     */
    public static final class Builder {
        /** Seconds sent in {@code Retry-After} with a 503 when the job store is unavailable. */
        public static final int DEFAULT_RETRY_AFTER_SECONDS = 5;
        /** The largest {@code application/x-www-form-urlencoded} body or PUT value read, in bytes. */
        public static final long DEFAULT_MAX_FORM_BYTES = 8L << 20;
        /** Multipart parts larger than this are spooled to disk. */
        public static final int DEFAULT_MULTIPART_THRESHOLD = 1 << 20;
        /** How long after the job list's {@code maxWait} the container's async timeout fires as a safety net. */
        public static final Duration DEFAULT_WAIT_MARGIN = Duration.ofSeconds(10);
        /** The most jobs a job list page rendered as HTML shows (the page says when it was cut). */
        public static final int DEFAULT_HTML_MAX_JOBS = 1000;
        /** The path (under the servlet) at which the browser stylesheet is served. */
        public static final String STYLESHEET_PATH = "uws.xsl";

        private final JobService service;
        private OwnerResolver ownerResolver = OwnerResolver.byPrincipalName();
        private final List<JobDocumentProvider> documentProviders = new ArrayList<>();
        private final List<JobSerializer> serializers = new ArrayList<>();
        private int retryAfterSeconds = DEFAULT_RETRY_AFTER_SECONDS;
        private long maxFormBytes = DEFAULT_MAX_FORM_BYTES;
        private int multipartThreshold = DEFAULT_MULTIPART_THRESHOLD;
        private Duration waitMargin = DEFAULT_WAIT_MARGIN;
        private boolean stylesheet = true;
        private boolean html = true;
        private int htmlMaxJobs = DEFAULT_HTML_MAX_JOBS;
        private String authenticationChallenge;

        private Builder(JobService service) {
            this.service = Objects.requireNonNull(service, "service");
        }

        /** How the caller is derived from the host's authentication; default {@link OwnerResolver#byPrincipalName()}. */
        public Builder ownerResolver(OwnerResolver v) { ownerResolver = Objects.requireNonNull(v); return this; }

        /** Adds an extra document served at {@code /{jobs}/{id}/{provider.name()}} (e.g. provenance). */
        public Builder documentProvider(JobDocumentProvider v) { documentProviders.add(Objects.requireNonNull(v)); return this; }

        /**
         * Adds or replaces (by media type) a serializer. Defaults: UWS 1.1 XML ({@code application/xml}, also
         * served for {@code text/xml}) and JSON ({@code application/json}, only when asked for).
         */
        public Builder serializer(JobSerializer v) { serializers.add(Objects.requireNonNull(v)); return this; }

        public Builder retryAfterSeconds(int v) { retryAfterSeconds = v; return this; }
        public Builder maxFormBytes(long v) { maxFormBytes = v; return this; }
        public Builder multipartThreshold(int v) { multipartThreshold = v; return this; }
        public Builder waitMargin(Duration v) { waitMargin = Objects.requireNonNull(v); return this; }

        /** Whether XML documents carry the {@code <?xml-stylesheet?>} instruction for browsers; default true. */
        public Builder stylesheet(boolean v) { stylesheet = v; return this; }

        /**
         * Whether clients that prefer {@code text/html} to XML in {@code Accept} (browsers), or ask
         * {@code FORMAT=html}, get HTML pages rendered on the server with the bundled stylesheet; default true. Other
         * clients get XML whatever this says.
         */
        public Builder html(boolean v) { html = v; return this; }

        /** The most jobs a job list page shows; default {@link #DEFAULT_HTML_MAX_JOBS}. */
        public Builder htmlMaxJobs(int v) { htmlMaxJobs = v; return this; }

        /**
         * A {@code WWW-Authenticate} challenge (e.g. {@code Basic realm="uws"}). When set, an anonymous caller refused
         * because a job list needs authentication gets 401 with this header; when not set (the default), 403.
         */
        public Builder authenticationChallenge(String v) { authenticationChallenge = v; return this; }

        /** @throws IllegalArgumentException naming the bad setting */
        public UwsServlet build() {
            if (retryAfterSeconds < 1) {
                throw new IllegalArgumentException("retryAfterSeconds must be >= 1");
            }
            if (maxFormBytes < 1) {
                throw new IllegalArgumentException("maxFormBytes must be >= 1");
            }
            if (multipartThreshold < 0) {
                throw new IllegalArgumentException("multipartThreshold must be >= 0");
            }
            if (htmlMaxJobs < 1) {
                throw new IllegalArgumentException("htmlMaxJobs must be >= 1");
            }
            if (waitMargin.isNegative()) {
                throw new IllegalArgumentException("waitMargin must not be negative");
            }
            List<String> reserved = List.of("phase", "executionduration", "destruction", "error", "quote", "results",
                    "parameters", "owner");
            List<String> names = new ArrayList<>();
            for (JobDocumentProvider p : documentProviders) {
                String n = p.name();
                if (n == null || n.isEmpty() || n.contains("/") || reserved.contains(n) || names.contains(n)) {
                    throw new IllegalArgumentException("document provider name '" + n
                            + "' is empty, contains '/', is a UWS sub-resource or is used twice");
                }
                if (p.mediaTypes().isEmpty()) {
                    throw new IllegalArgumentException("document provider " + n + " offers no media type");
                }
                names.add(n);
            }
            long maxUpload = 0;
            for (JobList l : service.jobLists()) {
                maxUpload = Math.max(maxUpload, l.policy().maxUploadSize());
            }
            AdapterConfig c = new AdapterConfig(service, ownerResolver, List.copyOf(documentProviders),
                    AdapterConfig.serializers(serializers), retryAfterSeconds, maxFormBytes, multipartThreshold,
                    maxUpload, waitMargin, stylesheet, authenticationChallenge, STYLESHEET_PATH, html, htmlMaxJobs);
            return new UwsServlet(c);
        }
    }
}
