package org.uwskit.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.uwskit.examples.Http.form;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded jar with its default store (an H2 file under --data) stopped with SIGTERM and started again on the same
 * data directory: every job is still there in the same phase, with its parameters and results; the engine is the
 * same node; a PENDING job of the first run can still be run. With {@code --store memory} jobs are gone after a
 * restart (so the H2 test above is not passing by accident).
 */
class RestartIT {
    private static final Duration JOB_TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    Path data;
    private final Http http = new Http();

    @Test
    void jobsResultsAndPhasesSurviveASigtermRestartOnTheDefaultH2Store() throws Exception {
        Map<String, String> phases = new LinkedHashMap<>();
        String pending;
        String completed;
        String failed;
        String aborted;
        String nodeId;
        try (ServerProcess p = ServerProcess.start(data)) {
            assertThat(p.store()).startsWith("H2 ").contains(data.resolve("db/uwskit.mv.db").toString());
            URI demo = p.jobLists().get("demo");
            pending = id(http.createJob(demo, form("SECONDS", "0", "MESSAGE", "later")));
            completed = id(http.createJob(demo, form("SECONDS", "0", "MESSAGE", "kept across restarts",
                    "RUNID", "restart-1", "PHASE", "RUN")));
            failed = id(http.createJob(demo, form("SECONDS", "0", "FAIL", "true", "PHASE", "RUN")));
            aborted = id(http.createJob(demo, form("SECONDS", "60", "PHASE", "RUN")));
            http.awaitPhase(job(demo, completed), "COMPLETED"::equals, JOB_TIMEOUT);
            http.awaitPhase(job(demo, failed), "ERROR"::equals, JOB_TIMEOUT);
            http.awaitPhase(job(demo, aborted), "EXECUTING"::equals, JOB_TIMEOUT);
            for (String id : new String[] {pending, completed, failed}) {
                phases.put(id, Http.phase(http.get(job(demo, id)).body()));
            }
            assertThat(phases).containsValues("PENDING", "COMPLETED", "ERROR");
            assertThat(http.get(URI.create(job(demo, completed) + "/results/result")).body())
                    .isEqualTo("kept across restarts\n");
            nodeId = p.nodeId();
            assertThat(p.stop()).as(p.output()).isEqualTo(143);
        }
        assertThat(Files.readString(data.resolve("node-id")).strip()).isEqualTo(nodeId);

        try (ServerProcess p = ServerProcess.start(data)) {
            URI demo = p.jobLists().get("demo");
            assertThat(p.nodeId()).as("the same engine node after a restart").isEqualTo(nodeId);
            for (Map.Entry<String, String> e : phases.entrySet()) {
                HttpResponse<String> r = http.get(job(demo, e.getKey()));
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                assertThat(Http.phase(r.body())).as(e.getKey()).isEqualTo(e.getValue());
            }
            // the job that ran when SIGTERM came was aborted by the clean shutdown, and that was stored
            String abortedDoc = http.get(job(demo, aborted)).body();
            assertThat(Http.phase(abortedDoc)).as(abortedDoc).isEqualTo("ABORTED");

            String completedDoc = http.get(job(demo, completed)).body();
            assertThat(completedDoc).contains("<uws:runId>restart-1</uws:runId>")
                    .contains("<uws:parameter id=\"MESSAGE\">kept across restarts</uws:parameter>");
            HttpResponse<String> result = http.get(URI.create(job(demo, completed) + "/results/result"));
            assertThat(result.statusCode()).isEqualTo(200);
            assertThat(result.body()).isEqualTo("kept across restarts\n");
            assertThat(http.get(URI.create(job(demo, failed) + "/error")).body()).contains("FAIL=true");
            HttpResponse<String> prov = http.get(URI.create(job(demo, completed) + "/provenance"));
            assertThat(prov.statusCode()).isEqualTo(200);
            assertThat(prov.body()).contains("kept across restarts");

            String list = http.get(demo).body();
            assertThat(list).contains(pending).contains(completed).contains(failed).contains(aborted);

            // the restarted engine runs a job created before the restart
            HttpResponse<String> run = http.postForm(URI.create(job(demo, pending) + "/phase"), form("PHASE", "RUN"));
            assertThat(run.statusCode()).isEqualTo(303);
            http.awaitPhase(job(demo, pending), "COMPLETED"::equals, JOB_TIMEOUT);
            assertThat(http.get(URI.create(job(demo, pending) + "/results/result")).body()).isEqualTo("later\n");
            assertThat(p.stop()).isEqualTo(143);
        }
    }

    @Test
    void theMemoryStoreForgetsJobsAtStop() throws Exception {
        ExampleOptions memory = ExampleOptions.builder().port(0).dataDir(data).store(ExampleOptions.STORE_MEMORY)
                .build();
        String id;
        try (ExampleServer s = ExampleServer.start(memory)) {
            id = id(http.createJob(s.jobListUrls().get("demo"), form("SECONDS", "0")));
            assertThat(http.get(job(s.jobListUrls().get("demo"), id)).statusCode()).isEqualTo(200);
        }
        try (ExampleServer s = ExampleServer.start(memory)) {
            assertThat(http.get(job(s.jobListUrls().get("demo"), id)).statusCode()).isEqualTo(404);
        }
        assertThat(data.resolve("db")).doesNotExist();
    }

    private static String id(URI job) {
        String path = job.getPath();
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private static URI job(URI list, String id) {
        return URI.create(list + "/" + id);
    }
}
