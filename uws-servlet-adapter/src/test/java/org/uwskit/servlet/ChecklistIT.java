package org.uwskit.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.uwskit.DestructionMode;
import org.uwskit.JobDefinition;
import org.uwskit.JobList;
import org.uwskit.JobListPolicy;
import org.uwskit.Phase;
import org.uwskit.Result;
import org.uwskit.servlet.TestServer.Multipart;
import org.uwskit.servlet.TestServer.Reply;
import org.uwskit.servlet.TestServer.Xml;
import org.uwskit.testkit.SettableClock;
import org.uwskit.testkit.Await;

/**
 * The UWS 1.1 checklist items that {@link UwsServletIT}, {@link WaitIT}, {@link OwnerIsolationIT} and
 * {@link UploadAndRangeIT} do not check completely (see {@code CONFORMANCE.md}): one test per item or group of
 * items, numbered as in {@code shared/uws/CHECKLIST.md}, over a real Jetty on an ephemeral port. Every XML answer is
 * validated against the UWS 1.1 schema ({@link Reply#xml()}).
 *
 * <p>The service has a quote estimator (now + 10 minutes on {@code demo} and {@code arch}, "don't know" on
 * {@code open}) so that quotes exist, and a job list {@code arch} that archives instead of deleting.
 */
class ChecklistIT {
    private static final String ISO_Z = "^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z$";
    private static final List<String> PHASES = List.of("PENDING", "QUEUED", "EXECUTING", "COMPLETED", "ERROR",
            "ABORTED", "UNKNOWN", "HELD", "SUSPENDED", "ARCHIVED");
    private static final Set<Phase> NOT_ACTIVE = Set.of(Phase.COMPLETED, Phase.ERROR, Phase.ABORTED, Phase.HELD,
            Phase.SUSPENDED, Phase.ARCHIVED);
    private static final String A = "alice";
    private static final Duration QUOTE_AHEAD = Duration.ofMinutes(10);
    /**
     * "At once" for a WAIT, with room for a busy 2-core machine: a request that blocked instead would take the
     * list's maxWait of 30 s.
     */
    private static final long AT_ONCE_MS = 3000;
    /** A waiter woken by a phase change answers within this (the checklist says "about 1 s"; the cap is 30 s). */
    private static final long WAKE_MS = 2000;
    private static TestServer s;

    @BeforeAll
    static void start() throws Exception {
        JobList arch = JobList.builder("arch").definition(JobDefinition.builder("arch").build())
                .policy(JobListPolicy.builder().destructionMode(DestructionMode.ARCHIVE).build()).build();
        s = new TestServer(p -> { }, b -> { }, j -> j.jobList(arch)
                .quoteEstimator((job, list, now) -> list.name().equals("open") ? null : now.plus(QUOTE_AHEAD)));
    }

    @AfterAll
    static void stop() throws Exception {
        s.close();
    }

    // ------------------------------------------------------------ helpers

    /** Creates a job in {@code list} and returns its absolute URL, checking the 303 of item 67. */
    private static String create(String list, String user, String... pairs) throws Exception {
        Reply r = s.post("/" + list, user, pairs);
        assertThat(r.status()).as("creation answer: %s", r.text()).isEqualTo(303);
        String loc = r.header("Location");
        assertThat(loc).startsWith(s.base + "/" + list + "/");
        return loc;
    }

    private static String id(String jobUrl) {
        return jobUrl.substring(jobUrl.lastIndexOf('/') + 1);
    }

    private static String phase(String jobUrl) throws Exception {
        Reply r = s.get(jobUrl + "/phase", A);
        assertThat(r.status()).as("phase of %s: %s", jobUrl, r.text()).isEqualTo(200);
        return r.text();
    }

    private static void post303(String url, String... pairs) throws Exception {
        Reply r = s.post(url, A, pairs);
        assertThat(r.status()).as("POST %s: %s", url, r.text()).isEqualTo(303);
    }

    /**
     * A new job in {@code phase} ({@code demo}, or {@code arch} for ARCHIVED). A QUEUED job stays QUEUED only until
     * the next {@code engine.dispatch()}, so callers use it before creating the next job.
     */
    private static String jobIn(Phase phase) throws Exception {
        String outcome = switch (phase) {
            case COMPLETED, ARCHIVED -> "complete";
            case ERROR -> "fail";
            default -> "hold";
        };
        String job = create(phase == Phase.ARCHIVED ? "arch" : "demo", A, "outcome", outcome, "RUNID", "run-" + phase);
        switch (phase) {
            case PENDING -> { }
            case ABORTED -> post303(job + "/phase", "PHASE", "ABORT");
            case QUEUED -> post303(job + "/phase", "PHASE", "RUN");
            default -> {
                post303(job + "/phase", "PHASE", "RUN");
                s.engine.dispatch();
            }
        }
        switch (phase) {
            case HELD -> s.backend.events(id(job)).held();
            case SUSPENDED -> s.backend.events(id(job)).suspended();
            case ARCHIVED -> {
                post303(job + "/destruction", "DESTRUCTION", "2001-01-01T00:00:00Z");
                s.engine.housekeep();
            }
            default -> { }
        }
        assertThat(phase(job)).as("setting up a job in %s", phase).isEqualTo(phase.name());
        return job;
    }

    /** One job in every phase a client can observe here (UNKNOWN is never produced by uwskit). */
    private static Map<Phase, String> jobsInEveryPhase() throws Exception {
        Map<Phase, String> out = new EnumMap<>(Phase.class);
        for (Phase p : List.of(Phase.COMPLETED, Phase.ERROR, Phase.EXECUTING, Phase.HELD, Phase.SUSPENDED,
                Phase.ARCHIVED, Phase.ABORTED, Phase.PENDING, Phase.QUEUED)) {
            out.put(p, jobIn(p));
        }
        return out;
    }

    private static String listOf(String jobUrl) {
        return jobUrl.substring(0, jobUrl.lastIndexOf('/'));
    }

    /** Asserts that an optional, nillable instant element is nil (empty) or ISO 8601 UTC with Z; returns its text. */
    private static String instantOrNil(Xml doc, String element) {
        String path = "/uws:job/uws:" + element;
        String text = doc.s(path);
        if ("true".equals(doc.s(path + "/@xsi:nil")) || doc.all(path).isEmpty()) {
            assertThat(text).as(element).isEmpty();
        } else {
            assertThat(text).as(element).matches(ISO_Z);
        }
        return text;
    }

    private static long millis(ThrowingRunnable r) throws Exception {
        long t0 = System.nanoTime();
        r.run();
        return (System.nanoTime() - t0) / 1_000_000;
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    /** Polls until the servlet has suspended {@code n} requests in total, failing after a deadline. */
    private static void awaitSuspended(int n) throws InterruptedException {
        Await.until(java.time.Duration.ofSeconds(10), Await.DEFAULT_POLL, () -> s.suspended.get() >= n,
                "requests suspended", () -> s.suspended.get() + " of " + n);
    }

    private static void assertSeeOther(Reply r, String expectedLocation) {
        assertThat(r.status()).as("answer: %s", r.text()).isEqualTo(303);
        String loc = r.header("Location");
        assertThat(loc).isEqualTo(expectedLocation);
        URI u = URI.create(loc);
        assertThat(u.isAbsolute()).as("absolute Location %s", loc).isTrue();
        assertThat(u.getScheme()).isEqualTo("http");
        assertThat(u.getHost()).isEqualTo("127.0.0.1");
        assertThat(r.body()).as("a 303 needs no body").isEmpty();
    }

    // ------------------------------------------------------------ B. resources and URIs

    @Test
    void item10_jobIdsAreLegalUriPathElements() throws Exception {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 30; i++) {
            String id = id(create("demo", A));
            assertThat(id).matches("[A-Za-z0-9._~-]+");
            assertThat(URLEncoder.encode(id, StandardCharsets.UTF_8)).isEqualTo(id);
            ids.add(id);
        }
        assertThat(ids).hasSize(30);
    }

    @Test
    void item12_item36_item52_everyInstantInEveryPhaseIsIsoUtcWithZ() throws Exception {
        Map<Phase, String> jobs = jobsInEveryPhase();
        for (Map.Entry<Phase, String> e : jobs.entrySet()) {
            Phase phase = e.getKey();
            String job = e.getValue();
            Xml doc = s.get(job, A).xml();
            assertThat(doc.s("/uws:job/uws:creationTime")).as("%s creationTime", phase).matches(ISO_Z);
            String start = instantOrNil(doc, "startTime");
            String end = instantOrNil(doc, "endTime");
            String destruction = instantOrNil(doc, "destruction");
            String quote = instantOrNil(doc, "quote");
            // item 36: start and end nil until set; end set once COMPLETED, ERROR or ABORTED
            if (phase == Phase.PENDING || phase == Phase.QUEUED) {
                assertThat(start).as("%s startTime", phase).isEmpty();
            }
            if (phase.isFinished() || phase == Phase.ARCHIVED) {
                assertThat(end).as("%s endTime", phase).isNotEmpty();
            } else {
                assertThat(end).as("%s endTime", phase).isEmpty();
            }
            if (Set.of(Phase.EXECUTING, Phase.HELD, Phase.SUSPENDED, Phase.COMPLETED, Phase.ERROR).contains(phase)) {
                assertThat(start).as("%s startTime", phase).isNotEmpty();
            }
            if (!start.isEmpty() && !end.isEmpty()) {
                assertThat(Instant.parse(end)).isAfterOrEqualTo(Instant.parse(start));
            }
            // item 52: a quote is provided, and /quote agrees with <quote>; item 51: /destruction with <destruction>
            assertThat(quote).as("%s quote", phase).isNotEmpty();
            Reply q = s.get(job + "/quote", A);
            assertThat(q.header("Content-Type")).startsWith("text/plain");
            assertThat(q.text()).isEqualTo(quote);
            Reply d = s.get(job + "/destruction", A);
            assertThat(d.header("Content-Type")).startsWith("text/plain");
            assertThat(d.text()).isEqualTo(destruction).matches(ISO_Z);
            assertThat(doc.s("string(/)")).doesNotContain("+00:00");
        }
        // the job list's creation times too, on every list
        for (String list : List.of("/demo", "/arch?PHASE=ARCHIVED", "/arch")) {
            Xml refs = s.get(list, A).xml();
            for (String t : refs.all("//uws:jobref/uws:creationTime")) {
                assertThat(t).as(list).matches(ISO_Z);
            }
        }
        // "don't know" (item 52 MAY): nil in XML and an empty /quote on the list without an estimate
        Reply anon = s.post("/open", null);
        String openJob = anon.header("Location");
        Xml doc = s.get(openJob, null).xml();
        assertThat(doc.all("/uws:job/uws:quote").isEmpty() || "true".equals(doc.s("/uws:job/uws:quote/@xsi:nil")))
                .isTrue();
        assertThat(s.get(openJob + "/quote", null).text()).isEmpty();
    }

    @Test
    void item52_theQuoteIsAPredictedCompletionInstantAfterCreation() throws Exception {
        String job = create("demo", A);
        Xml doc = s.get(job, A).xml();
        Instant created = Instant.parse(doc.s("/uws:job/uws:creationTime"));
        Instant quote = Instant.parse(s.get(job + "/quote", A).text());
        assertThat(quote).isAfter(created).isBeforeOrEqualTo(created.plus(QUOTE_AHEAD).plusSeconds(1));
    }

    // ------------------------------------------------------------ C., D., F. the documents

    @Test
    void item13_item15_item17_item61_everyDocumentOfEveryPhase() throws Exception {
        Map<Phase, String> jobs = jobsInEveryPhase();
        Xml list = s.get("/demo", A).xml();
        assertThat(list.s("/uws:jobs/@version")).isEqualTo("1.1");
        assertThat(list.s("namespace-uri(/*)")).isEqualTo("http://www.ivoa.net/xml/UWS/v1.0");
        for (String job : jobs.values()) {
            Xml doc = s.get(job, A).xml();
            assertThat(doc.s("/uws:job/@version")).isEqualTo("1.1");
            for (String sub : List.of("", "/results", "/parameters")) {
                Xml x = s.get(job + sub, A).xml();
                assertThat(x.s("namespace-uri(/*)")).as(sub).isEqualTo("http://www.ivoa.net/xml/UWS/v1.0");
                assertThat(x.all("//@isPost")).as("item 61: isPost is never emitted").isEmpty();
            }
        }
    }

    @Test
    void item32_item33_item37_aJobWithEveryElementIsValidAndCardinalitiesHold() throws Exception {
        String job = create("demo", A, "RUNID", "full", "A", "1", "B", "2");
        post303(job + "/phase", "PHASE", "RUN");
        s.engine.dispatch();
        var ev = s.backend.events(id(job));
        ev.info("progress", "50%");
        ev.info("cluster", "c-7");
        try (OutputStream out = ev.openResult("partial", "text/plain")) {
            out.write("half".getBytes(StandardCharsets.UTF_8));
        }
        ev.failed("broke half way", "trace");
        Xml doc = s.get(job, A).xml(); // schema validation checks the element order (xs:sequence)
        List<String> order = childNames(doc);
        assertThat(order).containsExactly("jobId", "runId", "ownerId", "phase", "quote", "creationTime", "startTime",
                "endTime", "executionDuration", "destruction", "parameters", "results", "errorSummary", "jobInfo");
        for (String one : List.of("jobId", "ownerId", "phase", "creationTime", "startTime", "endTime",
                "executionDuration", "destruction", "results")) {
            assertThat(doc.s("count(/uws:job/uws:" + one + ")")).as(one).isEqualTo("1");
        }
        for (String most : List.of("quote", "runId", "errorSummary", "parameters", "jobInfo")) {
            assertThat(Integer.parseInt(doc.s("count(/uws:job/uws:" + most + ")"))).as(most).isLessThanOrEqualTo(1);
        }
        assertThat(doc.s("/uws:job/uws:jobInfo/*[local-name()='progress']")).isEqualTo("50%");
        assertThat(doc.s("/uws:job/uws:jobInfo/*[local-name()='cluster']")).isEqualTo("c-7");
        assertThat(doc.all("//uws:result/@id")).containsExactly("partial");
    }

    private static List<String> childNames(Xml doc) {
        List<String> out = new ArrayList<>();
        org.w3c.dom.NodeList nl = doc.doc().getDocumentElement().getChildNodes();
        for (int i = 0; i < nl.getLength(); i++) {
            if (nl.item(i) instanceof org.w3c.dom.Element el) {
                out.add(el.getLocalName());
            }
        }
        return out;
    }

    @Test
    void item34_creationTimeNeverChanges() throws Exception {
        String job = create("demo", A, "outcome", "complete");
        String created = s.get(job, A).xml().s("/uws:job/uws:creationTime");
        post303(job + "/executionduration", "EXECUTIONDURATION", "60");
        post303(job + "/destruction", "DESTRUCTION", "2031-01-01T00:00:00Z");
        post303(job + "/parameters", "creationTime", "2000-01-01T00:00:00Z");
        assertThat(s.post(job + "/creationTime", A, "creationTime", "2000-01-01T00:00:00Z").status()).isIn(404, 405);
        assertThat(s.get(job, A).xml().s("/uws:job/uws:creationTime")).isEqualTo(created);
        post303(job + "/phase", "PHASE", "RUN");
        s.engine.dispatch();
        assertThat(phase(job)).isEqualTo("COMPLETED");
        assertThat(s.get(job, A).xml().s("/uws:job/uws:creationTime")).isEqualTo(created);
        Xml list = s.get("/demo", A).xml();
        assertThat(list.s("//uws:jobref[@id='" + id(job) + "']/uws:creationTime")).isEqualTo(created);
    }

    @Test
    void item38_item42_item16_phaseAndJobIdAgreeWithTheDocumentInEveryPhase() throws Exception {
        Map<Phase, String> jobs = jobsInEveryPhase();
        assertThat(jobs.keySet()).hasSize(9);
        for (Map.Entry<Phase, String> e : jobs.entrySet()) {
            String job = e.getValue();
            Xml doc = s.get(job, A).xml();
            String docPhase = doc.s("/uws:job/uws:phase");
            assertThat(PHASES).contains(docPhase);
            assertThat(docPhase).isEqualTo(e.getKey().name());
            Reply ph = s.get(job + "/phase", A);
            assertThat(ph.header("Content-Type")).startsWith("text/plain");
            assertThat(ph.text()).as("/phase of a %s job", e.getKey()).isEqualTo(docPhase);
            // item 38: jobId is the last path segment of the job URL
            assertThat(doc.s("/uws:job/uws:jobId")).isEqualTo(id(job));
            assertThat(job).endsWith("/" + doc.s("/uws:job/uws:jobId"));
            // the job list shows the same phase (ARCHIVED only when asked for, item 24)
            String listUrl = listOf(job) + (e.getKey() == Phase.ARCHIVED ? "?PHASE=ARCHIVED" : "");
            Xml list = s.get(listUrl, A).xml();
            assertThat(list.s("//uws:jobref[@id='" + id(job) + "']/uws:phase")).isEqualTo(docPhase);
        }
    }

    // ------------------------------------------------------------ E. job list

    @Test
    void item21_everyJobrefHrefResolvesToItsJob() throws Exception {
        jobsInEveryPhase();
        for (String list : List.of("/demo", "/arch?PHASE=ARCHIVED")) {
            Xml refs = s.get(list, A).xml();
            List<String> ids = refs.all("//uws:jobref/@id");
            assertThat(ids).isNotEmpty();
            for (String id : ids) {
                String ref = "//uws:jobref[@id='" + id + "']";
                String href = refs.s(ref + "/@xlink:href");
                assertThat(URI.create(href).isAbsolute()).as(href).isTrue();
                Xml job = s.get(href, A).xml();
                assertThat(job.s("/uws:job/uws:jobId")).isEqualTo(id);
                assertThat(job.s("/uws:job/uws:phase")).isEqualTo(refs.s(ref + "/uws:phase"));
                assertThat(job.s("/uws:job/uws:creationTime")).isEqualTo(refs.s(ref + "/uws:creationTime"));
                assertThat(job.s("/uws:job/uws:runId")).isEqualTo(refs.s(ref + "/uws:runId"));
                assertThat(job.s("/uws:job/uws:ownerId")).isEqualTo(refs.s(ref + "/uws:ownerId")).isEqualTo(A);
            }
        }
    }

    @Test
    void item28_theDeleteRedirectListsEveryActiveJob() throws Exception {
        TestServer t = new TestServer();
        try {
            List<String> active = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                active.add(t.create("frank"));
            }
            String doomed = t.create("frank");
            Reply del = t.method("DELETE", "/demo/" + doomed, "frank");
            assertThat(del.status()).isEqualTo(303);
            String loc = del.header("Location");
            assertThat(loc).isEqualTo(t.base + "/demo"); // no LAST= in the redirect
            Xml list = t.get(loc, "frank").xml();
            assertThat(list.all("//uws:jobref/@id")).containsExactlyInAnyOrderElementsOf(active);
        } finally {
            t.close();
        }
    }

    @Test
    void item29_filterNamesAreCaseInsensitive_andInvalidValuesAre400() throws Exception {
        TestServer t = new TestServer();
        try {
            // times are kept to the millisecond: jobs created in the same one tie for LAST and AFTER, so space them
            // (job creation is fast enough now that two in a row often share one)
            String p1 = t.create("gina");
            Thread.sleep(3);
            String p2 = t.create("gina");
            Thread.sleep(3);
            String q = t.create("gina");
            t.post("/demo/" + q + "/phase", "gina", "PHASE", "RUN");
            String after = t.get("/demo/" + p1, "gina").xml().s("/uws:job/uws:creationTime");
            for (String f : List.of("phase=PENDING", "Phase=pending", "PHASE=Pending")) {
                assertThat(t.get("/demo?" + f, "gina").xml().all("//uws:jobref/@id")).as(f)
                        .containsExactlyInAnyOrder(p1, p2);
            }
            for (String f : List.of("last=1", "Last=1", "LAST=1")) {
                assertThat(t.get("/demo?" + f, "gina").xml().all("//uws:jobref/@id")).as(f).containsExactly(q);
            }
            for (String f : List.of("after=", "After=", "AFTER=")) {
                assertThat(t.get("/demo?" + f + after, "gina").xml().all("//uws:jobref/@id")).as(f)
                        .containsExactlyInAnyOrder(p2, q);
            }
            assertThat(t.get("/demo?phase=queued&last=5&after=" + after, "gina").xml().all("//uws:jobref/@id"))
                    .containsExactly(q);
            // no LAST: descending creation time
            List<String> times = t.get("/demo", "gina").xml().all("//uws:jobref/uws:creationTime");
            assertThat(times).hasSize(3).isSortedAccordingTo((a, b) -> b.compareTo(a));
            for (String bad : List.of("phase=foo", "phase=", "last=0", "last=-1", "last=x", "last=1.5", "after=garbage",
                    "after=", "LAST=99999999999")) {
                Reply r = t.get("/demo?" + bad, "gina");
                assertThat(r.status()).as(bad).isEqualTo(400);
                assertThat(r.header("Content-Type")).as(bad).startsWith("text/plain");
                assertThat(r.text().toUpperCase()).as(bad).contains(bad.substring(0, bad.indexOf('=')).toUpperCase());
            }
        } finally {
            t.close();
        }
    }

    @Test
    void item31_item06_theJobListAllowsNoDeleteNorPut_405WithAllow() throws Exception {
        for (String m : List.of("DELETE", "PUT", "PATCH")) {
            Reply r = s.method(m, "/demo", A);
            assertThat(r.status()).as(m).isEqualTo(405);
            assertThat(r.header("Allow")).as(m).contains("GET").contains("POST").doesNotContain("DELETE")
                    .doesNotContain("PUT");
            assertThat(r.text()).as(m).contains(m);
        }
        // and nothing was deleted
        String job = create("demo", A);
        s.method("DELETE", "/demo", A);
        assertThat(s.get(job, A).status()).isEqualTo(200);
    }

    // ------------------------------------------------------------ G. errors

    @Test
    void item40_item41_errorSummaryAndTheErrorResourceInEveryPhase() throws Exception {
        Map<Phase, String> jobs = jobsInEveryPhase();
        for (Map.Entry<Phase, String> e : jobs.entrySet()) {
            Reply err = s.get(e.getValue() + "/error", A);
            if (e.getKey() == Phase.ERROR) {
                assertThat(err.status()).isEqualTo(200);
                Xml doc = s.get(e.getValue(), A).xml();
                assertThat(doc.s("/uws:job/uws:errorSummary/@type")).isIn("fatal", "transient");
                assertThat(doc.s("/uws:job/uws:errorSummary/@hasDetail")).isEqualTo("true");
                assertThat(err.text()).isEqualTo("stack line 1\nstack line 2");
            } else {
                assertThat(err.status()).as("/error of a %s job", e.getKey()).isEqualTo(404);
                assertThat(err.header("Content-Type")).startsWith("text/plain");
                assertThat(s.get(e.getValue(), A).xml().all("/uws:job/uws:errorSummary")).isEmpty();
            }
        }
        // no detail: hasDetail=false, and /error still says what went wrong
        String plain = create("demo", A, "outcome", "failplain");
        post303(plain + "/phase", "PHASE", "RUN");
        s.engine.dispatch();
        Xml doc = s.get(plain, A).xml();
        assertThat(doc.s("/uws:job/uws:phase")).isEqualTo("ERROR");
        assertThat(doc.s("/uws:job/uws:errorSummary/@type")).isIn("fatal", "transient");
        assertThat(doc.s("/uws:job/uws:errorSummary/@hasDetail")).isEqualTo("false");
        assertThat(doc.s("/uws:job/uws:errorSummary/uws:message")).isEqualTo("it broke without detail");
        assertThat(s.get(plain + "/error", A).text()).isEqualTo("it broke without detail");
    }

    // ------------------------------------------------------------ H. phases

    @Test
    void item43_item02_clientPhaseRequestsInEveryPhase() throws Exception {
        // phase -> {answer and phase after RUN, answer and phase after ABORT}
        Map<Phase, String[]> table = new LinkedHashMap<>();
        table.put(Phase.PENDING, new String[] {"303 QUEUED", "303 ABORTED"});
        table.put(Phase.QUEUED, new String[] {"303 QUEUED", "303 ABORTED"});
        table.put(Phase.EXECUTING, new String[] {"303 EXECUTING", "303 ABORTED"});
        table.put(Phase.HELD, new String[] {"303 EXECUTING", "303 ABORTED"});
        table.put(Phase.SUSPENDED, new String[] {"403 SUSPENDED", "303 ABORTED"});
        table.put(Phase.COMPLETED, new String[] {"403 COMPLETED", "403 COMPLETED"});
        table.put(Phase.ERROR, new String[] {"403 ERROR", "403 ERROR"});
        table.put(Phase.ABORTED, new String[] {"403 ABORTED", "303 ABORTED"});
        table.put(Phase.ARCHIVED, new String[] {"403 ARCHIVED", "403 ARCHIVED"});
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<Phase, String[]> e : table.entrySet()) {
            for (int i = 0; i < 2; i++) {
                String action = i == 0 ? "RUN" : "ABORT";
                String job = jobIn(e.getKey());
                Reply r = s.post(job + "/phase", A, "PHASE", action);
                String got = r.status() + " " + phase(job);
                if (!got.equals(e.getValue()[i])) {
                    wrong.add(e.getKey() + " + PHASE=" + action + ": expected " + e.getValue()[i] + ", got " + got
                            + " (" + r.text().trim() + ")");
                }
                if (r.status() == 403) {
                    assertThat(r.text()).isNotBlank();
                }
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void item46_exceedingTheExecutionDurationAbortsAndKeepsResults() throws Exception {
        SettableClock clock = new SettableClock(Instant.now());
        TestServer t = new TestServer(p -> { }, b -> { }, j -> j.clock(clock));
        try {
            String id = t.create("hank", "EXECUTIONDURATION", "10");
            t.post("/demo/" + id + "/phase", "hank", "PHASE", "RUN");
            t.engine.dispatch();
            assertThat(t.get("/demo/" + id + "/phase", "hank").text()).isEqualTo("EXECUTING");
            try (OutputStream out = t.backend.events(id).openResult("partial", "text/plain")) {
                out.write("so far".getBytes(StandardCharsets.UTF_8));
            }
            clock.advance(Duration.ofSeconds(9));
            t.engine.housekeep();
            assertThat(t.get("/demo/" + id + "/phase", "hank").text()).isEqualTo("EXECUTING");
            clock.advance(Duration.ofSeconds(2));
            t.engine.housekeep();
            Xml doc = t.get("/demo/" + id, "hank").xml();
            assertThat(doc.s("/uws:job/uws:phase")).isEqualTo("ABORTED");
            assertThat(doc.s("/uws:job/uws:endTime")).matches(ISO_Z);
            String href = doc.s("//uws:result[@id='partial']/@xlink:href");
            assertThat(t.get(href, "hank").text()).isEqualTo("so far");
        } finally {
            t.close();
        }
    }

    // ------------------------------------------------------------ I., J. duration and destruction

    @Test
    void item45_item47_executionDurationResourceEqualsTheElement() throws Exception {
        Map<Phase, String> jobs = jobsInEveryPhase();
        for (String job : jobs.values()) {
            String text = s.get(job + "/executionduration", A).text();
            assertThat(text).matches("\\d+").isEqualTo(s.get(job, A).xml().s("/uws:job/uws:executionDuration"));
        }
        String job = create("demo", A);
        for (String[] asked : new String[][] {{"0", "86400"}, {"999999", "86400"}, {"7", "7"}, {"2.5", "3"}}) {
            post303(job + "/executionduration", "EXECUTIONDURATION", asked[0]);
            assertThat(s.get(job, A).xml().s("/uws:job/uws:executionDuration")).as(asked[0]).isEqualTo(asked[1]);
            assertThat(s.get(job + "/executionduration", A).text()).as(asked[0]).isEqualTo(asked[1]);
        }
    }

    @Test
    void item49_atDestructionTheJobIsForgotten_orArchived() throws Exception {
        String doomed = create("demo", A, "outcome", "complete");
        post303(doomed + "/phase", "PHASE", "RUN");
        s.engine.dispatch();
        post303(doomed + "/destruction", "DESTRUCTION", "2001-01-01T00:00:00Z");
        String running = create("demo", A);
        post303(running + "/phase", "PHASE", "RUN");
        s.engine.dispatch();
        post303(running + "/destruction", "DESTRUCTION", "2001-01-01T00:00:00Z");
        s.engine.housekeep();
        for (String job : List.of(doomed, running)) {
            assertThat(s.get(job, A).status()).isEqualTo(404);
            assertThat(s.get(job + "/phase", A).status()).isEqualTo(404);
            assertThat(s.get(job + "/results/result", A).status()).isEqualTo(404);
        }
        assertThat(s.get("/demo?PHASE=ARCHIVED", A).xml().all("//uws:jobref/@id")).doesNotContain(id(doomed));
        // the arch list keeps the metadata, and /destruction still agrees with the element
        String archived = jobIn(Phase.ARCHIVED);
        Xml doc = s.get(archived, A).xml();
        assertThat(doc.s("/uws:job/uws:runId")).isEqualTo("run-ARCHIVED");
        assertThat(s.get(archived + "/destruction", A).text()).isEqualTo(doc.s("/uws:job/uws:destruction"));
    }

    @Test
    void item50_item53_neverDestroyedAnonymousJobsHaveNilDestructionAndOwnerAndEmptyResources() throws Exception {
        Reply r = s.post("/open", null, "A", "1");
        String job = r.header("Location");
        Xml doc = s.get(job, null).xml();
        assertThat(doc.s("/uws:job/uws:destruction/@xsi:nil")).isEqualTo("true");
        assertThat(doc.s("/uws:job/uws:destruction")).isEmpty();
        Reply d = s.get(job + "/destruction", null);
        assertThat(d.status()).isEqualTo(200);
        assertThat(d.header("Content-Type")).startsWith("text/plain");
        assertThat(d.body()).isEmpty();
        // item 53 (rec.): no authenticated owner -> nil ownerId and an empty /owner
        assertThat(doc.s("/uws:job/uws:ownerId/@xsi:nil")).isEqualTo("true");
        Reply o = s.get(job + "/owner", null);
        assertThat(o.status()).isEqualTo(200);
        assertThat(o.header("Content-Type")).startsWith("text/plain");
        assertThat(o.body()).isEmpty();
    }

    // ------------------------------------------------------------ M. runId

    @Test
    void item54_runIdIsEchoed_andARunIdPostedToParametersIsReflected() throws Exception {
        String job = create("demo", A, "RUNID", "TAPLINT-001", "QUERY", "x");
        assertThat(s.get(job, A).xml().s("/uws:job/uws:runId")).isEqualTo("TAPLINT-001");
        String lower = create("demo", A, "runId", "lower case name");
        assertThat(s.get(lower, A).xml().s("/uws:job/uws:runId")).isEqualTo("lower case name");
        // duplicates across jobs are fine, and the job list shows the run id
        String twin = create("demo", A, "RUNID", "TAPLINT-001");
        Xml list = s.get("/demo", A).xml();
        assertThat(list.s("//uws:jobref[@id='" + id(twin) + "']/uws:runId")).isEqualTo("TAPLINT-001");
        assertThat(list.s("//uws:jobref[@id='" + id(job) + "']/uws:runId")).isEqualTo("TAPLINT-001");
        // taplint: POST runId=... to /parameters, then expects any RUNID parameter to hold the new value
        Reply r = s.post(job + "/parameters", A, "runId", "TAPLINT-002");
        assertSeeOther(r, job);
        Xml doc = s.get(job, A).xml();
        List<String> runIdParameters = doc.all("//uws:parameter[translate(@id,'runid','RUNID')='RUNID']");
        assertThat(runIdParameters).containsExactly("TAPLINT-002");
        assertThat(doc.s("//uws:parameter[@id='QUERY']")).isEqualTo("x");
    }

    // ------------------------------------------------------------ N. results

    @Test
    void item56_item57_resultIdsAreUniqueAndEveryHrefIsFetchable() throws Exception {
        String job = create("demo", A);
        post303(job + "/phase", "PHASE", "RUN");
        s.engine.dispatch();
        var ev = s.backend.events(id(job));
        for (String content : List.of("first", "second")) {
            try (OutputStream out = ev.openResult("r", "text/plain")) {
                out.write(content.getBytes(StandardCharsets.UTF_8));
            }
        }
        try (OutputStream out = ev.openResult("other", "text/plain")) {
            out.write("o".getBytes(StandardCharsets.UTF_8));
        }
        // results may be read while EXECUTING
        Xml during = s.get(job + "/results", A).xml();
        assertThat(during.all("//uws:result/@id")).containsExactly("r", "other");
        assertThat(s.get(during.s("//uws:result[@id='r']/@xlink:href"), A).text()).isEqualTo("second");
        ev.addResult(new Result("r", URI.create("http://example.org/r.fits"), "application/fits", 3));
        ev.completed();
        for (String doc : List.of(job, job + "/results")) {
            Xml x = s.get(doc, A).xml();
            List<String> ids = x.all("//uws:result/@id");
            assertThat(new HashSet<>(ids)).as(doc).hasSameSizeAs(ids);
            for (String rid : ids) {
                String href = x.s("//uws:result[@id='" + rid + "']/@xlink:href");
                assertThat(URI.create(href).isAbsolute()).as(href).isTrue();
                Reply got = href.startsWith(s.base) ? s.get(href, A) : null;
                if (got == null) {
                    // a result stored elsewhere: its own URL, and ours redirects there
                    Reply redirect = s.get(job + "/results/" + rid, A);
                    assertThat(redirect.status()).isEqualTo(303);
                    assertThat(redirect.header("Location")).isEqualTo(href);
                } else {
                    assertThat(got.status()).as(href).isEqualTo(200);
                }
            }
        }
        assertThat(s.get(job + "/results/other", A).text()).isEqualTo("o");
        Xml after = s.get(job + "/results", A).xml();
        assertThat(after.s("//uws:result[@id='other']/@mime-type")).isEqualTo("text/plain");
        assertThat(after.s("//uws:result[@id='other']/@size")).isEqualTo("1");
        assertThat(after.s("//uws:result[@id='r']/@mime-type")).isEqualTo("application/fits");
    }

    @Test
    void item58_resultsCannotBeCreatedChangedOrDeleted() throws Exception {
        String id = s.create(A, "outcome", "complete");
        s.post("/demo/" + id + "/phase", A, "PHASE", "RUN");
        s.engine.dispatch();
        for (String path : List.of("/results", "/results/result")) {
            for (String m : List.of("POST", "PUT", "DELETE")) {
                Reply r = s.send(s.request("/demo/" + id + path, A).header("Content-Type", "application/x-www-form-urlencoded")
                        .method(m, HttpRequest.BodyPublishers.ofString("X=1")).build());
                assertThat(r.status()).as("%s %s", m, path).isEqualTo(405);
                assertThat(r.header("Allow")).as("%s %s", m, path).isEqualTo("GET, HEAD");
            }
        }
        assertThat(s.get("/demo/" + id + "/results/result", A).body()).isEqualTo(ScriptedBackend.resultBytes(100));
    }

    // ------------------------------------------------------------ O. parameters

    @Test
    void item59_item65_parametersKeepTheirNamesValuesAndOrder() throws Exception {
        String job = create("demo", A, "A", "1", "B", "2");
        Xml params = s.get(job + "/parameters", A).xml();
        assertThat(params.all("//uws:parameter/@id")).containsExactly("A", "B");
        assertThat(params.all("//uws:parameter")).containsExactly("1", "2");
        assertThat(s.get(job, A).xml().all("//uws:parameter")).containsExactly("1", "2");

        String multi = create("demo", A, "M", "1", "M", "2", "N", "x", "M", "3");
        Xml m = s.get(multi, A).xml();
        assertThat(m.all("//uws:parameter/@id")).containsExactly("M", "M", "N", "M");
        assertThat(m.all("//uws:parameter")).containsExactly("1", "2", "x", "3");
        assertThat(s.get(multi + "/parameters/M", A).text()).isEqualTo("1\n2\n3");
        // replacing a repeated parameter replaces all its values, in the order given; others stay
        post303(multi + "/parameters", "m", "7", "M", "8");
        Xml after = s.get(multi + "/parameters", A).xml();
        assertThat(after.all("//uws:parameter[translate(@id,'m','M')='M']")).containsExactly("7", "8");
        assertThat(after.s("//uws:parameter[@id='N']")).isEqualTo("x");
    }

    @Test
    void item62_parameterUpdatesWhilePendingOnly_403WhenQueuedOrExecuting() throws Exception {
        String job = create("demo", A, "QUERY", "select 1");
        assertSeeOther(s.post(job + "/parameters", A, "QUERY", "select 2"), job);
        assertThat(s.get(job, A).xml().s("//uws:parameter[@id='QUERY']")).isEqualTo("select 2");
        post303(job + "/phase", "PHASE", "RUN");
        assertThat(phase(job)).isEqualTo("QUEUED");
        assertThat(s.post(job + "/parameters", A, "QUERY", "select 3").status()).isEqualTo(403);
        s.engine.dispatch();
        assertThat(phase(job)).isEqualTo("EXECUTING");
        Reply late = s.post(job + "/parameters", A, "QUERY", "select 4");
        assertThat(late.status()).isEqualTo(403);
        assertThat(late.header("Content-Type")).startsWith("text/plain");
        assertThat(late.text()).contains("PENDING");
        assertThat(s.get(job, A).xml().s("//uws:parameter[@id='QUERY']")).isEqualTo("select 2");
    }

    @Test
    void item62_controlParametersAreNotJobParameters() throws Exception {
        String job = create("demo", A, "QUERY", "q");
        for (String[] c : new String[][] {{"PHASE", "RUN", "/phase"}, {"phase", "RUN", "/phase"},
                {"EXECUTIONDURATION", "5", "/executionduration"}, {"DESTRUCTION", "2030-01-01T00:00:00Z", "/destruction"},
                {"ACTION", "DELETE", "ACTION=DELETE"}, {"WAIT", "5", "GET"}}) {
            Reply r = s.post(job + "/parameters", A, c[0], c[1]);
            assertThat(r.status()).as(c[0]).isEqualTo(400);
            assertThat(r.text()).as(c[0]).contains(c[0].toUpperCase()).contains(c[2]);
            Reply put = s.send(s.request(job + "/parameters/" + c[0], A).PUT(HttpRequest.BodyPublishers.ofString(c[1]))
                    .build());
            assertThat(put.status()).as("PUT %s", c[0]).isEqualTo(400);
        }
        Xml doc = s.get(job, A).xml();
        assertThat(doc.s("/uws:job/uws:phase")).isEqualTo("PENDING");
        assertThat(doc.all("//uws:parameter/@id")).containsExactly("QUERY");
    }

    @Test
    void item63_phaseRunAtCreationInTheBodyOrOnTheUrl() throws Exception {
        assertThat(phase(create("demo", A, "PHASE", "RUN"))).isEqualTo("QUEUED");
        assertThat(phase(create("demo", A, "phase", "run"))).isEqualTo("QUEUED");
        Reply bare = s.send(s.request("/demo?PHASE=RUN", A).POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(bare.status()).isEqualTo(303);
        assertThat(phase(bare.header("Location"))).isEqualTo("QUEUED");
        Reply form = s.post("/demo?PHASE=RUN", A, "A", "1");
        assertThat(phase(form.header("Location"))).isEqualTo("QUEUED");
        assertThat(s.get(form.header("Location"), A).xml().all("//uws:parameter/@id")).containsExactly("A");
        assertThat(phase(create("demo", A, "A", "1"))).isEqualTo("PENDING");
    }

    @Test
    void item69_unreadableBodiesAre415_notEmptyJobs() throws Exception {
        int before = s.get("/demo", A).xml().all("//uws:jobref").size();
        for (String type : List.of("application/xml", "text/xml", "application/json", "text/plain")) {
            Reply r = s.send(s.request("/demo", A).header("Content-Type", type)
                    .POST(HttpRequest.BodyPublishers.ofString("<jdl><QUERY>select</QUERY></jdl>")).build());
            assertThat(r.status()).as(type).isEqualTo(415);
            assertThat(r.header("Content-Type")).startsWith("text/plain");
            assertThat(r.text()).contains(type).contains("application/x-www-form-urlencoded");
        }
        assertThat(s.get("/demo", A).xml().all("//uws:jobref")).hasSize(before);
        String job = create("demo", A);
        Reply r = s.send(s.request(job + "/phase", A).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"PHASE\":\"RUN\"}")).build());
        assertThat(r.status()).isEqualTo(415);
        assertThat(phase(job)).isEqualTo("PENDING");
    }

    // ------------------------------------------------------------ P. state changes

    @Test
    void item05_item66_item67_item68_everyStateChangeIs303WithTheExactAbsoluteLocation() throws Exception {
        String list = s.base + "/demo";
        Reply created = s.post("/demo", A, "A", "1");
        String job = created.header("Location");
        assertSeeOther(created, list + "/" + id(job));
        assertThat(s.get(job, A).xml().s("/uws:job/uws:jobId")).isEqualTo(id(job));

        Multipart mp = new Multipart().field("A", "1").part("t", "t.bin", "application/octet-stream", new byte[] {0, 1});
        Reply multipart = s.send(s.request("/demo", A).header("Content-Type", mp.contentType()).POST(mp.publisher()).build());
        assertSeeOther(multipart, list + "/" + id(multipart.header("Location")));
        Reply bare = s.send(s.request("/demo?PHASE=RUN", A).POST(HttpRequest.BodyPublishers.noBody()).build());
        assertSeeOther(bare, list + "/" + id(bare.header("Location")));

        assertSeeOther(s.post(job + "/parameters", A, "A", "2"), job);
        assertSeeOther(s.send(s.request(job + "/parameters/A", A).PUT(HttpRequest.BodyPublishers.ofString("3")).build()),
                job);
        assertSeeOther(s.post(job + "/executionduration", A, "EXECUTIONDURATION", "60"), job);
        assertSeeOther(s.post(job + "/destruction", A, "DESTRUCTION", "2031-01-01T00:00:00Z"), job);
        assertSeeOther(s.post(job + "/phase", A, "PHASE", "RUN"), job);
        assertSeeOther(s.post(job + "/phase", A, "PHASE", "ABORT"), job);
        String other = create("demo", A);
        assertSeeOther(s.post(other, A, "PHASE", "RUN"), other);
        assertSeeOther(s.post(other, A, "PHASE", "ABORT"), other);

        assertSeeOther(s.method("DELETE", job, A), list);
        assertThat(s.get(job, A).status()).isEqualTo(404);
        assertSeeOther(s.post(other, A, "ACTION", "DELETE"), list);
        assertThat(s.get(other, A).status()).isEqualTo(404);
        // a deleted job is gone for every method
        assertThat(s.method("DELETE", other, A).status()).isEqualTo(404);
        assertThat(s.post(other + "/phase", A, "PHASE", "RUN").status()).isEqualTo(404);
    }

    @Test
    void item67_aRejectedCreationIs403_andCreatesNothing() throws Exception {
        // the job list's limit over all owners is a rejection (403); an owner's quota is a 429 (QuotaIT)
        TestServer t = new TestServer(p -> p.maxActiveJobs(1), b -> { });
        try {
            String first = t.create("ivy", "PHASE", "RUN");
            assertThat(t.get("/demo/" + first + "/phase", "ivy").text()).isEqualTo("QUEUED");
            Reply refused = t.post("/demo", "ivy", "PHASE", "RUN", "RUNID", "second");
            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.header("Location")).isNull();
            assertThat(refused.header("Content-Type")).startsWith("text/plain");
            assertThat(refused.text()).contains("active");
            assertThat(t.get("/demo", "ivy").xml().all("//uws:jobref/@id")).containsExactly(first);
            // a PENDING job may exist; running it beyond the limit is refused the same way
            String pending = t.create("ivy");
            Reply run = t.post("/demo/" + pending + "/phase", "ivy", "PHASE", "RUN");
            assertThat(run.status()).isEqualTo(403);
            assertThat(t.get("/demo/" + pending + "/phase", "ivy").text()).isEqualTo("PENDING");
        } finally {
            t.close();
        }
    }

    // ------------------------------------------------------------ Q. WAIT

    @Test
    void item70_waitOnAnyOtherResourceDoesNotBlock() throws Exception {
        String job = create("demo", A, "P", "1");
        for (String sub : List.of("/phase", "/quote", "/owner", "/executionduration", "/destruction", "/parameters",
                "/results", "/parameters/P")) {
            long ms = millis(() -> assertThat(s.get(job + sub + "?WAIT=30", A).status()).as(sub).isEqualTo(200));
            assertThat(ms).as(sub).isLessThan(AT_ONCE_MS);
        }
        long ms = millis(() -> assertThat(s.get(job + "/error?WAIT=30", A).status()).isEqualTo(404));
        assertThat(ms).isLessThan(AT_ONCE_MS);
        long list = millis(() -> s.get("/demo?WAIT=30&PHASE=PENDING", A).xml());
        assertThat(list).isLessThan(AT_ONCE_MS);
    }

    @Test
    void item72_waitReturnsAtOnceInEveryPhaseThatIsNotActive() throws Exception {
        Map<Phase, String> jobs = jobsInEveryPhase();
        for (Phase p : NOT_ACTIVE) {
            String job = jobs.get(p);
            for (String q : List.of("?WAIT=30", "?WAIT=-1", "?WAIT=30&PHASE=" + p)) {
                long ms = millis(() -> assertThat(s.get(job + q, A).xml().s("/uws:job/uws:phase")).isEqualTo(p.name()));
                assertThat(ms).as("%s%s", p, q).isLessThan(AT_ONCE_MS);
            }
        }
    }

    @Test
    void item71_item75_waitEndsOnEveryPhaseChange_andADifferentPhaseReturnsAtOnce() throws Exception {
        String job = create("demo", A);
        post303(job + "/phase", "PHASE", "RUN");
        // item 75: the client saw another phase -> at once (names case-insensitive)
        for (String q : List.of("?WAIT=30&PHASE=PENDING", "?wait=30&phase=executing", "?WAIT=30&PHASE=COMPLETED")) {
            long ms = millis(() -> assertThat(s.get(job + q, A).xml().s("/uws:job/uws:phase")).isEqualTo("QUEUED"));
            assertThat(ms).as(q).isLessThan(AT_ONCE_MS);
        }
        // QUEUED -> EXECUTING wakes a waiter
        int before = s.suspended.get();
        CompletableFuture<HttpResponse<byte[]>> w1 = s.client.sendAsync(
                s.request(job + "?WAIT=-1&PHASE=QUEUED", A).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        awaitSuspended(before + 1);
        long t0 = System.nanoTime();
        s.engine.dispatch();
        assertThat(new Reply(w1.get(10, TimeUnit.SECONDS)).xml().s("/uws:job/uws:phase")).isEqualTo("EXECUTING");
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(WAKE_MS);
        // EXECUTING -> COMPLETED wakes a waiter (pyvo's WAIT=-1 without PHASE)
        CompletableFuture<HttpResponse<byte[]>> w2 = s.client.sendAsync(
                s.request(job + "?WAIT=-1", A).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        awaitSuspended(before + 2);
        t0 = System.nanoTime();
        s.backend.events(id(job)).completed();
        assertThat(new Reply(w2.get(10, TimeUnit.SECONDS)).xml().s("/uws:job/uws:phase")).isEqualTo("COMPLETED");
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(WAKE_MS);
    }
}
