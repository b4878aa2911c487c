package org.uwskit.servlet;

import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import org.uwskit.JobService;
import org.uwskit.spi.CallbackReceiver;
import org.uwskit.spi.JobChangeFeed;
import org.uwskit.spi.JobDocumentProvider;
import org.uwskit.spi.JobSerializer;
import org.uwskit.spi.OwnerResolver;
import org.uwskit.servlet.internal.AdapterConfig;
import org.uwskit.servlet.internal.AdapterSettings;
import org.uwskit.servlet.internal.UwsDispatcher;

/**
 * The UWS 1.1 REST binding as a Jakarta Servlet 6 servlet: a thin translation of HTTP requests into
 * {@link JobService} calls. One servlet serves every job list of its service, at {@code <mount>/{jobList}/...}.
 *
 * <pre>{@code
 * UwsServlet servlet = UwsServlet.builder(jobService).build();
 * ServletHolder h = new ServletHolder(servlet);
 * h.setAsyncSupported(true);                                        // required: WAIT and bodies are asynchronous
 * context.addServlet(h, "/uws/*");                                  // -> /uws/{jobList}/...
 * }</pre>
 *
 * <p><b>Registration requirements:</b> map the servlet to a path ending in {@code /*}; enable async support (a
 * blocking {@code ?WAIT=} uses {@code request.startAsync()} and holds no container thread, and so does a request
 * body while it arrives). Authentication
 * is the host's: the caller is derived from {@code request.getUserPrincipal()} and {@code request.isUserInRole} by
 * the {@link OwnerResolver}.
 *
 * <p><b>Links:</b> {@code Location} and every {@code xlink:href} are absolute URLs (UWS clients need them). Set
 * {@link Builder#publicBaseUrl(URI)} in production: links then never follow the request's {@code Host} header or an
 * absolute-form request target, which a client chooses. Without it, links are built from the request as the
 * container reports it (the {@code Host} header; forwarded headers only if the host configured the container to
 * honour them, e.g. Jetty's {@code ForwardedRequestCustomizer}, Tomcat's {@code RemoteIpValve}): each answer then
 * points wherever its own request said, which is harmless to UWS clients but lets a shared cache that ignores
 * {@code Host} store links to another host.
 *
 * <p><b>Browser safety (defaults):</b> every answer carries {@code X-Content-Type-Options: nosniff}; uploads and
 * results are served with {@code Content-Security-Policy: sandbox; default-src 'none'} and, unless their type is
 * plain data (text/plain, CSV, JSON, FITS, PNG, ...), {@code Content-Disposition: attachment}, so a user's HTML or SVG
 * never runs as a page of the service. A POST, PUT or DELETE carrying {@code Origin} from another site, {@code
 * Origin: null} or {@code Sec-Fetch-Site: cross-site} is refused with 403 (cross-site request forgery); clients
 * that send no {@code Origin} (pyvo, STILTS, curl) and the servlet's own HTML forms pass; see
 * {@link Builder#allowedOrigins(String...)}.
 *
 * <p><b>Representations:</b> XML by default (with an {@code <?xml-stylesheet?>} instruction), JSON when asked for;
 * a client that prefers {@code text/html} to XML (a browser) gets an HTML5 page rendered on the server from the
 * same document ({@link Builder#html(boolean)}). Running inside embedded Jetty 12, a client that closes its
 * connection during {@code ?WAIT=} is noticed at once; elsewhere when the container next touches the connection.
 *
 * <p><b>Request bodies</b> (urlencoded and multipart forms, PUT values) are read by the servlet itself, without a
 * container thread while they arrive, into memory up to {@link Builder#multipartThreshold} bytes and into files of
 * its own directory ({@link Builder#bodyDirectory}) beyond, deleted on every path. Limits, with 413 beyond:
 * {@link Builder#maxFormBytes} for an urlencoded body, a PUT value or the text fields of a multipart body together,
 * the job lists' largest {@code maxUploadSize} per file, {@link Builder#maxMultipartBytes} per multipart body (a
 * declared {@code Content-Length} above the limit is refused before reading), {@link Builder#maxParts} parts. A body
 * slower than {@link Builder#minBodyRate} (after {@link Builder#bodyRateGrace}) or longer than
 * {@link Builder#bodyTimeout} is refused with 408. The container's own multipart support is not used.
 *
 * <p><b>Job type descriptions:</b> beside each job list's UWS resources, {@code <mount>/{jobList}/}{@value
 * #DEFINITIONS_SEGMENT} is a JSON index of its job types and {@code <mount>/{jobList}/}{@value
 * #DEFINITIONS_SEGMENT}{@code /{type}} the JSON Schema 2020-12 of a type's creation parameters or (by
 * {@code Accept: application/x-votable+xml} or {@code ?FORMAT=votable}) its DataLink service descriptor, with
 * {@code ETag}, for callers allowed to use the job list; {@code <mount>/}{@value #OPENAPI_PATH} is the OpenAPI 3.1
 * document and {@code <mount>/}{@value #CAPABILITIES_PATH} the VOSI 1.0 capabilities of the job lists the caller
 * may use (a job list of either name wins).
 *
 * <p><b>Job manager:</b> {@code <mount>/}{@value #MANAGER_PATH}{@code /} is a job manager for browsers (static
 * files packaged in this jar, served with a strict {@code Content-Security-Policy}): every job list the caller may
 * use, its jobs updated live, creation from the job type's form, control, results, errors and provenance, all read
 * from the public resources above with the caller's own credentials. Its live updates come from
 * {@code <mount>/{jobList}/}{@value #EVENTS_SEGMENT}, a server-sent event stream of the caller's jobs' changes,
 * fed by the store's change feed given to {@link Builder#changeFeed} (else re-read every two seconds). Turn both off
 * with {@link Builder#manager(boolean) manager(false)}.
 *
 * <p><b>Callbacks:</b> each {@link CallbackReceiver} given to {@link Builder#callbackReceiver} (a SLURM backend
 * whose batch jobs report their start and end) is mounted at {@code <mount>/}{@value CallbackReceiver#SEGMENT}{@code
 * /{name}/{jobId}/{event}}, POST only: no caller, job list access rule or owner quota applies (the receiver checks
 * the job's token in {@value CallbackReceiver#TOKEN_HEADER}); 204 when taken, 400, 403, 404 or 413 with a message.
 * A host that puts the whole mount behind authentication must leave this path open. None by default.
 *
 * <p><b>Threading:</b> the servlet is stateless apart from its immutable configuration and may serve any number of
 * concurrent requests. It never closes the {@link JobService}: the host owns it.
 *
 * <p><b>Errors:</b> every {@link org.uwskit.UwsException} becomes its HTTP status with a {@code text/plain} message
 * (404, 403, 400, 408, 413, 429 and 503 with {@code Retry-After}, 401 only when {@link Builder#authenticationChallenge}
 * is set); another owner's job is 403 as UWS asks, or 404 like an unknown id with
 * {@link Builder#hideOtherOwnersJobs(boolean)}; an unexpected exception becomes a 500 whose text is a reference id,
 * the detail going to the log under it.
 */
public final class UwsServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    /** The path segment, after a job list, of its job type descriptions. */
    public static final String DEFINITIONS_SEGMENT = "definitions";
    /** The path, under the mount, of the OpenAPI 3.1 document of the job lists the caller may use. */
    public static final String OPENAPI_PATH = "openapi.json";
    /** The path, under the mount, of the VOSI capabilities of the job lists the caller may use. */
    public static final String CAPABILITIES_PATH = "capabilities";
    /** The path, under the mount, of the browser job manager (never a job list's name). */
    public static final String MANAGER_PATH = "_manager";
    /** The path segment, after a job list, of the server-sent event stream of the caller's jobs. */
    public static final String EVENTS_SEGMENT = "events";

    private final transient AdapterConfig config;
    private final transient UwsDispatcher dispatcher;
    private final transient Path ownBodyDirectory;

    private UwsServlet(AdapterConfig config, Path ownBodyDirectory) {
        this.config = config;
        this.dispatcher = new UwsDispatcher(config);
        this.ownBodyDirectory = ownBodyDirectory;
    }

    /** Starts a builder for a servlet that serves every job list of {@code service}. */
    public static Builder builder(JobService service) {
        return new Builder(service);
    }

    /**
     * A multipart configuration for the servlet's registration. No longer needed: the servlet reads multipart
     * bodies itself (the container's parser, its temporary files and its limits are not used); setting it does no
     * harm.
     *
     * @deprecated leave the registration's multipart configuration unset
     */
    @Deprecated
    public MultipartConfigElement multipartConfig() {
        return new MultipartConfigElement("", config.maxUploadBytes(), -1L, config.multipartThreshold());
    }

    /**
     * Ends the job manager's open event streams now (their pages reconnect, or show that live updates stopped).
     * Call it when a graceful stop of the container begins: the container would otherwise wait for these open
     * requests until its stop timeout. {@link #destroy()} ends them too.
     */
    public void endEventStreams() {
        dispatcher.endEventStreams();
    }

    /** Answers the request bodies still arriving 503 and deletes the files of the body directory. */
    @Override
    public void destroy() {
        dispatcher.close();
        if (ownBodyDirectory != null) {
            try {
                Files.deleteIfExists(ownBodyDirectory);
            } catch (IOException e) {
                // not empty (a file still being deleted) or gone: the temp directory's cleaner gets it
            }
        }
        super.destroy();
    }

    @Override
    public void init() {
        if (!config.web().baseUrl().isConfigured()) {
            org.slf4j.LoggerFactory.getLogger(UwsServlet.class).info("UwsServlet at {}: no public base URL set; "
                    + "links follow each request's Host header (set UwsServlet.Builder.publicBaseUrl in production)",
                    getServletName());
        }
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
        /** Request bodies larger than this many bytes are spooled to a file of the body directory. */
        public static final int DEFAULT_MULTIPART_THRESHOLD = 1 << 20;
        /**
         * The least average rate, in bytes per second, at which a request body must arrive once
         * {@link #DEFAULT_BODY_RATE_GRACE} has passed (408 otherwise): a client trickling bytes is cut off.
         */
        public static final long DEFAULT_MIN_BODY_RATE = 1024;
        /** The slack before the minimum rate applies: a body must have sent {@code rate × (elapsed − grace)} bytes. */
        public static final Duration DEFAULT_BODY_RATE_GRACE = Duration.ofSeconds(5);
        /** The longest a request body may take to arrive, however fast (408 beyond). */
        public static final Duration DEFAULT_BODY_TIMEOUT = Duration.ofMinutes(5);
        /** The most parts of one multipart body (413 beyond). */
        public static final int DEFAULT_MAX_PARTS = 200;
        /**
         * Added to the job lists' largest {@code maxUploadSize} and {@link #DEFAULT_MAX_FORM_BYTES maxFormBytes} to
         * make the default limit of a whole multipart body (part headers, boundaries).
         */
        public static final long MULTIPART_OVERHEAD_BYTES = 1L << 20;
        /**
         * How long after the job list's {@code maxWait} a WAIT request is answered with the job's current state if
         * the service has not completed it (a safety net of the adapter's own, checked once a second; the
         * container's async timeout is not used).
         */
        public static final Duration DEFAULT_WAIT_MARGIN = Duration.ofSeconds(10);
        /** The most jobs a job list page rendered as HTML shows (the page says when it was cut). */
        public static final int DEFAULT_HTML_MAX_JOBS = 1000;
        /** The most job manager event streams open at once on one servlet (429 beyond). */
        public static final int DEFAULT_MAX_EVENT_STREAMS = 256;
        /**
         * The most job manager event streams one owner may hold open at once (429 beyond); anonymous callers, who
         * share one owner, are counted per client address.
         */
        public static final int DEFAULT_MAX_EVENT_STREAMS_PER_OWNER = 8;
        /** The path (under the servlet) at which the browser stylesheet is served. */
        public static final String STYLESHEET_PATH = "uws.xsl";

        private final AdapterSettings s;

        private Builder(JobService service) {
            this.s = new AdapterSettings(service);
        }

        /**
         * Whether the browser job manager ({@code <mount>/}{@value UwsServlet#MANAGER_PATH}{@code /}) and the job
         * lists' event streams are served; default true.
         */
        public Builder manager(boolean v) { s.manager = v; return this; }

        /**
         * The change feed of the job store the service runs on (the in-memory and JDBC stores implement
         * {@link JobChangeFeed}): the job manager's event streams then push every change of the caller's jobs at
         * once, other nodes' included. Without it they re-read the active jobs of each open stream every two
         * seconds. Default none.
         */
        public Builder changeFeed(JobChangeFeed v) { s.changeFeed = Objects.requireNonNull(v); return this; }

        /**
         * Mounts a receiver of jobs' callbacks at {@code <mount>/}{@value CallbackReceiver#SEGMENT}{@code /{name}/};
         * a later receiver of the same name replaces an earlier one. Default none.
         *
         * @throws IllegalArgumentException if its name is not a path segment ({@link CallbackReceiver#NAME})
         */
        public Builder callbackReceiver(CallbackReceiver v) {
            if (!CallbackReceiver.NAME.matcher(v.name()).matches()) {
                throw new IllegalArgumentException("callback receiver name '" + v.name() + "' must match "
                        + CallbackReceiver.NAME);
            }
            s.callbackReceivers.put(v.name(), v);
            return this;
        }

        /** The most event streams open at once; default {@link #DEFAULT_MAX_EVENT_STREAMS}. */
        public Builder maxEventStreams(int v) { s.maxEventStreams = v; return this; }

        /** The most event streams one owner may hold open; default {@link #DEFAULT_MAX_EVENT_STREAMS_PER_OWNER}. */
        public Builder maxEventStreamsPerOwner(int v) { s.maxEventStreamsPerOwner = v; return this; }

        /** How the caller is derived from the host's authentication; default {@link OwnerResolver#byPrincipalName()}. */
        public Builder ownerResolver(OwnerResolver v) { s.ownerResolver = Objects.requireNonNull(v); return this; }

        /** Adds an extra document served at {@code /{jobs}/{id}/{provider.name()}} (e.g. provenance). */
        public Builder documentProvider(JobDocumentProvider v) { s.documentProviders.add(Objects.requireNonNull(v)); return this; }

        /**
         * Adds or replaces (by media type) a serializer. Defaults: UWS 1.1 XML ({@code application/xml}, also
         * served for {@code text/xml}) and JSON ({@code application/json}, only when asked for).
         */
        public Builder serializer(JobSerializer v) { s.serializers.add(Objects.requireNonNull(v)); return this; }

        /**
         * The seconds sent in {@code Retry-After} with a 503 when the job store is unavailable; default
         * {@link #DEFAULT_RETRY_AFTER_SECONDS}.
         */
        public Builder retryAfterSeconds(int v) { s.retryAfterSeconds = v; return this; }

        /**
         * The largest urlencoded body or PUT value, and the most bytes the text fields of one multipart body may
         * hold together (one limit whatever the encoding), in bytes; default {@link #DEFAULT_MAX_FORM_BYTES}.
         */
        public Builder maxFormBytes(long v) { s.maxFormBytes = v; return this; }

        /** Request bodies above this many bytes go to a file; default {@link #DEFAULT_MULTIPART_THRESHOLD}. */
        public Builder multipartThreshold(int v) { s.multipartThreshold = v; return this; }

        /**
         * The least average rate of a request body in bytes per second, after {@link #bodyRateGrace}; 0 turns the
         * check off (the {@link #bodyTimeout} still applies). Default {@link #DEFAULT_MIN_BODY_RATE}.
         */
        public Builder minBodyRate(long v) { s.minBodyRate = v; return this; }

        /** The slack before {@link #minBodyRate} applies; default {@link #DEFAULT_BODY_RATE_GRACE}. */
        public Builder bodyRateGrace(Duration v) { s.bodyRateGrace = Objects.requireNonNull(v); return this; }

        /** The longest a request body may take to arrive; default {@link #DEFAULT_BODY_TIMEOUT}. */
        public Builder bodyTimeout(Duration v) { s.bodyTimeout = Objects.requireNonNull(v); return this; }

        /** The most parts of one multipart body; default {@link #DEFAULT_MAX_PARTS}. */
        public Builder maxParts(int v) { s.maxParts = v; return this; }

        /**
         * The largest multipart body in bytes; default the job lists' largest {@code maxUploadSize} plus
         * {@link #maxFormBytes} plus {@link #MULTIPART_OVERHEAD_BYTES}.
         */
        public Builder maxMultipartBytes(long v) { s.maxMultipartBytes = v; return this; }

        /**
         * The directory for request bodies above {@link #multipartThreshold}; the servlet deletes each file when its
         * request ends and what is left when it is destroyed. Default: a new {@code uwskit-bodies-*} directory in
         * {@code java.io.tmpdir}, created when the servlet is built and removed when it is destroyed.
         */
        public Builder bodyDirectory(Path v) { s.bodyDirectory = Objects.requireNonNull(v); return this; }

        /**
         * How long after the job list's {@code maxWait} a WAIT is answered with the job's current state if the
         * service has not answered it; default {@link #DEFAULT_WAIT_MARGIN}.
         */
        public Builder waitMargin(Duration v) { s.waitMargin = Objects.requireNonNull(v); return this; }

        /** Whether XML documents carry the {@code <?xml-stylesheet?>} instruction for browsers; default true. */
        public Builder stylesheet(boolean v) { s.stylesheet = v; return this; }

        /**
         * Whether clients that prefer {@code text/html} to XML in {@code Accept} (browsers), or ask
         * {@code FORMAT=html}, get HTML pages rendered on the server with the bundled stylesheet; default true. Other
         * clients get XML whatever this says.
         */
        public Builder html(boolean v) { s.html = v; return this; }

        /** The most jobs a job list page shows; default {@link #DEFAULT_HTML_MAX_JOBS}. */
        public Builder htmlMaxJobs(int v) { s.htmlMaxJobs = v; return this; }

        /**
         * A {@code WWW-Authenticate} challenge (e.g. {@code Basic realm="uws"}). When set, an anonymous caller refused
         * because a job list needs authentication gets 401 with this header; when not set (the default), 403.
         */
        public Builder authenticationChallenge(String v) { s.authenticationChallenge = v; return this; }

        /**
         * The public URL of the container's root {@code /} (e.g. {@code https://data.example.org}, or
         * {@code https://example.org/archive} when a proxy maps that prefix to the container): every absolute link
         * is this plus the context and servlet path, whatever the request's {@code Host}. Default: none, links
         * follow the request (see the class comment for the risk). Also the origin browsers may change state from.
         */
        public Builder publicBaseUrl(URI v) { s.publicBaseUrl = Objects.requireNonNull(v); return this; }

        /**
         * Further origins ({@code scheme://host[:port]}) whose browser pages may POST, PUT and DELETE here, e.g. a
         * portal on another host. Default: none; only the service's own origin (the public base URL's, or the
         * request's {@code Host}) and clients that send no {@code Origin}.
         */
        public Builder allowedOrigins(String... v) {
            for (String o : v) {
                s.allowedOrigins.add(Objects.requireNonNull(o));
            }
            return this;
        }

        /**
         * Whether another owner's job is answered like an unknown id (404 {@code no job 'ID'}), so that callers
         * cannot probe which ids exist; default false: 403 as UWS 1.1 asks. Job ids are random, so probing reveals
         * little either way; choose true where even the existence of a job is private.
         */
        public Builder hideOtherOwnersJobs(boolean v) { s.hideOtherOwnersJobs = v; return this; }

        /**
         * Serves only these job lists of the service (e.g. one servlet at {@code /tap} for the list {@code async},
         * another at {@code /uws} for the rest); the others are 404 here. Default: every job list.
         */
        public Builder jobLists(String... names) {
            for (String n : names) {
                s.jobLists.add(Objects.requireNonNull(n));
            }
            return this;
        }

        /**
         * Builds the servlet; without a {@link #bodyDirectory} it creates its own.
         *
         * @throws IllegalArgumentException naming the bad setting
         */
        public UwsServlet build() {
            AdapterSettings.Resolved r = s.resolve();
            return new UwsServlet(r.config(), r.ownBodyDirectory());
        }
    }
}
