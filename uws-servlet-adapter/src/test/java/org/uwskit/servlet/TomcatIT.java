package org.uwskit.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.realm.GenericPrincipal;
import org.apache.catalina.startup.Tomcat;
import org.apache.catalina.valves.ValveBase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.uwskit.Engine;
import org.uwskit.JobDefinition;
import org.uwskit.JobList;
import org.uwskit.JobListPolicy;
import org.uwskit.JobService;
import org.uwskit.memory.InMemoryResultStore;
import org.uwskit.servlet.TestServer.Multipart;
import org.uwskit.servlet.TestServer.Reply;
import org.uwskit.servlet.TestServer.Xml;
import org.uwskit.testkit.Await;

/**
 * The adapter in embedded <b>Tomcat 10.1</b> (the other ITs use Jetty 12), registered exactly as the README's
 * Tomcat section says: {@code Tomcat.addServlet}, async supported, mapped to
 * {@code /uws/*}, on a connector with Tomcat's default limits except for few threads ({@value #THREADS}), so that a
 * WAIT that held a thread would be seen. Authentication is a Tomcat {@code Valve} that sets a
 * {@link GenericPrincipal} from {@code X-User}/{@code X-Roles}: roles are answered by Tomcat's own realm. Every XML
 * body is validated against the UWS 1.1 schema ({@link Reply#xml()}); redirects are not followed.
 */
class TomcatIT {
    private static final int THREADS = 4;
    private static final Duration CAP = Duration.ofSeconds(3);
    private static final int MAX_UPLOAD = 1 << 20;
    private static final String A = "alice";

    private static Path baseDir;
    private static Tomcat tomcat;
    private static JobService service;
    private static Engine engine;
    private static HttpClient client;
    private static String base;
    private static String bare;
    private static final AtomicInteger suspended = new AtomicInteger();

    /** Sets the request's principal from {@code X-User} (roles in {@code X-Roles}); counts suspended requests. */
    static final class HeaderAuthValve extends ValveBase {
        HeaderAuthValve() {
            super(true);
        }

        @Override
        public void invoke(Request request, Response response) throws IOException, ServletException {
            String user = request.getHeader("X-User");
            if (user != null) {
                String roles = request.getHeader("X-Roles");
                request.setUserPrincipal(new GenericPrincipal(user, roles == null ? List.of() : List.of(roles.split(","))));
            }
            getNext().invoke(request, response);
            if (request.isAsyncStarted()) {
                suspended.incrementAndGet();
            }
        }
    }

    @BeforeAll
    static void start() throws Exception {
        JobListPolicy policy = JobListPolicy.builder().maxWait(CAP).maxUploadSize(MAX_UPLOAD)
                .maxParameterLength(4 << 20).maxExecutingJobs(1000).build();
        JobList demo = JobList.builder("demo").definition(JobDefinition.builder("demo").build()).policy(policy).build();
        service = JobService.builder().jobList(demo).resultStore(new InMemoryResultStore()).build();
        engine = Engine.builder(service).backend(new ScriptedBackend()).manual().build();
        UwsServlet servlet = UwsServlet.builder(service).build();

        baseDir = Files.createTempDirectory("uwskit-tomcat");
        tomcat = new Tomcat();
        tomcat.setBaseDir(baseDir.toString());
        tomcat.setPort(0);
        Connector connector = tomcat.getConnector();
        connector.setProperty("address", "127.0.0.1");
        connector.setProperty("maxThreads", Integer.toString(THREADS));
        connector.setProperty("minSpareThreads", "1");

        // as in the README
        Context ctx = tomcat.addContext("", null);
        Wrapper w = Tomcat.addServlet(ctx, "uws", servlet);
        w.setAsyncSupported(true);
        ctx.addServletMappingDecoded("/uws/*", "uws");
        // the host closes what it owns when the web application stops, before Tomcat looks for leaked threads
        ctx.addServletContainerInitializer((classes, sc) -> sc.addListener(new ServletContextListener() {
            @Override
            public void contextDestroyed(ServletContextEvent event) {
                engine.close();
                service.close();
            }
        }), null);

        // a servlet without multipart config (none is needed)
        Wrapper noMultipart = Tomcat.addServlet(ctx, "bare", UwsServlet.builder(service).build());
        noMultipart.setAsyncSupported(true);
        ctx.addServletMappingDecoded("/bare/*", "bare");

        ctx.getPipeline().addValve(new HeaderAuthValve());
        tomcat.start();
        int port = connector.getLocalPort();
        base = "http://127.0.0.1:" + port + "/uws";
        bare = "http://127.0.0.1:" + port + "/bare";
        client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (tomcat != null) {
                tomcat.stop();
                tomcat.destroy();
            }
        } catch (LifecycleException e) {
            throw new IllegalStateException("Tomcat did not stop", e);
        } finally {
            // already closed by the listener unless Tomcat failed to start (both are idempotent)
            if (engine != null) {
                engine.close();
            }
            if (service != null) {
                service.close();
            }
            if (baseDir != null) {
                try (Stream<Path> files = Files.walk(baseDir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    // ------------------------------------------------------------ helpers

    private static HttpRequest.Builder request(String pathOrUrl, String user) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(pathOrUrl.startsWith("http") ? pathOrUrl : base + pathOrUrl))
                .timeout(Duration.ofSeconds(30));
        if (user != null) {
            b.header("X-User", user);
        }
        return b;
    }

    private static Reply send(HttpRequest r) throws IOException, InterruptedException {
        return new Reply(client.send(r, HttpResponse.BodyHandlers.ofByteArray()));
    }

    private static Reply get(String path, String user, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = request(path, user).GET();
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return send(b.build());
    }

    private static Reply post(String path, String user, String... pairs) throws IOException, InterruptedException {
        return send(request(path, user).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(TestServer.form(pairs))).build());
    }

    private static Reply postMultipart(String path, String user, Multipart m) throws IOException, InterruptedException {
        return send(request(path, user).header("Content-Type", m.contentType()).POST(m.publisher()).build());
    }

    private static Reply method(String method, String path, String user) throws IOException, InterruptedException {
        return send(request(path, user).method(method, HttpRequest.BodyPublishers.noBody()).build());
    }

    /** Creates a job as {@code user}: 303 with the absolute URL of the new job; returns that URL. */
    private static String create(String user, String... pairs) throws IOException, InterruptedException {
        Reply r = post("/demo", user, pairs);
        assertThat(r.status()).as("creation: %s", r.text()).isEqualTo(303);
        String loc = r.header("Location");
        assertThat(loc).matches("\\Q" + base + "/demo/\\E[a-z2-7]{26}");
        return loc;
    }

    /** A text/plain error answer with a message, not an HTML page of the container. */
    private static void assertTextError(Reply r, int status, String mentions) {
        assertThat(r.status()).as("status: %s", r.text()).isEqualTo(status);
        assertThat(r.header("Content-Type")).startsWith("text/plain");
        assertThat(r.text()).contains(mentions).doesNotContain("<html");
    }

    private static long millisSince(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    private static void awaitSuspended(int n) throws InterruptedException {
        Await.until(java.time.Duration.ofSeconds(10), Await.DEFAULT_POLL, () -> suspended.get() >= n,
                "requests suspended", () -> suspended.get() + " of " + n);
    }

    private static byte[] binary(int size) {
        byte[] b = new byte[size];
        new Random(7).nextBytes(b);
        for (int i = 0; i < 256 && i < size; i++) {
            b[i] = (byte) i;
        }
        return b;
    }

    // ------------------------------------------------------------ tests

    @Test
    void createRunAndTheJobDocument() throws Exception {
        String job = create(A, "QUERY", "select ünïcode ✓ from t", "outcome", "hold");
        Xml doc = get(job, A).xml();
        assertThat(doc.s("/uws:job/@version")).isEqualTo("1.1");
        assertThat(doc.s("/uws:job/uws:jobId")).isEqualTo(job.substring(job.lastIndexOf('/') + 1));
        assertThat(doc.s("/uws:job/uws:phase")).isEqualTo("PENDING");
        assertThat(doc.s("/uws:job/uws:ownerId")).isEqualTo(A);
        assertThat(doc.s("//uws:parameter[@id='QUERY']")).isEqualTo("select ünïcode ✓ from t");
        Reply text = get(job + "/parameters/QUERY", A);
        assertThat(text.header("Content-Type")).startsWith("text/plain").containsIgnoringCase("charset=UTF-8");
        assertThat(text.text()).isEqualTo("select ünïcode ✓ from t");

        Reply run = post(job + "/phase", A, "PHASE", "RUN");
        assertThat(run.status()).isEqualTo(303);
        assertThat(run.header("Location")).isEqualTo(job);
        assertThat(get(job, A).xml().s("/uws:job/uws:phase")).isEqualTo("QUEUED");
        engine.dispatch();
        assertThat(get(job + "/phase", A).text()).isEqualTo("EXECUTING");
        assertThat(get("/demo", A).xml().s("/uws:jobs/@version")).isEqualTo("1.1");

        // PHASE=RUN at creation and on the URL; a PUT value in UTF-8 without a declared charset
        Reply atOnce = send(request("/demo?PHASE=RUN", A).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("A=1")).build());
        assertThat(atOnce.status()).isEqualTo(303);
        assertThat(get(atOnce.header("Location") + "/phase", A).text()).isEqualTo("QUEUED");
        String pending = create(A);
        Reply put = send(request(pending + "/parameters/NAME", A).PUT(HttpRequest.BodyPublishers.ofString("Ångström")).build());
        assertThat(put.status()).isEqualTo(303);
        assertThat(get(pending + "/parameters/NAME", A).text()).isEqualTo("Ångström");
    }

    @Test
    void aLargeUrlencodedBodyIsNotLimitedByTomcatsMaxPostSize() throws Exception {
        String big = "x".repeat(3 << 20); // above Tomcat's maxPostSize of 2 MB
        String job = create(A, "BIG", big);
        assertThat(get(job + "/parameters/BIG", A).text()).isEqualTo(big);
    }

    @Test
    void waitReturnsOnAPhaseChangeWithoutHoldingAContainerThread() throws Exception {
        String job = create(A);
        int waiters = 3 * THREADS;
        int before = suspended.get();
        List<CompletableFuture<HttpResponse<byte[]>>> all = new ArrayList<>();
        for (int i = 0; i < waiters; i++) {
            all.add(client.sendAsync(request(job + "?WAIT=-1", A).GET().build(), HttpResponse.BodyHandlers.ofByteArray()));
        }
        awaitSuspended(before + waiters);
        // more waiters than threads: a request still gets a thread at once
        long t0 = System.nanoTime();
        assertThat(get(job + "/phase", A).text()).isEqualTo("PENDING");
        assertThat(millisSince(t0)).isLessThan(1500);
        assertThat(all).noneMatch(CompletableFuture::isDone);

        t0 = System.nanoTime();
        assertThat(post(job + "/phase", A, "PHASE", "RUN").status()).isEqualTo(303);
        for (CompletableFuture<HttpResponse<byte[]>> f : all) {
            Reply r = new Reply(f.get(CAP.toMillis() + 5000, TimeUnit.MILLISECONDS));
            assertThat(r.xml().s("/uws:job/uws:phase")).isEqualTo("QUEUED");
        }
        assertThat(millisSince(t0)).as("all waiters answered after the change").isLessThan(2000);
    }

    @Test
    void waitReturnsAfterItsValueAndAtTheCap() throws Exception {
        String job = create(A);
        long t0 = System.nanoTime();
        CompletableFuture<HttpResponse<byte[]>> minusOne = client.sendAsync(request(job + "?WAIT=-1", A).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        CompletableFuture<Long> minusOneAt = minusOne.thenApply(r -> millisSince(t0));
        CompletableFuture<Long> hugeAt = client.sendAsync(request(job + "?WAIT=100000", A).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray()).thenApply(r -> {
                    assertThat(new Reply(r).xml().s("//uws:phase")).isEqualTo("PENDING");
                    return millisSince(t0);
                });
        long one = System.nanoTime();
        assertThat(get(job + "?WAIT=1", A).xml().s("//uws:phase")).isEqualTo("PENDING");
        assertThat(millisSince(one)).isBetween(900L, 2900L);
        long other = System.nanoTime();
        assertThat(get(job + "?WAIT=30&PHASE=QUEUED", A).xml().s("//uws:phase")).isEqualTo("PENDING");
        assertThat(millisSince(other)).as("PHASE differs: at once").isLessThan(1500);

        long cap = CAP.toMillis();
        assertThat(new Reply(minusOne.get(cap + 5000, TimeUnit.MILLISECONDS)).xml().s("//uws:phase")).isEqualTo("PENDING");
        assertThat(minusOneAt.get(cap + 5000, TimeUnit.MILLISECONDS)).isBetween(cap - 100, cap + 2000);
        assertThat(hugeAt.get(cap + 5000, TimeUnit.MILLISECONDS)).isBetween(cap - 100, cap + 2000);
    }

    @Test
    void waitOutlivesAShortConnectionTimeout() throws Exception {
        Tomcat second = new Tomcat();
        second.setBaseDir(baseDir.resolve("short").toString());
        Connector connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        connector.setProperty("connectionTimeout", "1000");
        second.setConnector(connector);
        UwsServlet servlet = UwsServlet.builder(service).build();
        Context ctx = second.addContext("", null);
        Wrapper w = Tomcat.addServlet(ctx, "uws", servlet);
        w.setAsyncSupported(true);
        ctx.addServletMappingDecoded("/uws/*", "uws");
        ctx.getPipeline().addValve(new HeaderAuthValve());
        second.start();
        try {
            String job = create(A).replace(base, "http://127.0.0.1:" + connector.getLocalPort() + "/uws");
            long t0 = System.nanoTime();
            Reply r = get(job + "?WAIT=3", A);
            assertThat(r.xml().s("//uws:phase")).isEqualTo("PENDING");
            assertThat(millisSince(t0)).isBetween(2900L, 4900L);
        } finally {
            second.stop();
            second.destroy();
        }
    }

    @Test
    void multipartUploadRoundTripsExactBytes() throws Exception {
        byte[] table = binary(200_000);
        Reply created = postMultipart("/demo", A, new Multipart()
                .field("LANG", "ADQL")
                .field("UPLOAD", "t1,param:t1")
                .field("QUERY", "select * from tap_upload.t1 — ünïcode")
                .part("t1", "table.vot", "application/x-votable+xml", table));
        assertThat(created.status()).as(created.text()).isEqualTo(303);
        String job = created.header("Location");
        assertThat(job).startsWith(base + "/demo/");
        Xml doc = get(job, A).xml();
        assertThat(doc.s("//uws:parameter[@id='QUERY']")).isEqualTo("select * from tap_upload.t1 — ünïcode");
        assertThat(doc.s("//uws:parameter[@id='UPLOAD']")).isEqualTo("t1,param:t1");
        assertThat(doc.s("//uws:parameter[@id='t1']/@byReference")).isEqualTo("true");
        assertThat(doc.s("//uws:parameter[@id='t1']")).isEqualTo(job + "/parameters/t1");
        Reply back = get(job + "/parameters/t1", A);
        assertThat(back.status()).isEqualTo(200);
        assertThat(back.header("Content-Type")).isEqualTo("application/x-votable+xml");
        assertThat(back.header("Content-Length")).isEqualTo("200000");
        assertThat(back.body()).isEqualTo(table);
        Reply range = get(job + "/parameters/t1", A, "Range", "bytes=10-19");
        assertThat(range.status()).isEqualTo(206);
        assertThat(range.body()).isEqualTo(Arrays.copyOfRange(table, 10, 20));

        // an update at /parameters replaces the bytes (above the 1 MiB spool threshold: through a temporary file)
        byte[] spooled = binary(MAX_UPLOAD);
        Reply update = postMultipart(job + "/parameters", A, new Multipart()
                .part("t1", "t1.vot", "application/x-votable+xml", spooled));
        assertThat(update.status()).as(update.text()).isEqualTo(303);
        assertThat(update.header("Location")).isEqualTo(job);
        assertThat(get(job + "/parameters/t1", A).body()).isEqualTo(spooled);

        // a file above the largest maxUploadSize: 413, the bytes stay
        Reply big = postMultipart(job + "/parameters", A, new Multipart()
                .part("t1", "big.bin", "application/octet-stream", binary(MAX_UPLOAD + 1)));
        assertTextError(big, 413, "limit");
        assertThat(get(job + "/parameters/t1", A).body()).isEqualTo(spooled);
    }

    @Test
    void slowBodiesHoldNoTomcatThreadAndAreCutOffByTheDefaults() throws Exception {
        // the servlet as the README registers it, with no setting: 6 times more slow clients than Tomcat's threads
        String job = create(A);
        int port = URI.create(base).getPort();
        List<String> heads = new ArrayList<>();
        for (int i = 0; i < 6 * THREADS; i++) {
            heads.add(i % 2 == 0
                    ? SlowClients.head("POST", "/uws/demo", "application/x-www-form-urlencoded", 1_000_000)
                    : SlowClients.head("PUT", "/uws/demo/" + job.substring(job.lastIndexOf('/') + 1)
                            + "/parameters/NAME", "text/plain", 1_000_000));
        }
        long grace = UwsServlet.Builder.DEFAULT_BODY_RATE_GRACE.toMillis();
        try (SlowClients slow = new SlowClients(port, heads, 250)) {
            while (slow.elapsedMillis() < grace - 1000) {
                long t0 = System.nanoTime();
                Reply r = send(request(job + "/phase", A).timeout(Duration.ofSeconds(1)).GET().build());
                assertThat(r.text()).isEqualTo("PENDING");
                assertThat(millisSince(t0)).as("a request while slow bodies arrive").isLessThan(1000);
                Thread.sleep(200);
            }
            assertThat(slow.awaitAnswers(grace + 4000)).as("every slow client answered and disconnected").isTrue();
            for (SlowClients.Client c : slow.clients()) {
                assertThat(c.status()).as(c.answer).isEqualTo(408);
                assertThat(c.body()).contains("arrives too slowly");
            }
        }
        long t0 = System.nanoTime();
        assertThat(post("/demo", A, "A", "1").status()).isEqualTo(303);
        assertThat(millisSince(t0)).isLessThan(1000);
    }

    @Test
    void multipartLimitsAreTheServletsOwnNotTomcats() throws Exception {
        // Tomcat's maxPartCount (50) does not apply: the servlet parses multipart itself (limit maxParts, 200)
        Multipart sixty = new Multipart();
        for (int i = 0; i < 60; i++) {
            sixty.field("P" + i, "v");
        }
        assertThat(postMultipart("/demo", A, sixty).status()).isEqualTo(303);
        Multipart many = new Multipart();
        for (int i = 0; i <= UwsServlet.Builder.DEFAULT_MAX_PARTS; i++) {
            many.field("P" + i, "v");
        }
        assertTextError(postMultipart("/demo", A, many), 413, "parts");

        // text fields count against maxFormBytes, as an urlencoded body does: not Tomcat's maxFileSize or maxPostSize
        Multipart bigFields = new Multipart().field("QUERY", "y".repeat(MAX_UPLOAD + 1));
        for (int i = 0; i < 3; i++) {
            bigFields.field("Q" + i, "y".repeat(900_000));
        }
        Reply accepted = postMultipart("/demo", A, bigFields);
        assertThat(accepted.status()).as(accepted.text()).isEqualTo(303);
        assertThat(get(accepted.header("Location") + "/parameters/Q2", A).text()).isEqualTo("y".repeat(900_000));
        Multipart tooMuch = new Multipart();
        for (int i = 0; i < 9; i++) {
            tooMuch.field("Q" + i, "y".repeat(1 << 20));
        }
        assertTextError(postMultipart("/demo", A, tooMuch), 413,
                "limit of " + UwsServlet.Builder.DEFAULT_MAX_FORM_BYTES + " bytes");
    }

    @Test
    void aServletWithoutMultipartConfigAcceptsMultipart() throws Exception {
        Reply r = send(request(bare + "/demo", A).header("Content-Type", new Multipart().contentType())
                .POST(new Multipart().field("A", "1").publisher()).build());
        assertThat(r.status()).as(r.text()).isEqualTo(303);
        // urlencoded bodies too
        assertThat(send(request(bare + "/demo", A).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("A=1")).build()).status()).isEqualTo(303);
    }

    @Test
    void resultsAreServedWithContentLengthAndRanges() throws Exception {
        String job = create(A, "outcome", "complete", "resultSize", "5000");
        assertThat(post(job + "/phase", A, "PHASE", "RUN").status()).isEqualTo(303);
        engine.dispatch();
        assertThat(get(job + "/phase", A).text()).isEqualTo("COMPLETED");
        Xml results = get(job + "/results", A).xml();
        assertThat(results.s("//uws:result[@id='result']/@xlink:href")).isEqualTo(job + "/results/result");
        assertThat(results.s("//uws:result[@id='result']/@size")).isEqualTo("5000");
        byte[] all = ScriptedBackend.resultBytes(5000);

        Reply full = get(job + "/results/result", A);
        assertThat(full.status()).isEqualTo(200);
        assertThat(full.header("Content-Type")).isEqualTo("application/x-test");
        assertThat(full.header("Content-Length")).isEqualTo("5000");
        assertThat(full.header("Accept-Ranges")).isEqualTo("bytes");
        assertThat(full.body()).isEqualTo(all);

        Reply mid = get(job + "/results/result", A, "Range", "bytes=100-199");
        assertThat(mid.status()).isEqualTo(206);
        assertThat(mid.header("Content-Range")).isEqualTo("bytes 100-199/5000");
        assertThat(mid.header("Content-Length")).isEqualTo("100");
        assertThat(mid.body()).isEqualTo(Arrays.copyOfRange(all, 100, 200));
        Reply suffix = get(job + "/results/result", A, "Range", "bytes=-7");
        assertThat(suffix.status()).isEqualTo(206);
        assertThat(suffix.body()).isEqualTo(Arrays.copyOfRange(all, 4993, 5000));
        Reply beyond = get(job + "/results/result", A, "Range", "bytes=5000-6000");
        assertTextError(beyond, 416, "5000");
        assertThat(beyond.header("Content-Range")).isEqualTo("bytes */5000");

        Reply head = send(request(job + "/results/result", A).method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.header("Content-Length")).isEqualTo("5000");
        assertThat(head.body()).isEmpty();
    }

    @Test
    void errorsAreTextMessages() throws Exception {
        String job = create(A);
        String id = job.substring(job.lastIndexOf('/') + 1);
        assertTextError(get("/nolist", A), 404, "demo");
        assertTextError(get("/demo/" + "a".repeat(26), A), 404, "a".repeat(26));
        assertTextError(get(job + "/nothing", A), 404, "nothing");
        assertTextError(get(job + "/results/nothing", A), 404, "nothing");
        assertTextError(get(job + "/error", A), 404, "no error");

        Reply del = method("DELETE", "/demo", A);
        assertTextError(del, 405, "DELETE");
        assertThat(del.header("Allow")).isEqualTo("GET, HEAD, POST");
        Reply put = method("PUT", job, A);
        assertTextError(put, 405, "PUT");
        assertThat(put.header("Allow")).isEqualTo("GET, HEAD, POST, DELETE");
        Reply patch = method("PATCH", job + "/results", A);
        assertTextError(patch, 405, "PATCH");

        assertTextError(post(job + "/phase", A, "PHASE", "FOO"), 400, "FOO");
        assertTextError(get(job + "?WAIT=abc", A), 400, "WAIT");
        assertTextError(post(job + "/executionduration", A, "EXECUTIONDURATION", "soon"), 400, "soon");
        assertTextError(send(request("/demo", A).header("Content-Type", "text/xml")
                .POST(HttpRequest.BodyPublishers.ofString("<job/>")).build()), 415, "text/xml");
        assertThat(get(job + "/phase", A).text()).as("job " + id + " unchanged").isEqualTo("PENDING");

        Reply headMissing = send(request("/demo/" + "b".repeat(26), A).method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
        assertThat(headMissing.status()).isEqualTo(404);
        assertThat(headMissing.header("Content-Type")).startsWith("text/plain");
    }

    @Test
    void deleteIs303ToTheListThen404() throws Exception {
        String job = create(A);
        Reply del = method("DELETE", job, A);
        assertThat(del.status()).isEqualTo(303);
        assertThat(del.header("Location")).isEqualTo(base + "/demo");
        assertTextError(get(job, A), 404, "no job");
        assertThat(method("DELETE", job, A).status()).isEqualTo(404);

        String other = create(A);
        Reply action = post(other, A, "ACTION", "DELETE");
        assertThat(action.status()).isEqualTo(303);
        assertThat(action.header("Location")).isEqualTo(base + "/demo");
        assertThat(get(other + "/phase", A).status()).isEqualTo(404);
    }

    @Test
    void eachOwnerSeesOnlyTheirJobs_adminsAll_anonymousNone() throws Exception {
        String a = create(A, "P", "1");
        String aId = a.substring(a.lastIndexOf('/') + 1);
        String b = create("bob");
        String bId = b.substring(b.lastIndexOf('/') + 1);
        assertThat(get("/demo", A).xml().all("//uws:jobref/@id")).contains(aId).doesNotContain(bId);
        assertThat(get("/demo", "bob").xml().all("//uws:jobref/uws:ownerId")).containsOnly("bob");
        for (String sub : List.of("", "/phase", "/parameters", "/parameters/P", "/results", "/owner", "?WAIT=5")) {
            Reply r = get(a + sub, "bob");
            assertTextError(r, 403, "");
            assertThat(r.text()).as(sub).isNotBlank();
        }
        assertThat(post(a + "/phase", "bob", "PHASE", "RUN").status()).isEqualTo(403);
        assertThat(method("DELETE", a, "bob").status()).isEqualTo(403);
        assertThat(get(a + "/phase", A).text()).isEqualTo("PENDING");
        assertThat(get(a + "/owner", A).text()).isEqualTo(A);

        // uws-admin through Tomcat's realm (isUserInRole)
        Reply admin = get(a, "root", "X-Roles", "uws-admin");
        assertThat(admin.xml().s("/uws:job/uws:ownerId")).isEqualTo(A);
        assertThat(get("/demo", "root", "X-Roles", "uws-admin").xml().all("//uws:jobref/@id")).contains(aId, bId);
        assertThat(get(a, "root", "X-Roles", "other").status()).isEqualTo(403);

        // anonymous callers on a list that requires authentication
        assertTextError(get(a, null), 403, "");
        assertThat(post("/demo", null, "A", "1").status()).isEqualTo(403);
    }
}
