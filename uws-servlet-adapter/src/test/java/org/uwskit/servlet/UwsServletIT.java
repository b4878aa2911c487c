package org.uwskit.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.uwskit.Job;
import org.uwskit.JobList;
import org.uwskit.spi.JobDocumentProvider;
import org.uwskit.spi.JobLinks;
import org.uwskit.servlet.TestServer.Reply;
import org.uwskit.servlet.TestServer.Xml;
import org.uwskit.testkit.Await;

/**
 * The UWS 1.1 REST binding against a real Jetty: one test per CHECKLIST item (numbers in the names) of
 * {@code /work/shared/uws/CHECKLIST.md}. Every XML answer is validated against the official schema.
 */
class UwsServletIT {
    private static final String ISO_Z = "^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z$";
    private static final String A = "alice";
    private static TestServer s;

    /** A provider that fails unexpectedly, to check that a bug becomes a generic 500 (item 3). */
    static final class BrokenProvider implements JobDocumentProvider {
        @Override public String name() { return "broken"; }
        @Override public List<String> mediaTypes() { return List.of("text/plain"); }
        @Override public List<String> formatNames() { return List.of("text"); }
        @Override public boolean appliesTo(Job job, JobList jobList) { return true; }
        @Override public void write(Job job, JobList jobList, JobLinks links, String mediaType, OutputStream out) {
            throw new IllegalStateException("secret internal detail");
        }
    }

    /** A provider listed among the results of finished jobs, in two formats. */
    static final class ReportProvider implements JobDocumentProvider {
        @Override public String name() { return "report"; }
        @Override public List<String> mediaTypes() { return List.of("application/json", "text/plain"); }
        @Override public List<String> formatNames() { return List.of("json", "text"); }
        @Override public boolean appliesTo(Job job, JobList jobList) { return job.phase().isFinished(); }
        @Override public boolean listAsResult(Job job, JobList jobList) { return true; }
        @Override public void write(Job job, JobList jobList, JobLinks links, String mediaType, OutputStream out)
                throws IOException {
            String body = mediaType.equals("text/plain") ? "job " + job.jobId() + " " + job.phase()
                    : "{\"job\":\"" + job.jobId() + "\"}";
            out.write(body.getBytes(StandardCharsets.UTF_8));
        }
    }

    @BeforeAll
    static void start() throws Exception {
        s = new TestServer(p -> { }, b -> b.documentProvider(new BrokenProvider()).documentProvider(new ReportProvider()));
    }

    @AfterAll
    static void stop() throws Exception {
        s.close();
    }

    private String completedJob() throws Exception {
        String id = s.create(A, "outcome", "complete", "resultSize", "1000");
        assertThat(s.post("/demo/" + id + "/phase", A, "PHASE", "RUN").status()).isEqualTo(303);
        s.engine.dispatch();
        assertThat(s.get("/demo/" + id + "/phase", A).text()).isEqualTo("COMPLETED");
        return id;
    }

    @Test
    void item01_unknownJobsAndSubResourcesAre404() throws Exception {
        assertThat(s.get("/demo/nope", A).status()).isEqualTo(404);
        assertThat(s.get("/demo/nope/phase", A).status()).isEqualTo(404);
        assertThat(s.get("/demo/nope/phase", A).text()).contains("nope");
        assertThat(s.get("/demo/" + "x".repeat(100), A).status()).isEqualTo(404);
        assertThat(s.get("/nolist", A).status()).isEqualTo(404);
        assertThat(s.get("/nolist", A).text()).contains("demo");
        String id = s.create(A);
        assertThat(s.get("/demo/" + id + "/nothing", A).status()).isEqualTo(404);
        assertThat(s.get("/demo/" + id + "/results/nothing", A).status()).isEqualTo(404);
        assertThat(s.get("/demo/" + id + "/parameters/nothing", A).status()).isEqualTo(404);
        assertThat(s.get("/demo/" + id + "/a/b/c", A).status()).isEqualTo(404);
    }

    @Test
    void item02_illegalRequestsInTheCurrentStateAre403() throws Exception {
        String id = completedJob();
        Reply r = s.post("/demo/" + id + "/phase", A, "PHASE", "RUN");
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.header("Content-Type")).startsWith("text/plain");
        assertThat(r.text()).contains("COMPLETED");
        assertThat(s.post("/demo/" + id + "/phase", A, "PHASE", "ABORT").status()).isEqualTo(403);
        assertThat(s.post("/demo/" + id + "/parameters", A, "X", "1").status()).isEqualTo(403);
    }

    @Test
    void item03_unexpectedFailureIsAGeneric500() throws Exception {
        String id = s.create(A);
        Reply r = s.get("/demo/" + id + "/broken", A);
        assertThat(r.status()).isEqualTo(500);
        assertThat(r.text()).contains("internal error").doesNotContain("secret");
    }

    @Test
    void item04_item39_item40_item41_failedJobIs200WithErrorSummaryAndDetail() throws Exception {
        String id = s.create(A, "outcome", "fail");
        s.post("/demo/" + id + "/phase", A, "PHASE", "RUN");
        s.engine.dispatch();
        Xml job = s.get("/demo/" + id, A).xml();
        assertThat(job.s("/uws:job/uws:phase")).isEqualTo("ERROR");
        assertThat(job.s("/uws:job/uws:errorSummary/uws:message")).isEqualTo("it broke");
        assertThat(job.s("/uws:job/uws:errorSummary/@hasDetail")).isEqualTo("true");
        assertThat(job.s("/uws:job/uws:endTime")).matches(ISO_Z);
        Reply err = s.get("/demo/" + id + "/error", A);
        assertThat(err.status()).isEqualTo(200);
        assertThat(err.header("Content-Type")).startsWith("text/plain");
        assertThat(err.text()).isEqualTo("stack line 1\nstack line 2");
    }

    @Test
    void item06_item31_item58_otherMethodsAre405WithAllow() throws Exception {
        Reply put = s.method("PUT", "/demo", A);
        assertThat(put.status()).isEqualTo(405);
        assertThat(put.header("Allow")).contains("GET").contains("POST").doesNotContain("PUT");
        assertThat(s.method("DELETE", "/demo", A).status()).isEqualTo(405);
        String id = s.create(A);
        Reply del = s.method("DELETE", "/demo/" + id + "/results", A);
        assertThat(del.status()).isEqualTo(405);
        assertThat(del.header("Allow")).isEqualTo("GET, HEAD");
        assertThat(s.post("/demo/" + id + "/results", A, "X", "1").status()).isEqualTo(405);
        assertThat(s.method("DELETE", "/demo/" + id + "/phase", A).status()).isEqualTo(405);
        assertThat(s.method("PATCH", "/demo/" + id, A).status()).isEqualTo(405);
        Reply options = s.method("OPTIONS", "/demo/" + id, A);
        assertThat(options.header("Allow")).contains("DELETE");
    }

    @Test
    void item06_item44_malformedPhaseIs400WithMessage() throws Exception {
        String id = s.create(A);
        for (String bad : List.of("FOO", "SUSPEND", "ARCHIVE", "")) {
            Reply r = s.post("/demo/" + id + "/phase", A, "PHASE", bad);
            assertThat(r.status()).as(bad).isEqualTo(400);
            assertThat(r.header("Content-Type")).startsWith("text/plain");
            assertThat(r.text()).contains("RUN").contains("ABORT");
        }
        assertThat(s.post("/demo/" + id + "/phase", A).status()).isEqualTo(400);
        assertThat(s.get("/demo/" + id + "/phase", A).text()).isEqualTo("PENDING");
    }

    @Test
    void item07_item16_everySubResourceOfAFreshJob() throws Exception {
        String id = s.create(A, "A", "1");
        String j = "/demo/" + id;
        Xml job = s.get(j, A).xml();
        for (String sub : List.of("phase", "executionduration", "destruction", "quote", "owner")) {
            Reply r = s.get(j + "/" + sub, A);
            assertThat(r.status()).as(sub).isEqualTo(200);
            assertThat(r.header("Content-Type")).as(sub).startsWith("text/plain");
        }
        assertThat(s.get(j + "/phase", A).text()).isEqualTo(job.s("/uws:job/uws:phase")).isEqualTo("PENDING");
        assertThat(s.get(j + "/executionduration", A).text()).matches("\\d+")
                .isEqualTo(job.s("/uws:job/uws:executionDuration"));
        assertThat(s.get(j + "/destruction", A).text()).matches(ISO_Z).isEqualTo(job.s("/uws:job/uws:destruction"));
        assertThat(s.get(j + "/quote", A).text()).isEqualTo(job.s("/uws:job/uws:quote"));
        assertThat(s.get(j + "/owner", A).text()).isEqualTo(A);
        assertThat(s.get(j + "/results", A).xml().s("local-name(/*)")).isEqualTo("results");
        assertThat(s.get(j + "/parameters", A).xml().s("/uws:parameters/uws:parameter[@id='A']")).isEqualTo("1");
        // item 41 (DALI): no error resource for a job that has not failed
        assertThat(s.get(j + "/error", A).status()).isEqualTo(404);
    }

    @Test
    void item12_item13_item15_item34_item35_item36_item38_jobDocument() throws Exception {
        String id = s.create(A);
        Xml job = s.get("/demo/" + id, A).xml();
        assertThat(job.s("/uws:job/@version")).isEqualTo("1.1");
        assertThat(job.s("namespace-uri(/*)")).isEqualTo("http://www.ivoa.net/xml/UWS/v1.0");
        assertThat(job.s("/uws:job/uws:jobId")).isEqualTo(id);
        assertThat(job.s("/uws:job/uws:creationTime")).matches(ISO_Z);
        assertThat(job.s("/uws:job/uws:startTime/@xsi:nil")).isEqualTo("true");
        assertThat(job.s("/uws:job/uws:endTime/@xsi:nil")).isEqualTo("true");
        assertThat(job.s("/uws:job/uws:ownerId")).isEqualTo(A);
        // an anonymous job on the list that allows it: nil owner, empty /owner, no destruction
        Reply created = s.post("/open", null);
        assertThat(created.status()).isEqualTo(303);
        String anon = created.header("Location");
        Xml a = s.get(anon, null).xml();
        assertThat(a.s("/uws:job/uws:ownerId/@xsi:nil")).isEqualTo("true");
        assertThat(s.get(anon + "/owner", null).text()).isEmpty();
        assertThat(a.s("/uws:job/uws:destruction/@xsi:nil")).isEqualTo("true");
        assertThat(s.get(anon + "/destruction", null).text()).isEmpty();
        Xml list = s.get("/demo", A).xml();
        assertThat(list.s("/uws:jobs/@version")).isEqualTo("1.1");
    }

    @Test
    void item18_item19_item20_negotiationAndStylesheet() throws Exception {
        String id = s.create(A);
        String j = "/demo/" + id;
        assertThat(s.get(j, A).header("Content-Type")).startsWith("application/xml");
        assertThat(s.get(j, A, "Accept", "*/*").header("Content-Type")).startsWith("application/xml");
        assertThat(s.get(j, A, "Accept", "application/xml,text/plain").header("Content-Type")).startsWith("application/xml");
        // a client that prefers HTML gets a page rendered on the server (HtmlPagesIT has the details)
        assertThat(s.get(j, A, "Accept", "text/html").header("Content-Type")).startsWith("text/html");
        assertThat(s.get(j, A, "Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
                .header("Content-Type")).startsWith("text/html");
        assertThat(s.get(j, A, "Accept", "application/xml,text/html;q=0.9").header("Content-Type"))
                .startsWith("application/xml");
        assertThat(s.get(j, A, "Accept", "text/xml").header("Content-Type")).startsWith("text/xml");
        Reply json = s.get(j, A, "Accept", "application/json");
        assertThat(json.header("Content-Type")).startsWith("application/json");
        assertThat(json.text()).startsWith("{").contains(id);
        assertThat(s.get(j + "?FORMAT=json", A).header("Content-Type")).startsWith("application/json");
        assertThat(s.get("/demo", A, "Accept", "application/json").text()).startsWith("{");

        String xml = s.get(j, A).text();
        assertThat(xml).contains("<?xml-stylesheet type=\"text/xsl\" href=\"/uws/uws.xsl\"?>");
        Reply xsl = s.get("/uws.xsl", null);
        assertThat(xsl.status()).isEqualTo(200);
        assertThat(xsl.header("Content-Type")).startsWith("text/xsl");
        assertThat(xsl.text()).contains("xsl:stylesheet").contains("ACTION").contains("PHASE");
    }

    /** Returns once the service's (system) clock has left the millisecond in which {@code job} was created. */
    private static void afterCreationOf(TestServer t, String job) throws Exception {
        Instant created = Instant.parse(t.get("/demo/" + job, "carol").xml().s("/uws:job/uws:creationTime"));
        Await.until(() -> Instant.now().truncatedTo(ChronoUnit.MILLIS).isAfter(created),
                "the millisecond after job " + job + " was created");
    }

    @Test
    void item21_item22_item23_item25_item26_item27_item29_jobListFilters() throws Exception {
        TestServer t = new TestServer();
        try {
            // times are kept to the millisecond: jobs created in the same one tie for LAST and AFTER, so each job is
            // created once the millisecond of the one before has passed
            String p1 = t.create("carol");
            afterCreationOf(t, p1);
            String p2 = t.create("carol");
            afterCreationOf(t, p2);
            String q1 = t.create("carol");
            t.post("/demo/" + q1 + "/phase", "carol", "PHASE", "RUN");
            afterCreationOf(t, q1);
            String c1 = t.create("carol", "outcome", "complete");
            t.post("/demo/" + c1 + "/phase", "carol", "PHASE", "RUN");
            t.engine.dispatch();
            assertThat(t.get("/demo/" + c1 + "/phase", "carol").text()).isEqualTo("COMPLETED");
            assertThat(t.get("/demo/" + q1 + "/phase", "carol").text()).isEqualTo("EXECUTING");

            Xml all = t.get("/demo", "carol").xml();
            assertThat(all.all("/uws:jobs/uws:jobref/@id")).containsExactlyInAnyOrder(p1, p2, q1, c1);
            for (String href : all.all("/uws:jobs/uws:jobref/@xlink:href")) {
                assertThat(t.get(href, "carol").status()).isEqualTo(200);
            }
            List<String> times = all.all("/uws:jobs/uws:jobref/uws:creationTime");
            assertThat(times).isSortedAccordingTo((a, b) -> b.compareTo(a));

            assertThat(t.get("/demo?PHASE=PENDING", "carol").xml().all("//uws:jobref/@id")).containsExactlyInAnyOrder(p1, p2);
            assertThat(t.get("/demo?PHASE=EXECUTING&PHASE=COMPLETED", "carol").xml().all("//uws:jobref/@id"))
                    .containsExactlyInAnyOrder(q1, c1);
            assertThat(t.get("/demo?phase=completed", "carol").xml().all("//uws:jobref/@id")).containsExactly(c1);
            assertThat(t.get("/demo?LAST=2", "carol").xml().all("//uws:jobref/@id")).containsExactly(c1, q1);
            assertThat(t.get("/demo?PHASE=PENDING&LAST=1", "carol").xml().all("//uws:jobref/@id")).containsExactly(p2);
            String after = t.get("/demo/" + p2, "carol").xml().s("/uws:job/uws:creationTime");
            assertThat(t.get("/demo?AFTER=" + after, "carol").xml().all("//uws:jobref/@id"))
                    .doesNotContain(p1, p2).contains(q1, c1);
            assertThat(t.get("/demo?AFTER=2000-01-01T00:00:00.123456Z&PHASE=PENDING", "carol").xml()
                    .all("//uws:jobref/@id")).containsExactlyInAnyOrder(p1, p2);

            for (String bad : List.of("LAST=0", "LAST=-1", "LAST=abc", "AFTER=garbage", "PHASE=foo")) {
                Reply r = t.get("/demo?" + bad, "carol");
                assertThat(r.status()).as(bad).isEqualTo(400);
                assertThat(r.text()).as(bad).contains(bad.substring(0, bad.indexOf('=')));
            }
        } finally {
            t.close();
        }
    }

    @Test
    void item24_item49_archivedJobsOnlyWhenAsked() throws Exception {
        TestServer t = new TestServer(p -> p.destructionMode(org.uwskit.DestructionMode.ARCHIVE), b -> { });
        try {
            String id = t.create("dave", "outcome", "complete");
            t.post("/demo/" + id + "/phase", "dave", "PHASE", "RUN");
            t.engine.dispatch();
            assertThat(t.post("/demo/" + id + "/destruction", "dave", "DESTRUCTION", "2001-01-01T00:00:00Z").status())
                    .isEqualTo(303);
            t.engine.housekeep();
            assertThat(t.get("/demo/" + id + "/phase", "dave").text()).isEqualTo("ARCHIVED");
            assertThat(t.get("/demo", "dave").xml().all("//uws:jobref/@id")).doesNotContain(id);
            assertThat(t.get("/demo?PHASE=ARCHIVED", "dave").xml().all("//uws:jobref/@id")).containsExactly(id);
            assertThat(t.get("/demo/" + id, "dave").xml().s("/uws:job/uws:phase")).isEqualTo("ARCHIVED");
        } finally {
            t.close();
        }
    }

    @Test
    void item47_item48_executionDuration() throws Exception {
        String id = s.create(A);
        String j = "/demo/" + id;
        Reply r = s.post(j + "/executionduration", A, "EXECUTIONDURATION", "3600.0");
        assertThat(r.status()).isEqualTo(303);
        assertThat(r.header("Location")).isEqualTo(s.base + j);
        assertThat(s.get(j + "/executionduration", A).text()).isEqualTo("3600");
        s.post(j + "/executionduration", A, "EXECUTIONDURATION", "999999");
        assertThat(s.get(j, A).xml().s("/uws:job/uws:executionDuration")).isEqualTo("86400");
        for (String bad : List.of("abc", "-5", "", "1e400x")) {
            Reply b = s.post(j + "/executionduration", A, "EXECUTIONDURATION", bad);
            assertThat(b.status()).as(bad).isEqualTo(400);
            assertThat(b.text()).contains("EXECUTIONDURATION");
        }
        s.post(j + "/phase", A, "PHASE", "RUN");
        assertThat(s.post(j + "/executionduration", A, "EXECUTIONDURATION", "60").status()).isEqualTo(403);
    }

    @Test
    void item50_item51_destruction() throws Exception {
        String id = s.create(A);
        String j = "/demo/" + id;
        Reply r = s.post(j + "/destruction", A, "DESTRUCTION", "2030-01-02T03:04:05.123456Z");
        assertThat(r.status()).isEqualTo(303);
        assertThat(r.header("Location")).isEqualTo(s.base + j);
        String created = s.get(j, A).xml().s("/uws:job/uws:creationTime");
        String d = s.get(j + "/destruction", A).text();
        assertThat(d).matches(ISO_Z).isEqualTo(s.get(j, A).xml().s("/uws:job/uws:destruction"));
        // clamped to creation + 30 days (the default maxRetention)
        assertThat(Instant.parse(d)).isEqualTo(Instant.parse(created).plus(java.time.Duration.ofDays(30)));
        String soon = Instant.now().plusSeconds(3600).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        assertThat(s.post(j + "/destruction", A, "DESTRUCTION", soon.replace("Z", "")).status()).isEqualTo(303);
        assertThat(Instant.parse(s.get(j + "/destruction", A).text())).isEqualTo(Instant.parse(soon));
        for (String bad : List.of("garbage", "", "2030-13-45T00:00:00Z")) {
            Reply b = s.post(j + "/destruction", A, "DESTRUCTION", bad);
            assertThat(b.status()).as(bad).isEqualTo(400);
            assertThat(b.text()).contains("DESTRUCTION");
        }
    }

    @Test
    void item53_item54_item59_item63_creationWithControlParameters() throws Exception {
        String id = s.create(A, "RUNID", "my-run", "A", "1", "B", "2", "b", "3",
                "EXECUTIONDURATION", "120.0", "DESTRUCTION", "2030-01-01T00:00:00");
        Xml job = s.get("/demo/" + id, A).xml();
        assertThat(job.s("/uws:job/uws:runId")).isEqualTo("my-run");
        assertThat(job.s("/uws:job/uws:ownerId")).isEqualTo(A);
        assertThat(job.s("/uws:job/uws:executionDuration")).isEqualTo("120");
        assertThat(job.all("//uws:parameter/@id")).containsExactly("A", "B", "b");
        assertThat(job.s("/uws:job/uws:phase")).isEqualTo("PENDING");

        String run = s.create(A, "PHASE", "RUN");
        assertThat(s.get("/demo/" + run + "/phase", A).text()).isEqualTo("QUEUED");
        Reply viaUrl = s.post("/demo?PHASE=RUN", A, "X", "1");
        assertThat(viaUrl.status()).isEqualTo(303);
        assertThat(s.get(viaUrl.header("Location") + "/phase", A).text()).isEqualTo("QUEUED");
        Reply bad = s.post("/demo", A, "PHASE", "ABORT");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.text()).contains("PHASE=RUN");
        assertThat(s.post("/demo", A, "EXECUTIONDURATION", "soon").status()).isEqualTo(400);
    }

    @Test
    void item55_item56_item57_resultsAreListedAndServed() throws Exception {
        String id = completedJob();
        Xml results = s.get("/demo/" + id + "/results", A).xml();
        assertThat(results.all("//uws:result/@id")).containsExactly("result", "notes", "report");
        Reply result = s.get(results.s("//uws:result[@id='result']/@xlink:href"), A);
        assertThat(result.status()).isEqualTo(200);
        assertThat(result.header("Content-Type")).isEqualTo("application/x-test");
        assertThat(result.header("Content-Length")).isEqualTo("1000");
        assertThat(result.body()).isEqualTo(ScriptedBackend.resultBytes(1000));
        assertThat(results.s("//uws:result[@id='result']/@size")).isEqualTo("1000");
        // a document provider listed as a result: the result URL redirects to the document
        Reply report = s.get("/demo/" + id + "/results/report", A);
        assertThat(report.status()).isEqualTo(303);
        assertThat(report.header("Location")).isEqualTo(s.base + "/demo/" + id + "/report");
        assertThat(s.get(report.header("Location"), A).text()).contains(id);
        assertThat(s.get("/demo/" + id + "/report?FORMAT=text", A).text()).isEqualTo("job " + id + " COMPLETED");
        assertThat(s.get("/demo/" + id + "/report", A, "Accept", "text/plain").header("Content-Type")).startsWith("text/plain");
        assertThat(s.get("/demo/" + id + "/report", A, "Accept", "image/png").status()).isEqualTo(406);
        assertThat(s.get("/demo/" + id + "/report?FORMAT=pdf", A).status()).isEqualTo(406);
        String pending = s.create(A);
        assertThat(s.get("/demo/" + pending + "/report", A).status()).isEqualTo(404);
        assertThat(s.get("/demo/" + id, A).xml().all("//uws:result/@id")).contains("report");
    }

    @Test
    void item57_externalResultIsA303ToItsLocation() throws Exception {
        String id = s.create(A);
        s.post("/demo/" + id + "/phase", A, "PHASE", "RUN");
        s.engine.dispatch();
        s.backend.events(id).addResult(new org.uwskit.Result("ext", java.net.URI.create("http://example.org/data/x.fits"),
                "application/fits", 42));
        Reply r = s.get("/demo/" + id + "/results/ext", A);
        assertThat(r.status()).isEqualTo(303);
        assertThat(r.header("Location")).isEqualTo("http://example.org/data/x.fits");
    }

    @Test
    void item62_parameterUpdatesOnlyWhilePending() throws Exception {
        String id = s.create(A, "QUERY", "select 1", "N", "1");
        String j = "/demo/" + id;
        Reply r = s.post(j + "/parameters", A, "query", "select 2");
        assertThat(r.status()).isEqualTo(303);
        assertThat(r.header("Location")).isEqualTo(s.base + j);
        assertThat(s.get(j + "/parameters/QUERY", A).text()).isEqualTo("select 2");
        Reply put = s.send(s.request(j + "/parameters/n", A).PUT(java.net.http.HttpRequest.BodyPublishers.ofString("7")).build());
        assertThat(put.status()).isEqualTo(303);
        assertThat(s.get(j + "/parameters", A).xml().s("//uws:parameter[translate(@id,'n','N')='N']")).isEqualTo("7");
        assertThat(s.post(j + "/parameters", A).status()).isEqualTo(400);
        s.post(j + "/phase", A, "PHASE", "RUN");
        s.engine.dispatch();
        assertThat(s.get(j + "/phase", A).text()).isEqualTo("EXECUTING");
        Reply late = s.post(j + "/parameters", A, "QUERY", "select 3");
        assertThat(late.status()).isEqualTo(403);
        assertThat(late.text()).isNotBlank();
        assertThat(s.send(s.request(j + "/parameters/N", A).PUT(java.net.http.HttpRequest.BodyPublishers.ofString("8"))
                .build()).status()).isEqualTo(403);
        // the job URL does not take parameters (DALI), only ACTION=DELETE / PHASE
        assertThat(s.post(j, A, "QUERY", "x").status()).isEqualTo(400);
    }

    @Test
    void item66_item67_item68_deleteAndActionDelete() throws Exception {
        String id = s.create(A);
        Reply d = s.method("DELETE", "/demo/" + id, A);
        assertThat(d.status()).isEqualTo(303);
        assertThat(d.header("Location")).isEqualTo(s.base + "/demo");
        assertThat(s.get("/demo/" + id, A).status()).isEqualTo(404);
        String id2 = s.create(A);
        Reply a = s.post("/demo/" + id2, A, "ACTION", "DELETE");
        assertThat(a.status()).isEqualTo(303);
        assertThat(a.header("Location")).isEqualTo(s.base + "/demo");
        assertThat(s.get("/demo/" + id2, A).status()).isEqualTo(404);
        String id3 = s.create(A);
        assertThat(s.post("/demo/" + id3, A, "ACTION", "EXPLODE").status()).isEqualTo(400);
        // phase changes: 303 to the job
        Reply run = s.post("/demo/" + id3 + "/phase", A, "PHASE", "run");
        assertThat(run.status()).isEqualTo(303);
        assertThat(run.header("Location")).isEqualTo(s.base + "/demo/" + id3);
        Reply abort = s.post("/demo/" + id3 + "/phase", A, "PHASE", "ABORT");
        assertThat(abort.status()).isEqualTo(303);
        Xml job = s.get("/demo/" + id3, A).xml();
        assertThat(job.s("/uws:job/uws:phase")).isEqualTo("ABORTED");
        assertThat(job.s("/uws:job/uws:endTime")).matches(ISO_Z);
    }

    @Test
    void oversizeValuesAre413WithAMessage() throws Exception {
        Reply r = s.post("/demo", A, "QUERY", "x".repeat(10_001));
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.text()).isNotBlank();
    }

    @Test
    void storeUnavailableIs503WithRetryAfter() throws Exception {
        String id = s.create(A);
        s.store.down = true;
        try {
            Reply r = s.get("/demo/" + id, A);
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.header("Retry-After")).isEqualTo("5");
            assertThat(r.text()).contains("unavailable");
            assertThat(s.post("/demo", A, "A", "1").status()).isEqualTo(503);
        } finally {
            s.store.down = false;
        }
        assertThat(s.get("/demo/" + id, A).status()).isEqualTo(200);
    }

    @Test
    void anonymousCallersOnAnAuthenticatedListGet403OrA401Challenge() throws Exception {
        Reply r = s.get("/demo", null);
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.text()).isNotBlank();
        TestServer t = new TestServer(p -> { }, b -> b.authenticationChallenge("Basic realm=\"uws\""));
        try {
            Reply c = t.get("/demo", null);
            assertThat(c.status()).isEqualTo(401);
            assertThat(c.header("WWW-Authenticate")).isEqualTo("Basic realm=\"uws\"");
            assertThat(t.get("/demo", "erin").status()).isEqualTo(200);
        } finally {
            t.close();
        }
    }

    @Test
    void headIsAGetWithoutBody() throws Exception {
        String id = s.create(A);
        Reply h = s.send(s.request("/demo/" + id, A).method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody()).build());
        assertThat(h.status()).isEqualTo(200);
        assertThat(h.body()).isEmpty();
        assertThat(h.header("Content-Type")).startsWith("application/xml");
    }

    @Test
    void rootListsTheJobLists() throws Exception {
        assertThat(s.get("/", A).text()).contains(s.base + "/demo").contains(s.base + "/open");
    }
}
