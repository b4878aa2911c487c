package org.uwskit.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.uwskit.examples.Http.form;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The provenance of demo jobs served by the example server at {@code /uws/demo/{id}/provenance}: fetched over HTTP
 * in PROV-JSON, PROV-XML and VOTable and checked with the project's offline validators ({@code scripts/check-prov.sh}:
 * PROV-XML and VOTable XSDs, PROV-JSON schema, python3-prov parsing, lost references, JSON == XML, round trips,
 * PROV-N, SVG). The demo job's own record ({@code demo:action}) is in the document; every other format answers; a job
 * that has not finished has none (404).
 */
class ProvenanceIT {
    private static final Duration JOB_TIMEOUT = Duration.ofSeconds(20);
    /** The repository's scripts/, from this module's directory (the tests' working directory). */
    static final Path SCRIPTS = Path.of("../scripts").toAbsolutePath().normalize();

    @TempDir
    static Path data;
    static ExampleServer server;
    static final Http http = new Http();

    @BeforeAll
    static void start() throws Exception {
        server = ExampleServer.start(ExampleOptions.builder().port(0).dataDir(data.resolve("data")).build());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static URI demo() {
        return server.jobListUrls().get("demo");
    }

    @Test
    void completedJobProvenancePassesTheValidators() throws Exception {
        URI job = http.createJob(demo(), form("SECONDS", "0.1", "MESSAGE", "provenance please", "PHASE", "RUN"));
        String doc = http.awaitPhase(job, "COMPLETED"::equals, JOB_TIMEOUT);
        assertThat(doc).contains("id=\"provenance\"").contains(job + "/provenance");
        String json = validate(job, "completed");
        assertThat(json).contains("waited 0.100 s, then wrote 18 bytes of MESSAGE to the result 'result'")
                .contains("provenance please").contains(ExampleServer.PROVENANCE_SERVICE_NAME);
    }

    @Test
    void failedJobProvenancePassesTheValidators() throws Exception {
        URI job = http.createJob(demo(), form("SECONDS", "0", "FAIL", "true", "PHASE", "RUN"));
        http.awaitPhase(job, "ERROR"::equals, JOB_TIMEOUT);
        String json = validate(job, "failed");
        assertThat(json).contains("then failed on request (FAIL=true)").contains("\"ERROR\"");
    }

    @Test
    void noProvenanceBeforeTheJobHasFinished() throws Exception {
        URI pending = http.createJob(demo(), form("SECONDS", "0"));
        HttpResponse<String> r = http.get(URI.create(pending + "/provenance"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(404);
        assertThat(http.get(pending).body()).doesNotContain("id=\"provenance\"");

        URI running = http.createJob(demo(), form("SECONDS", "60", "PHASE", "RUN"));
        http.awaitPhase(running, "EXECUTING"::equals, JOB_TIMEOUT);
        assertThat(http.get(URI.create(running + "/provenance?FORMAT=xml")).statusCode()).isEqualTo(404);
        assertThat(http.postForm(URI.create(running + "/phase"), form("PHASE", "ABORT")).statusCode()).isEqualTo(303);
        http.awaitPhase(running, "ABORTED"::equals, JOB_TIMEOUT);
        HttpResponse<String> aborted = http.get(URI.create(running + "/provenance"));
        assertThat(aborted.statusCode()).isEqualTo(200);
        assertThat(aborted.body()).contains("\"ABORTED\"");
    }

    @Test
    void everyFormatIsOfferedByFormatAndAccept() throws Exception {
        URI job = http.createJob(demo(), form("SECONDS", "0", "PHASE", "RUN"));
        http.awaitPhase(job, "COMPLETED"::equals, JOB_TIMEOUT);
        URI prov = URI.create(job + "/provenance");
        record Expect(String format, String mediaType, String start) {
        }
        for (Expect e : List.of(new Expect("json", "application/json", "{"),
                new Expect("xml", "application/xml", "<?xml"),
                new Expect("provn", "text/provenance-notation", "document"),
                new Expect("dot", "text/vnd.graphviz", "digraph"),
                new Expect("svg", "image/svg+xml", "<?xml"),
                new Expect("votable", "application/x-votable+xml", "<?xml"))) {
            HttpResponse<String> byFormat = http.get(URI.create(prov + "?FORMAT=" + e.format()));
            assertThat(byFormat.statusCode()).as(e.format() + ": " + byFormat.body()).isEqualTo(200);
            assertThat(byFormat.headers().firstValue("Content-Type").orElse("")).startsWith(e.mediaType());
            assertThat(byFormat.body().stripLeading()).as(e.format()).startsWith(e.start());
            HttpResponse<String> byAccept = http.get(prov, e.mediaType());
            assertThat(byAccept.statusCode()).as(e.mediaType()).isEqualTo(200);
            assertThat(byAccept.headers().firstValue("Content-Type").orElse("")).startsWith(e.mediaType());
        }
        assertThat(http.get(prov).headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        HttpResponse<String> unknown = http.get(URI.create(prov + "?FORMAT=pdf"));
        assertThat(unknown.statusCode()).isEqualTo(406);
        assertThat(unknown.body()).contains("pdf");
        // the other job lists have it too
        URI tapJob = http.createJob(server.jobListUrls().get("tap"), form("SECONDS", "0", "PHASE", "RUN"));
        http.awaitPhase(tapJob, "COMPLETED"::equals, JOB_TIMEOUT);
        assertThat(http.get(URI.create(tapJob + "/provenance")).statusCode()).isEqualTo(200);
    }

    /** Fetches the job's provenance as JSON, XML and VOTable, runs check-prov.sh on them; returns the JSON. */
    private static String validate(URI job, String name) throws Exception {
        Path dir = Files.createDirectories(data.resolve(name));
        HttpResponse<String> json = http.get(URI.create(job + "/provenance?FORMAT=json"));
        HttpResponse<String> xml = http.get(URI.create(job + "/provenance"), "application/xml");
        HttpResponse<String> vot = http.get(URI.create(job + "/provenance?FORMAT=votable"));
        for (HttpResponse<String> r : List.of(json, xml, vot)) {
            assertThat(r.statusCode()).as(r.uri() + ": " + r.body()).isEqualTo(200);
        }
        assertThat(xml.headers().firstValue("Content-Type").orElse("")).startsWith("application/xml");
        Files.writeString(dir.resolve("doc.json"), json.body(), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("doc.xml"), xml.body(), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("doc.vot.xml"), vot.body(), StandardCharsets.UTF_8);
        Command.Outcome out = checkProv(dir);
        System.out.println("check-prov.sh on the " + name + " job:\n" + out.output());
        assertThat(out.output()).contains("ok   xml: valid against prov.xsd").contains("ok   votable: valid against VOTable.xsd")
                .contains("ok   json: valid against the PROV-JSON schema")
                .contains("ok   json: every reference and time written is kept by the parser")
                .contains("ok   xml: every reference and time written is kept by the parser")
                .contains("ok   json: every time carries a time zone")
                .contains("ok   json and xml describe the same document")
                .contains("ok   json -> xml -> json gives an equal document")
                .contains("ok   PROV-N written by python3-prov names every activity")
                .contains("ok   SVG drawn by python3-prov through graphviz");
        assertThat(out.output().lines().filter(l -> l.startsWith("FAIL"))).as(out.output()).isEmpty();
        assertThat(out.exitCode()).as(out.output()).isZero();
        // the server's own PROV-N names the job's activity
        String id = job.getPath().substring(job.getPath().lastIndexOf('/') + 1);
        assertThat(http.get(URI.create(job + "/provenance?FORMAT=provn")).body()).startsWith("document")
                .contains("activity(job:" + id + ",");
        return json.body();
    }

    /** Runs {@code scripts/check-prov.sh} on doc.json, doc.xml and doc.vot.xml of the directory. */
    static Command.Outcome checkProv(Path dir) throws Exception {
        return Command.run(List.of(SCRIPTS.resolve("check-prov.sh").toString(),
                dir.resolve("doc.json").toString(), dir.resolve("doc.xml").toString(),
                dir.resolve("doc.vot.xml").toString(), dir.resolve("check").toString()), dir, Duration.ofSeconds(120));
    }
}
