package org.uwskit.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.uwskit.examples.Http.form;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.uwskit.Caller;
import org.uwskit.Job;
import org.uwskit.JobRequest;
import org.uwskit.Parameter;

/**
 * The ProvSAP-style query at {@code /provsap} of the in-process example server: demo job A completes; job B, created
 * with the by-reference parameter INPUT = A's result URL, completes; then BACK from B (DEPTH 1 and 0), FORTH from A,
 * the project's validators ({@code scripts/check-prov.sh}) on the combined JSON, XML and VOTable, and the 400/404/406 answers.
 *
 * <p>B is created through the Java API because the HTTP adapter makes every form parameter by-value; the demo job
 * list is lenient, so INPUT is kept, and ProvenanceBuilder takes a by-reference absolute URL as a used entity, a
 * result URL of the same job list ({@code {jobList}/{job}/results/{id}}) with the producing job's result id.
 */
class ProvSapIT {
    private static final Duration JOB_TIMEOUT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path data;
    static ExampleServer server;
    static final Http http = new Http();
    static URI jobA;
    static URI jobB;
    static String resultA;

    @BeforeAll
    static void start() throws Exception {
        server = ExampleServer.start(ExampleOptions.builder().port(0).dataDir(data.resolve("data")).build());
        URI demo = server.jobListUrls().get("demo");
        jobA = http.createJob(demo, form("SECONDS", "0", "MESSAGE", "from A", "PHASE", "RUN"));
        http.awaitPhase(jobA, "COMPLETED"::equals, JOB_TIMEOUT);
        resultA = jobA + "/results/result";
        assertThat(http.get(URI.create(resultA)).body()).startsWith("from A");
        Job b = server.service().create(Caller.anonymous(), DemoJobs.DEMO, JobRequest.builder()
                .parameter("SECONDS", "0").parameter("MESSAGE", "from B")
                .parameter(Parameter.byReference("INPUT", resultA)).run().build());
        jobB = URI.create(demo + "/" + b.jobId());
        http.awaitPhase(jobB, "COMPLETED"::equals, JOB_TIMEOUT);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static URI provsap(String... kv) {
        StringBuilder q = new StringBuilder();
        for (int i = 0; i < kv.length; i += 2) {
            q.append(q.length() == 0 ? "?" : "&").append(kv[i]).append('=')
                    .append(URLEncoder.encode(kv[i + 1], StandardCharsets.UTF_8));
        }
        return URI.create(server.provSapUri() + q.toString());
    }

    private static String id(URI job) {
        return job.getPath().substring(job.getPath().lastIndexOf('/') + 1);
    }

    private static JsonNode getJson(URI uri) throws Exception {
        HttpResponse<String> r = http.get(uri);
        assertThat(r.statusCode()).as(uri + ": " + r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        return JSON.readTree(r.body());
    }

    /** A qualified name of the document as the full URI, through its {@code prefix} map. */
    private static String expand(JsonNode doc, String qname) {
        int colon = qname.indexOf(':');
        JsonNode ns = colon < 0 ? null : doc.path("prefix").get(qname.substring(0, colon));
        return ns == null ? qname : ns.asText() + qname.substring(colon + 1);
    }

    /** The ids (full URIs) of a section's records, e.g. every activity. */
    private static Set<String> keys(JsonNode doc, String section) {
        Set<String> out = new HashSet<>();
        for (Iterator<String> it = doc.path(section).fieldNames(); it.hasNext(); ) {
            out.add(expand(doc, it.next()));
        }
        return out;
    }

    /** The {@code [activity, entity]} pairs (full URIs) of a relation section. */
    private static Set<List<String>> pairs(JsonNode doc, String section) {
        Set<List<String>> out = new HashSet<>();
        doc.path(section).forEach(r -> out.add(List.of(expand(doc, r.path("prov:activity").asText()),
                expand(doc, r.path("prov:entity").asText()))));
        return out;
    }

    @Test
    void backFromBReachesAAndTheSharedResultEntity() throws Exception {
        JsonNode doc = getJson(provsap("ID", jobB.toString(), "DEPTH", "1", "DIRECTION", "BACK"));
        String a = jobA.toString();
        String b = jobB.toString();
        assertThat(keys(doc, "activity")).contains(a, b);
        assertThat(keys(doc, "entity")).contains(resultA);
        assertThat(pairs(doc, "wasGeneratedBy")).contains(List.of(a, resultA));
        assertThat(pairs(doc, "used")).contains(List.of(b, resultA));

        // the bare job id gives the same document; DEPTH 0 only B, with the entity it used but not A
        assertThat(getJson(provsap("ID", id(jobB), "DEPTH", "1", "DIRECTION", "BACK"))).isEqualTo(doc);
        JsonNode only = getJson(provsap("ID", jobB.toString(), "DEPTH", "0", "DIRECTION", "BACK"));
        assertThat(keys(only, "activity")).contains(b).doesNotContain(a);
        assertThat(keys(only, "entity")).contains(resultA);
        assertThat(pairs(only, "used")).contains(List.of(b, resultA));
        assertThat(pairs(only, "wasGeneratedBy")).noneMatch(pair -> pair.get(0).equals(a));
    }

    @Test
    void forthFromAReachesB() throws Exception {
        JsonNode doc = getJson(provsap("ID", jobA.toString(), "DEPTH", "1", "DIRECTION", "FORTH"));
        assertThat(keys(doc, "activity")).contains(jobA.toString(), jobB.toString());
        assertThat(pairs(doc, "used")).contains(List.of(jobB.toString(), resultA));
        JsonNode back = getJson(provsap("ID", jobA.toString(), "DEPTH", "ALL", "DIRECTION", "BACK"));
        assertThat(keys(back, "activity")).contains(jobA.toString()).doesNotContain(jobB.toString());
        // a result URL is an ID too: the job that made it
        JsonNode both = getJson(provsap("id", resultA, "depth", "all", "direction", "both"));
        assertThat(keys(both, "activity")).contains(jobA.toString(), jobB.toString());
    }

    @Test
    void combinedDocumentPassesTheValidators() throws Exception {
        Path dir = Files.createDirectories(data.resolve("combined"));
        HttpResponse<String> json = http.get(provsap("ID", jobB.toString(), "DEPTH", "1", "FORMAT", "json"));
        HttpResponse<String> xml = http.get(provsap("ID", jobB.toString(), "DEPTH", "1"), "application/xml");
        HttpResponse<String> vot = http.get(provsap("ID", jobB.toString(), "DEPTH", "1", "FORMAT", "votable"));
        for (HttpResponse<String> r : List.of(json, xml, vot)) {
            assertThat(r.statusCode()).as(r.uri() + ": " + r.body()).isEqualTo(200);
        }
        assertThat(xml.headers().firstValue("Content-Type").orElse("")).startsWith("application/xml");
        assertThat(json.body()).contains("from A", "from B");
        Files.writeString(dir.resolve("doc.json"), json.body(), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("doc.xml"), xml.body(), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("doc.vot.xml"), vot.body(), StandardCharsets.UTF_8);
        Command.Outcome out = ProvenanceIT.checkProv(dir);
        System.out.println("check-prov.sh on the combined document:\n" + out.output());
        assertThat(out.output()).contains("ok   xml: valid against prov.xsd").contains("ok   votable: valid against VOTable.xsd")
                .contains("ok   json: valid against the PROV-JSON schema")
                .contains("ok   json: every reference and time written is kept by the parser")
                .contains("ok   xml: every reference and time written is kept by the parser")
                .contains("ok   json and xml describe the same document")
                .contains("ok   json -> xml -> json gives an equal document");
        assertThat(out.output().lines().filter(l -> l.startsWith("FAIL"))).as(out.output()).isEmpty();
        assertThat(out.exitCode()).as(out.output()).isZero();
        // the other formats answer too
        for (String f : List.of("provn", "dot", "svg")) {
            HttpResponse<String> r = http.get(provsap("ID", jobB.toString(), "FORMAT", f));
            assertThat(r.statusCode()).as(f + ": " + r.body()).isEqualTo(200);
        }
    }

    @Test
    void badParametersAre400ListingEveryProblem() throws Exception {
        HttpResponse<String> r = http.get(provsap("ID", jobB.toString(), "DEPTH", "-3", "DIRECTION", "SIDEWAYS"));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        assertThat(r.body()).contains("DEPTH", "-3", "DIRECTION", "SIDEWAYS");
        assertThat(r.body().strip().lines()).hasSize(2);
        HttpResponse<String> noId = http.get(provsap("DEPTH", "x", "FORMAT", "pdf"));
        assertThat(noId.statusCode()).isEqualTo(400);
        assertThat(noId.body()).contains("ID is required", "DEPTH", "pdf");
        assertThat(noId.body().strip().lines()).hasSize(3);
        // an unknown job with bad parameters is still a 400
        assertThat(http.get(provsap("ID", "nope", "DIRECTION", "UP")).statusCode()).isEqualTo(400);
    }

    @Test
    void unknownOrUnfinishedJobsAre404AndUnacceptableTypes406() throws Exception {
        HttpResponse<String> r = http.get(provsap("ID", "no-such-job", "DEPTH", "1", "DIRECTION", "BACK"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(404);
        assertThat(r.body()).contains("no-such-job");
        assertThat(http.get(provsap("ID", server.jobListUrls().get("demo") + "/no-such-job")).statusCode())
                .isEqualTo(404);
        assertThat(http.get(provsap("ID", server.baseUri() + "elsewhere/x")).statusCode()).isEqualTo(404);
        URI pending = http.createJob(server.jobListUrls().get("demo"), form("SECONDS", "0"));
        HttpResponse<String> p = http.get(provsap("ID", pending.toString()));
        assertThat(p.statusCode()).isEqualTo(404);
        assertThat(p.body()).contains("PENDING");
        HttpResponse<String> none = http.get(provsap("ID", jobB.toString()), "application/pdf");
        assertThat(none.statusCode()).isEqualTo(406);
    }
}
