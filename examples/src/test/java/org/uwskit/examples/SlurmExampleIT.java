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

/**
 * The example server with {@code --backend slurm} (SLURM's commands, as {@code scripts/slurm.sh env} configures
 * them): demo and wordcount run as SLURM jobs, with their results and provenance. Needs {@code SLURM_CONF} in the
 * environment; skipped without it on a developer's machine, FAILS without it when {@code CI=true} or
 * {@code UWSKIT_REQUIRE_SLURM=true}.
 */
class SlurmExampleIT {
    private static final Duration JOB_TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    static Path data;
    static ExampleServer server;
    static final Http http = new Http();

    @BeforeAll
    static void start() throws Exception {
        SlurmEnv.requireConf("the SLURM example");
        server = ExampleServer.start(ExampleOptions.builder().port(0).dataDir(data).store("memory")
                .backend(ExampleOptions.BACKEND_SLURM).build());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static URI list(String name) {
        return server.jobListUrls().get(name);
    }

    @Test
    void demoRunsOnSlurmWithItsResultAndProvenance() throws Exception {
        URI job = http.createJob(list("demo"), form("SECONDS", "0.2", "MESSAGE", "bonjour $(id)", "PHASE", "RUN"));
        String doc = http.awaitPhase(job, p -> p.equals("COMPLETED") || p.equals("ERROR"), JOB_TIMEOUT);
        assertThat(Http.phase(doc)).as(doc).isEqualTo("COMPLETED");
        assertThat(doc).contains("<slurmJobId>");
        assertThat(http.get(URI.create(job + "/results/result")).body()).isEqualTo("bonjour $(id)\n");
        HttpResponse<String> prov = http.get(URI.create(job + "/provenance"));
        assertThat(prov.statusCode()).isEqualTo(200);
        assertThat(prov.body()).contains("bonjour");
    }

    @Test
    void aFailingDemoEndsInErrorWithSlurmsExitCodeAndStderr() throws Exception {
        URI job = http.createJob(list("demo"), form("SECONDS", "0", "FAIL", "true", "PHASE", "RUN"));
        String doc = http.awaitPhase(job, p -> p.equals("ERROR") || p.equals("COMPLETED"), JOB_TIMEOUT);
        assertThat(doc).contains("FAILED: exit code 1");
        assertThat(http.get(URI.create(job + "/error")).body()).contains("FAIL=true");
    }

    @Test
    void wordcountRunsOnSlurmOnTheUpload() throws Exception {
        byte[] text = "one two three\nfour five\n".getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> created = http.postMultipart(list("wordcount"), form("FILE", "param:doc", "PHASE", "RUN"),
                Map.of("doc", text));
        URI job = Http.jobUrl(created);
        String doc = http.awaitPhase(job, p -> p.equals("COMPLETED") || p.equals("ERROR"), JOB_TIMEOUT);
        assertThat(Http.phase(doc)).as(doc).isEqualTo("COMPLETED");
        assertThat(http.get(URI.create(job + "/results/stdout")).body().trim().split("\\s+"))
                .startsWith("2", "5", String.valueOf(text.length));
    }
}
