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
import org.eclipse.jetty.server.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.uwskit.Engine;
import org.uwskit.JobList;
import org.uwskit.JobService;
import org.uwskit.examples.internal.DataDirLock;
import org.uwskit.examples.internal.NodeIdFile;
import org.uwskit.examples.internal.UsersFile;
import org.uwskit.memory.FileResultStore;
import org.uwskit.prov.ProvRecords;
import org.uwskit.prov.ProvWriters;
import org.uwskit.prov.ProvenanceBuilder;
import org.uwskit.prov.ProvenanceDocuments;
import org.uwskit.prov.servlet.ProvSapServlet;
import org.uwskit.definition.LoadedDefinition;
import org.uwskit.servlet.UwsServlet;
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
 * the ProvSAP-style query across jobs at {@value #PROVSAP_PATH} (uws-prov's {@link ProvSapServlet}, mounted).
 * The store comes from {@link ExampleStores}, the backends (local, or SLURM through {@link SlurmJobs}) from
 * {@link ExampleBackends}, Jetty with its servlets and authentication from {@link ExampleJetty}.
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
            ExampleStores.Built built = ExampleStores.create(options, dataDir);
            store = built.store();
            ResultStore results = new FileResultStore(dataDir.resolve("results"));
            JobService.Builder sb = JobService.builder().store(store).resultStore(results);
            lists.forEach(sb::jobList);
            service = sb.build();

            // bind first: with --port 0 the SLURM jobs' callback URL needs the actual port
            jetty = ExampleJetty.bind(options);
            URI callbackUrl = ExampleBackends.slurmCallbackUrl(options, ExampleJetty.localPort(jetty));
            backends = ExampleBackends.create(options, dataDir, defined, callbackUrl);
            Engine.Builder eb = Engine.builder(service).nodeId(nodeId).leaseDuration(options.leaseDuration());
            backends.forEach(eb::backend);
            engine = eb.build();
            engine.start();

            List<CallbackReceiver> receivers = callbackUrl == null ? List.of() : backends.stream()
                    .filter(CallbackReceiver.class::isInstance).map(CallbackReceiver.class::cast).toList();
            ExampleJetty.configure(jetty, options, service, users, provenance(results, ProvWriters.defaults()),
                    built.changes(), receivers);
            jetty.start();
            int port = ExampleJetty.localPort(jetty);
            URI base = URI.create("http://" + ExampleJetty.hostForUrl(options.host()) + ":" + port + "/");
            URI configured = ExampleJetty.publicUrl(options, port);
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
                    built.description() + "; engine node " + nodeId + ", lease "
                            + options.leaseDuration().toSeconds() + " s", lock);
        } catch (Exception | Error e) {
            stopQuietly(engine, jetty, service, backends, store, lock);
            throw e;
        }
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

    /** The TCP port the server listens on (the actual one with {@code --port 0}). */
    public int localPort() {
        return ExampleJetty.localPort(jetty);
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
            steps.add(() -> ExampleJetty.stop(jetty));
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
