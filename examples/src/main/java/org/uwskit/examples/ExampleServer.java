package org.uwskit.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.servlet.security.ConstraintMapping;
import org.eclipse.jetty.ee10.servlet.security.ConstraintSecurityHandler;
import org.eclipse.jetty.security.Constraint;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.uwskit.Engine;
import org.uwskit.JobList;
import org.uwskit.JobService;
import org.uwskit.examples.internal.DataDirLock;
import org.uwskit.examples.internal.IndexServlet;
import org.uwskit.examples.internal.NodeIdFile;
import org.uwskit.examples.internal.ProvSapServlet;
import org.uwskit.examples.internal.StrictBasicAuthenticator;
import org.uwskit.examples.internal.TextErrorHandler;
import org.uwskit.examples.internal.UsersFile;
import org.uwskit.jdbc.JdbcJobStore;
import org.uwskit.local.LocalBackend;
import org.uwskit.local.ProcessTemplate;
import org.uwskit.memory.FileResultStore;
import org.uwskit.memory.InMemoryJobStore;
import org.uwskit.prov.ProvRecords;
import org.uwskit.prov.ProvWriters;
import org.uwskit.prov.ProvenanceBuilder;
import org.uwskit.prov.ProvenanceDocuments;
import org.uwskit.definition.LoadedDefinition;
import org.uwskit.servlet.UwsServlet;
import org.uwskit.spi.JobChangeFeed;
import org.uwskit.spi.OwnerResolver;
import org.uwskit.spi.ResultStore;
import org.uwskit.spi.CallbackReceiver;
import org.uwskit.spi.ExecutionBackend;
import org.uwskit.spi.JobStore;

/**
 * The runnable example: a UWS 1.1 server on Jetty 12 with the job lists {@code /uws/demo} and
 * {@code /uws/wordcount}, and the demo job list again at the TAP-like path {@code /tap/async} for TAP clients.
 * {@link #main(String[])} parses {@link ExampleOptions}, starts, prints each job list's URL and stops cleanly on
 * SIGTERM. Tests start it in-process with {@link #start(ExampleOptions)}.
 *
 * <p>Wiring, in start order: result storage under {@code --data}, the job store chosen by {@code --store} (by
 * default an H2 file under {@code --data}, so jobs survive a restart), the {@link JobService}, the local backend, the
 * {@link Engine} (node id from {@code --data}/{@value NodeIdFile#FILE_NAME}, lease from {@code --lease-seconds}), then
 * Jetty with the UWS servlet, the provenance documents ({@value ProvenanceDocuments#NAME}) of finished jobs and
 * the ProvSAP-style query across jobs at {@value #PROVSAP_PATH}.
 * {@link #close()} stops in the order engine, backends, Jetty, service, store; it is idempotent and thread-safe.
 */
public final class ExampleServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ExampleServer.class);

    /**
     * Threads of the local backend running jobs at once: enough for the three job lists' {@link
     * DemoJobs#MAX_EXECUTING_JOBS} each, so a claimed job never waits in the backend's queue.
     */
    public static final int DEFAULT_BACKEND_THREADS = 6;
    /** Jetty's request threads at most. */
    public static final int MAX_HTTP_THREADS = 64;
    /** The bounded wait for Jetty's requests to finish at stop (a graceful stop: new requests get 503 meanwhile). */
    public static final long HTTP_STOP_TIMEOUT_MILLIS = 5_000;
    /**
     * The least rate, in bytes per second, at which Jetty reads a request body for the servlets that read theirs
     * through Jetty (the UWS servlet reads its own with the same default, {@link UwsServlet.Builder#minBodyRate}).
     */
    public static final long MIN_REQUEST_DATA_RATE = 1024;
    /** How long a connection may stay silent (no byte either way) before Jetty closes it. */
    public static final long HTTP_IDLE_TIMEOUT_MILLIS = 30_000;
    /** The path the UWS servlet serves all job lists under. */
    public static final String UWS_PATH = "/uws";
    /** The TAP-like base path: {@code /tap/async} is the demo job list for TAP clients. */
    public static final String TAP_PATH = "/tap";
    /** The ProvSAP-style provenance query ({@code ?ID=&DEPTH=&DIRECTION=}) across jobs, see {@link ProvSapServlet}. */
    public static final String PROVSAP_PATH = "/provsap";
    /** The default H2 store's database, relative to {@code --data} (the file is {@code db/uwskit.mv.db}). */
    public static final Path H2_DATABASE = Path.of("db", "uwskit");
    /** The name given to the service agent of provenance documents. */
    public static final String PROVENANCE_SERVICE_NAME = "uwskit example server";
    /** The largest number of backend threads needed: every job list may execute its maximum at once. */
    static final int BACKEND_THREADS_FOR_ALL_LISTS = 3 * DemoJobs.MAX_EXECUTING_JOBS;

    private final ExampleOptions options;
    private final JobStore store;
    private final JobService service;
    private final List<ExecutionBackend> backends;
    private final Engine engine;
    private final Server jetty;
    private final URI baseUri;
    private final Map<String, URI> jobListUrls;
    private final Map<String, URI> definitionUrls;
    private final String storeDescription;
    private final DataDirLock lock;
    private final AtomicBoolean closed = new AtomicBoolean();

    private ExampleServer(ExampleOptions options, JobStore store, JobService service, List<ExecutionBackend> backends,
                          Engine engine, Server jetty, URI baseUri, Map<String, URI> jobListUrls,
                          Map<String, URI> definitionUrls, String storeDescription, DataDirLock lock) {
        this.definitionUrls = definitionUrls;
        this.options = options;
        this.lock = lock;
        this.storeDescription = storeDescription;
        this.store = store;
        this.service = service;
        this.backends = backends;
        this.engine = engine;
        this.jetty = jetty;
        this.baseUri = baseUri;
        this.jobListUrls = jobListUrls;
    }

    /**
     * Starts the server: everything is running when this returns.
     *
     * @throws ExampleOptions.BadOptionException if the users file or the store configuration is bad
     * @throws IllegalStateException             if another server uses the data directory
     * @throws IOException                       if the data directory cannot be created
     * @throws org.uwskit.StoreUnavailableException if the job store's database cannot be opened (an H2 file that
     *                                           another process holds, an unreachable PostgreSQL)
     * @throws Exception                         if Jetty cannot start (port in use)
     */
    public static ExampleServer start(ExampleOptions options) throws Exception {
        UsersFile users = options.usersFile() == null ? null : UsersFile.read(options.usersFile());
        boolean anonymous = users == null;
        Path dataDir = options.dataDir().toAbsolutePath();
        Files.createDirectories(dataDir);
        DataDirLock lock = DataDirLock.acquire(dataDir);

        List<LoadedDefinition> defined = DefinedJobs.load(options.definitionsDir());
        List<JobList> lists = new ArrayList<>(List.of(
                DemoJobs.demoList(DemoJobs.DEMO, anonymous, options.quotas()),
                DemoJobs.wordcountList(anonymous, options.quotas()),
                DemoJobs.demoList(DemoJobs.TAP_ASYNC, anonymous, options.quotas())));
        defined.forEach(d -> lists.add(DefinedJobs.jobList(d, anonymous, options.quotas())));
        JobStore store = null;
        JobService service = null;
        Engine engine = null;
        Server jetty = null;
        List<ExecutionBackend> backends = List.of();
        try {
            String nodeId = NodeIdFile.readOrCreate(dataDir);
            store = createStore(options, dataDir);
            ResultStore results = new FileResultStore(dataDir.resolve("results"));
            JobService.Builder sb = JobService.builder().store(store).resultStore(results);
            lists.forEach(sb::jobList);
            service = sb.build();

            // bind first: with --port 0 the SLURM jobs' callback URL needs the actual port
            jetty = bindJetty(options);
            URI callbackUrl = slurmCallbackUrl(options, localPort(jetty));
            backends = createBackends(options, dataDir, defined, callbackUrl);
            Engine.Builder eb = Engine.builder(service).nodeId(nodeId).leaseDuration(options.leaseDuration());
            backends.forEach(eb::backend);
            engine = eb.build();
            engine.start();

            ProvWriters writers = ProvWriters.defaults();
            List<CallbackReceiver> receivers = callbackUrl == null ? List.of() : backends.stream()
                    .filter(CallbackReceiver.class::isInstance).map(CallbackReceiver.class::cast).toList();
            configureJetty(jetty, options, service, users, provenance(results, writers), writers,
                    store instanceof JobChangeFeed feed ? feed : null, receivers);
            jetty.start();
            int port = ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
            URI base = URI.create("http://" + hostForUrl(options.host()) + ":" + port + "/");
            URI configured = publicUrl(options, port);
            if (configured != null) {
                base = URI.create(configured.toString().replaceAll("/+$", "") + "/");
            }
            Map<String, URI> urls = new LinkedHashMap<>();
            urls.put(DemoJobs.DEMO, base.resolve(UWS_PATH.substring(1) + "/" + DemoJobs.DEMO));
            urls.put(DemoJobs.WORDCOUNT, base.resolve(UWS_PATH.substring(1) + "/" + DemoJobs.WORDCOUNT));
            urls.put("tap", base.resolve(TAP_PATH.substring(1) + "/" + DemoJobs.TAP_ASYNC));
            Map<String, URI> descriptions = new LinkedHashMap<>();
            for (LoadedDefinition d : defined) {
                String name = d.definition().name();
                URI list = base.resolve(UWS_PATH.substring(1) + "/" + name);
                urls.put(name, list);
                descriptions.put(name, URI.create(list + "/" + UwsServlet.DEFINITIONS_SEGMENT + "/" + name));
            }
            return new ExampleServer(options, store, service, backends, engine, jetty, base,
                    java.util.Collections.unmodifiableMap(urls), java.util.Collections.unmodifiableMap(descriptions),
                    describe(options, dataDir, store, nodeId), lock);
        } catch (Exception | Error e) {
            stopQuietly(engine, jetty, service, backends, store, lock);
            throw e;
        }
    }

    /**
     * The job store of {@code --store}: an H2 file under {@code dataDir} (default), memory, or a JDBC URL.
     *
     * @throws ExampleOptions.BadOptionException if the store refuses the configuration
     */
    private static JobStore createStore(ExampleOptions options, Path dataDir) throws IOException {
        if (options.store().equals(ExampleOptions.STORE_MEMORY)) {
            return new InMemoryJobStore();
        }
        try {
            if (options.store().equals(ExampleOptions.STORE_H2)) {
                Path db = dataDir.resolve(H2_DATABASE);
                Files.createDirectories(db.getParent());
                return JdbcJobStore.h2File(db);
            }
            return JdbcJobStore.builder().jdbcUrl(options.store()).user(options.dbUser())
                    .password(options.dbPassword()).schema(options.dbSchema()).build();
        } catch (IllegalArgumentException e) {
            throw new ExampleOptions.BadOptionException("--store: " + e.getMessage());
        }
    }

    private static String describe(ExampleOptions options, Path dataDir, JobStore store, String nodeId) {
        String what;
        if (store instanceof JdbcJobStore jdbc) {
            String where = options.store().equals(ExampleOptions.STORE_H2)
                    ? dataDir.resolve(H2_DATABASE) + ".mv.db"
                    : options.storeForDisplay();
            what = jdbc.dialectName() + " " + where + ", table " + jdbc.tableName();
        } else {
            what = "memory (jobs are lost at stop)";
        }
        return what + "; engine node " + nodeId + ", lease " + options.leaseDuration().toSeconds() + " s";
    }

    /**
     * The provenance of finished jobs: listed among their results, with the records their job logic wrote
     * ({@value ProvRecords#RESULT_NAME}) read from result storage.
     */
    static ProvenanceDocuments provenance(ResultStore results, ProvWriters writers) {
        return ProvenanceDocuments.builder(ProvenanceBuilder.builder().serviceName(PROVENANCE_SERVICE_NAME).build())
                .records(ProvRecords.Source.fromResultStore(results))
                .writers(writers)
                .listAsResult(true)
                .build();
    }

    /**
     * The execution backends: one local backend runs both job types, or with {@code --backend slurm} one SLURM
     * backend ({@link SlurmJobs}).
     */
    private static List<ExecutionBackend> createBackends(ExampleOptions options, Path dataDir,
                                                         List<LoadedDefinition> defined, URI callbackUrl)
            throws IOException {
        if (options.backend().equals(ExampleOptions.BACKEND_SLURM)) {
            List<ExecutionBackend> out = new ArrayList<>();
            out.add(SlurmJobs.backend(options, dataDir, System.getenv(), callbackUrl));
            if (!defined.isEmpty()) { // job types from files run on this host (not on SLURM yet)
                LocalBackend.Builder processes = LocalBackend.builder().workRoot(dataDir.resolve("work"))
                        .threads(defined.size() * DemoJobs.MAX_EXECUTING_JOBS);
                DefinedJobs.register(defined, processes);
                out.add(processes.build());
            }
            return out;
        }
        LocalBackend.Builder local = LocalBackend.builder()
                .workRoot(dataDir.resolve("work"))
                .logic(DemoJobs.DEMO, DemoJobs::runDemo)
                .process(DemoJobs.WORDCOUNT, ProcessTemplate.builder(DemoJobs.WC).argFromUpload("FILE").build())
                .threads(DEFAULT_BACKEND_THREADS + defined.size() * DemoJobs.MAX_EXECUTING_JOBS);
        DefinedJobs.register(defined, local);
        return List.of(local.build());
    }

    /**
     * The URL the SLURM batch jobs post their callbacks to: {@code --slurm-callback-url}, else the public URL's
     * {@value #UWS_PATH}; null (no callbacks, with a warning) for a wildcard host without {@code --public-url}, and
     * for the local backend.
     */
    static URI slurmCallbackUrl(ExampleOptions options, int port) {
        if (!options.backend().equals(ExampleOptions.BACKEND_SLURM)) {
            return null;
        }
        if (options.slurmCallbackUrl() != null) {
            return options.slurmCallbackUrl();
        }
        URI pub = publicUrl(options, port);
        if (pub == null) {
            LOG.warn("no --slurm-callback-url and no public URL: SLURM jobs post no callbacks (the poll alone sees"
                    + " their phase changes)");
            return null;
        }
        return URI.create(pub.toString().replaceAll("/+$", "") + UWS_PATH);
    }

    private static int localPort(Server jetty) {
        return ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
    }

    /** The server and its connector, bound (with {@code --port 0}, to a free port), not started. */
    private static Server bindJetty(ExampleOptions options) {
        QueuedThreadPool threads = new QueuedThreadPool(MAX_HTTP_THREADS);
        threads.setName("uwskit-http");
        Server jetty = new Server(threads);
        jetty.setStopTimeout(HTTP_STOP_TIMEOUT_MILLIS);
        jetty.setStopAtShutdown(false);
        HttpConfiguration http = new HttpConfiguration();
        http.setMinRequestDataRate(MIN_REQUEST_DATA_RATE);
        http.setSendServerVersion(false);
        ServerConnector connector = new ServerConnector(jetty, new HttpConnectionFactory(http));
        connector.setIdleTimeout(HTTP_IDLE_TIMEOUT_MILLIS);
        connector.setHost(options.host());
        connector.setPort(options.port());
        jetty.addConnector(connector);
        try {
            connector.open(); // bind now: with --port 0 the public URL needs the actual port
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot listen on " + options.host() + ":" + options.port(), e);
        }
        return jetty;
    }

    private static void configureJetty(Server jetty, ExampleOptions options, JobService service, UsersFile users,
                                       ProvenanceDocuments provenance, ProvWriters writers, JobChangeFeed feed,
                                       List<CallbackReceiver> receivers) {
        ServerConnector connector = (ServerConnector) jetty.getConnectors()[0];
        URI publicUrl = publicUrl(options, connector.getLocalPort());
        if (publicUrl == null) {
            LOG.warn("--host {} is a wildcard address and no --public-url is set: the links the server writes follow "
                    + "each request's Host header, which clients choose; set --public-url", options.host());
        }
        jetty.setErrorHandler(TextErrorHandler.server());

        ServletContextHandler ctx = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
        ctx.setContextPath("/");
        // one resolver for both servlets, so /provsap sees exactly the jobs the UWS job lists show the caller
        OwnerResolver owners = OwnerResolver.byPrincipalName();
        // /uws serves demo and wordcount, /tap only "async" (TAP's async endpoint): each list under one prefix
        List<String> loopback = options.publicUrl() == null ? loopbackOrigins(options.host(), connector.getLocalPort())
                : List.of();
        // /uws also serves every job list made from a definition file (--definitions)
        List<String> uwsLists = service.jobLists().stream().map(JobList::name)
                .filter(n -> !n.equals(DemoJobs.TAP_ASYNC)).toList();
        UwsServlet.Builder uws = uwsServlet(service, owners, provenance, users, publicUrl, loopback, feed,
                uwsLists.toArray(String[]::new));
        receivers.forEach(uws::callbackReceiver); // the SLURM jobs' callbacks: /uws/_callbacks/slurm/...
        addUws(ctx, "uws", UWS_PATH, uws.build());
        addUws(ctx, "tap", TAP_PATH, uwsServlet(service, owners, provenance, users, publicUrl, loopback, feed,
                DemoJobs.TAP_ASYNC).build());
        Map<String, String> listPaths = new LinkedHashMap<>();
        uwsLists.forEach(n -> listPaths.put(n, UWS_PATH));
        listPaths.put(DemoJobs.TAP_ASYNC, TAP_PATH);
        ctx.addServlet(new ServletHolder("provsap", new ProvSapServlet(service, owners, provenance, writers,
                listPaths, publicUrl)), PROVSAP_PATH);
        ctx.setErrorHandler(TextErrorHandler.servlet());
        ctx.addServlet(new ServletHolder("index", new IndexServlet(service, UWS_PATH, TAP_PATH)), "");
        if (users != null) {
            ConstraintSecurityHandler security = new ConstraintSecurityHandler();
            security.setLoginService(users.loginService());
            security.setAuthenticator(new StrictBasicAuthenticator(UsersFile.REALM));
            security.setRealmName(UsersFile.REALM);
            ConstraintMapping all = new ConstraintMapping();
            all.setPathSpec("/*");
            all.setConstraint(Constraint.ANY_USER);
            security.addConstraintMapping(all);
            if (!receivers.isEmpty()) { // batch jobs have no user: their callbacks carry the job's own token
                ConstraintMapping callbacks = new ConstraintMapping();
                callbacks.setPathSpec(UWS_PATH + "/" + CallbackReceiver.SEGMENT + "/*");
                callbacks.setConstraint(Constraint.ALLOWED);
                security.addConstraintMapping(callbacks);
            }
            ctx.setSecurityHandler(security);
        }
        // stop() lets requests under way finish (up to the stop timeout) and refuses new ones
        GracefulHandler graceful = new GracefulHandler();
        graceful.setHandler(ctx);
        jetty.setHandler(graceful);
    }

    private static UwsServlet.Builder uwsServlet(JobService service, OwnerResolver owners, ProvenanceDocuments provenance,
                                         UsersFile users, URI publicUrl, List<String> alsoAllowed,
                                         JobChangeFeed feed, String... lists) {
        UwsServlet.Builder ub = UwsServlet.builder(service).ownerResolver(owners).documentProvider(provenance)
                .jobLists(lists).allowedOrigins(alsoAllowed.toArray(String[]::new));
        if (publicUrl != null) {
            ub.publicBaseUrl(publicUrl);
        }
        if (feed != null) {
            ub.changeFeed(feed); // the job manager's live updates (/uws/_manager/), from the store's change feed
        }
        if (users != null) {
            ub.authenticationChallenge("Basic realm=\"" + UsersFile.REALM + "\"");
        }
        return ub;
    }

    private static void addUws(ServletContextHandler ctx, String name, String path, UwsServlet servlet) {
        ServletHolder holder = new ServletHolder(name, servlet);
        holder.setAsyncSupported(true);
        ctx.addServlet(holder, path + "/*");
    }

    /**
     * On a loopback --host, a browser may name the server localhost, 127.0.0.1 or [::1]: pages from any of these (same
     * port) may change state, so that the HTML forms work whichever name the user typed.
     */
    static List<String> loopbackOrigins(String host, int port) {
        if (!(host.equals("127.0.0.1") || host.equalsIgnoreCase("localhost") || host.equals("::1")
                || host.equals("[::1]"))) {
            return List.of();
        }
        return List.of("http://localhost:" + port, "http://127.0.0.1:" + port, "http://[::1]:" + port);
    }

    /**
     * The public URL links start with: {@code --public-url}, else {@code http://HOST:PORT} with the actual port, else
     * (a wildcard HOST) null: links from each request.
     */
    static URI publicUrl(ExampleOptions options, int port) {
        if (options.publicUrl() != null) {
            return options.publicUrl();
        }
        String h = options.host();
        if (h.equals("0.0.0.0") || h.equals("::") || h.equals("[::]") || h.equals("0:0:0:0:0:0:0:0") || h.isEmpty()) {
            return null;
        }
        return URI.create("http://" + hostForUrl(h) + ":" + port);
    }

    private static String hostForUrl(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    /** The TCP port the server listens on (the actual one with {@code --port 0}). */
    public int localPort() {
        return ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
    }

    /** The server's root URL as clients see it: {@code --public-url}, else e.g. {@code http://127.0.0.1:8080/}. */
    public URI baseUri() {
        return baseUri;
    }

    /** The URL of each job list by name ({@code demo}, {@code wordcount}, and {@code tap} for /tap/async). */
    public Map<String, URI> jobListUrls() {
        return jobListUrls;
    }

    /**
     * The description of each job type read from {@code --definitions}, by name: its JSON Schema, and with
     * {@code ?FORMAT=votable} its DataLink service descriptor.
     */
    public Map<String, URI> definitionUrls() {
        return definitionUrls;
    }

    /** The ProvSAP-style query URL ({@code …/provsap}). */
    public URI provSapUri() {
        return baseUri.resolve(PROVSAP_PATH.substring(1));
    }

    /** The TAP-like base URL ({@code …/tap}); TAP clients POST jobs to its {@code /async}. */
    public URI tapBaseUri() {
        return baseUri.resolve(TAP_PATH.substring(1));
    }

    public JobService service() {
        return service;
    }

    public ExampleOptions options() {
        return options;
    }

    /** Prints the server's URLs, one line each; {@code job list NAME: URL} lines are stable for scripts. */
    public void printUrls(PrintStream out) {
        out.println("uwskit example server at " + baseUri);
        jobListUrls.forEach((name, url) -> out.println("job list " + name + ": " + url));
        definitionUrls.forEach((name, url) -> out.println("job type " + name + " description: " + url
                + " (JSON Schema; ?FORMAT=votable for its DataLink service descriptor)"));
        out.println("service descriptions: " + baseUri.resolve(UWS_PATH.substring(1) + "/" + UwsServlet.OPENAPI_PATH)
                + " (OpenAPI 3.1), " + baseUri.resolve(UWS_PATH.substring(1) + "/" + UwsServlet.CAPABILITIES_PATH)
                + " (VOSI capabilities)");
        out.println("tap base: " + tapBaseUri());
        out.println("provenance query: " + provSapUri() + "?ID=<job URL or id>&DEPTH=1&DIRECTION=BACK");
        out.println("store: " + storeDescription);
        out.println("ready" + (options.usersFile() == null ? " (anonymous use allowed)" : " (HTTP Basic authentication)"));
        out.flush();
    }

    /** Blocks until Jetty has stopped. */
    public void join() throws InterruptedException {
        jetty.join();
    }

    /**
     * Stops the engine (running jobs are aborted or released), then Jetty, the service and the store, and releases
     * the data directory. Idempotent and thread-safe.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            stopQuietly(engine, jetty, service, backends, store, lock);
        }
    }

    private static void stopQuietly(Engine engine, Server jetty, JobService service, List<ExecutionBackend> backends,
                                    JobStore store, DataDirLock lock) {
        List<Runnable> steps = new ArrayList<>();
        if (engine != null) {
            steps.add(engine::close);
        }
        for (ExecutionBackend b : backends) {
            steps.add(b::close);
        }
        if (jetty != null) {
            steps.add(() -> {
                try {
                    // open job manager event streams would hold the graceful stop until its timeout
                    for (ServletContextHandler ctx : jetty.getDescendants(ServletContextHandler.class)) {
                        for (ServletHolder h : ctx.getServletHandler().getServlets()) {
                            if (h.getServletInstance() instanceof UwsServlet uws) {
                                uws.endEventStreams();
                            }
                        }
                    }
                    jetty.stop();
                    for (org.eclipse.jetty.server.Connector c : jetty.getConnectors()) {
                        if (c instanceof ServerConnector sc && sc.isOpen()) {
                            sc.close(); // bound but never started (a start that failed early)
                        }
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        }
        if (service != null) {
            steps.add(service::close);
        }
        if (store != null) {
            steps.add(store::close);
        }
        steps.add(lock::close);
        for (Runnable step : steps) {
            try {
                step.run();
            } catch (RuntimeException e) {
                LOG.warn("error while stopping", e);
            }
        }
    }

    /**
     * Runs the server until SIGTERM or Ctrl-C. Exit code 2 for bad options (with a message on stderr), 1 if it
     * cannot start.
     */
    public static void main(String[] args) {
        ExampleOptions options;
        try {
            options = ExampleOptions.parse(Arrays.asList(args));
        } catch (ExampleOptions.BadOptionException e) {
            System.err.println("uwskit-examples: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (options == null) {
            System.out.println(ExampleOptions.USAGE);
            return;
        }
        ExampleServer server;
        try {
            server = start(options);
        } catch (ExampleOptions.BadOptionException e) {
            System.err.println("uwskit-examples: " + e.getMessage());
            System.exit(2);
            return;
        } catch (Exception e) {
            System.err.println("uwskit-examples: cannot start: " + e);
            LOG.error("cannot start", e);
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("stopping");
            server.close();
            LOG.info("stopped");
        }, "uwskit-shutdown"));
        server.printUrls(System.out);
        try {
            server.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
