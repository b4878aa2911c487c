package org.uwskit.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.uwskit.examples.Http.form;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example server in-process on an ephemeral port, driven over HTTP: demo, wordcount, abort, bad input. */
class ExampleServerIT {
    private static final Duration JOB_TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    static Path data;
    static ExampleServer server;
    static final Http http = new Http();

    @BeforeAll
    static void start() throws Exception {
        server = ExampleServer.start(ExampleOptions.builder().port(0).dataDir(data).build());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static URI list(String name) {
        return server.jobListUrls().get(name);
    }

    @Test
    void quotasFromTheOptionsAreEnforced_429WithRetryAfter() throws Exception {
        try (ExampleServer limited = ExampleServer.start(ExampleOptions.builder().port(0).dataDir(data.resolve("q"))
                .store(ExampleOptions.STORE_MEMORY).quotas(org.uwskit.examples.internal.QuotaSpec.parse("active=1"))
                .build())) {
            URI demo = limited.jobListUrls().get("demo");
            http.createJob(demo, form("SECONDS", "30", "PHASE", "RUN"));
            HttpResponse<String> refused = http.postForm(demo, form("SECONDS", "30", "PHASE", "RUN"));
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.headers().firstValue("Retry-After")).isPresent();
            assertThat(refused.body()).contains("quota reached (active jobs)");
        }
    }

    @Test
    void demoJobRunsAndWritesItsMessage() throws Exception {
        URI job = http.createJob(list("demo"), form("SECONDS", "0.2", "MESSAGE", "bonjour", "PHASE", "RUN"));
        assertThat(job.toString()).startsWith(list("demo") + "/");
        String doc = http.awaitPhase(job, p -> p.equals("COMPLETED"), JOB_TIMEOUT);
        assertThat(doc).contains("results/result");
        HttpResponse<String> result = http.get(URI.create(job + "/results/result"));
        assertThat(result.statusCode()).isEqualTo(200);
        assertThat(result.body()).isEqualTo("bonjour\n");
        assertThat(result.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
    }

    @Test
    void failingDemoJobEndsInErrorWithItsMessage() throws Exception {
        URI job = http.createJob(list("demo"), form("SECONDS", "0", "FAIL", "true", "PHASE", "RUN"));
        String doc = http.awaitPhase(job, p -> p.equals("ERROR"), JOB_TIMEOUT);
        assertThat(doc).contains("<uws:errorSummary").contains("FAIL=true");
    }

    @Test
    void runningDemoJobIsAbortedQuickly() throws Exception {
        URI job = http.createJob(list("demo"), form("SECONDS", "60", "PHASE", "RUN"));
        http.awaitPhase(job, p -> p.equals("EXECUTING"), JOB_TIMEOUT);
        long start = System.nanoTime();
        HttpResponse<String> abort = http.postForm(URI.create(job + "/phase"), form("PHASE", "ABORT"));
        assertThat(abort.statusCode()).isEqualTo(303);
        http.awaitPhase(job, p -> p.equals("ABORTED"), Duration.ofSeconds(5));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void tapClientsParametersAreKeptByTheLenientDemoJob() throws Exception {
        URI job = http.createJob(list("tap"), form("LANG", "ADQL", "QUERY", "SELECT 1", "REQUEST", "doQuery"));
        assertThat(job.toString()).startsWith(server.tapBaseUri() + "/async/");
        HttpResponse<String> params = http.get(URI.create(job + "/parameters"));
        assertThat(params.statusCode()).isEqualTo(200);
        assertThat(params.body()).containsIgnoringCase("id=\"query\"").contains("SELECT 1");
    }

    @Test
    void badDemoParametersAreA400NamingTheProblem() throws Exception {
        HttpResponse<String> r = http.postForm(list("demo"), form("SECONDS", "-1", "FAIL", "maybe"));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("SECONDS").contains("FAIL");
    }

    @Test
    void wordcountCountsAnUploadedFile() throws Exception {
        byte[] text = "one two three\nfour five\n".getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> created = http.postMultipart(list("wordcount"), form("FILE", "param:doc", "PHASE", "RUN"),
                Map.of("doc", text));
        URI job = Http.jobUrl(created);
        String doc = http.awaitPhase(job, p -> p.equals("COMPLETED") || p.equals("ERROR"), JOB_TIMEOUT);
        assertThat(Http.phase(doc)).as(doc).isEqualTo("COMPLETED");
        HttpResponse<String> stdout = http.get(URI.create(job + "/results/stdout"));
        assertThat(stdout.statusCode()).isEqualTo(200);
        assertThat(stdout.body().trim().split("\\s+")).startsWith("2", "5", String.valueOf(text.length));
        HttpResponse<String> upload = http.get(URI.create(job + "/parameters/FILE"));
        assertThat(upload.statusCode()).as(upload.body()).isEqualTo(200);
        assertThat(upload.body()).isEqualTo(new String(text, StandardCharsets.UTF_8));
    }

    @Test
    void wordcountWithoutAFileIsA400() throws Exception {
        HttpResponse<String> r = http.postForm(list("wordcount"), form("PHASE", "RUN"));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("FILE");
    }

    @Test
    void frontPageLinksTheJobLists() throws Exception {
        HttpResponse<String> r = http.get(server.baseUri());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("/uws/demo").contains("/uws/wordcount");
        assertThat(http.get(server.baseUri().resolve("nope")).statusCode()).isEqualTo(404);
    }

    @Test
    void closeIsIdempotent() throws Exception {
        ExampleServer other = ExampleServer.start(ExampleOptions.builder().port(0).dataDir(data.resolve("other")).build());
        URI demo = other.jobListUrls().get("demo");
        assertThat(http.get(demo).statusCode()).isEqualTo(200);
        other.close();
        other.close();
        assertThat(other.baseUri().getPort()).isNotEqualTo(server.baseUri().getPort());
    }
}
