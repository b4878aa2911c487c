package org.uwskit.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.uwskit.examples.Http.form;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.uwskit.Job;
import org.uwskit.Phase;
import org.uwskit.PhaseChange;
import org.uwskit.jdbc.JdbcJobStore;

/**
 * The shaded jar killed with SIGKILL while jobs run and wait, then restarted on the same data directory (so the same
 * engine node) with a short lease: every acknowledged job is still there; the jobs that were EXECUTING end in ERROR
 * "interrupted: node lost" once their lease has expired (the demo job is not rerunnable); the QUEUED ones run to
 * COMPLETED; the PENDING one is untouched; and, read from the H2 file afterwards, no job's history shows more than
 * one EXECUTING, so none ran twice. Prints the recovery time.
 */
class CrashIT {
    private static final int LEASE_SECONDS = 3;
    /** The demo list executes {@link DemoJobs#MAX_EXECUTING_JOBS} at once; the queued ones wait behind them. */
    private static final int RUNNING = DemoJobs.MAX_EXECUTING_JOBS;
    private static final int QUEUED = 3;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path data;
    private final Http http = new Http();

    @Test
    void aKilledServerRestartedOnItsDataRecoversEveryJob() throws Exception {
        List<String> running = new ArrayList<>();
        List<String> queued = new ArrayList<>();
        String pending;
        long killedAt;
        try (ServerProcess p = ServerProcess.start(data, "--lease-seconds", String.valueOf(LEASE_SECONDS))) {
            URI demo = p.jobLists().get("demo");
            for (int i = 0; i < RUNNING; i++) {
                running.add(id(http.createJob(demo, form("SECONDS", "30", "MESSAGE", "long " + i, "PHASE", "RUN"))));
            }
            for (String id : running) {
                http.awaitPhase(job(demo, id), "EXECUTING"::equals, TIMEOUT);
            }
            for (int i = 0; i < QUEUED; i++) {
                queued.add(id(http.createJob(demo, form("SECONDS", "0.5", "MESSAGE", "queued " + i, "PHASE", "RUN"))));
            }
            pending = id(http.createJob(demo, form("SECONDS", "0", "MESSAGE", "pending")));
            for (String id : queued) {
                assertThat(Http.phase(http.get(job(demo, id)).body())).as("job " + id).isEqualTo("QUEUED");
            }
            for (String id : running) {
                assertThat(Http.phase(http.get(job(demo, id)).body())).as("job " + id).isEqualTo("EXECUTING");
            }
            killedAt = System.nanoTime();
            p.kill();
            assertThat(p.process().exitValue()).as("killed by SIGKILL").isEqualTo(137);
        }

        long readyAt;
        long runningRecoveredAt;
        try (ServerProcess p = ServerProcess.start(data, "--lease-seconds", String.valueOf(LEASE_SECONDS))) {
            readyAt = System.nanoTime();
            URI demo = p.jobLists().get("demo");
            for (String id : running) {
                String doc = http.awaitPhase(job(demo, id), ph -> !ph.equals("EXECUTING"), TIMEOUT);
                assertThat(Http.phase(doc)).as(doc).isEqualTo("ERROR");
                assertThat(doc).contains("interrupted: node lost");
            }
            runningRecoveredAt = System.nanoTime();
            for (String id : queued) {
                String doc = http.awaitPhase(job(demo, id), ph -> ph.equals("COMPLETED") || ph.equals("ERROR"), TIMEOUT);
                assertThat(Http.phase(doc)).as(doc).isEqualTo("COMPLETED");
                HttpResponse<String> result = http.get(URI.create(job(demo, id) + "/results/result"));
                assertThat(result.body()).startsWith("queued ");
            }
            assertThat(Http.phase(http.get(job(demo, pending)).body())).isEqualTo("PENDING");
            HttpResponse<String> error = http.get(URI.create(job(demo, running.get(0)) + "/error"));
            assertThat(error.statusCode()).isEqualTo(200);
            assertThat(error.body()).contains("stopped renewing its lease");
            assertThat(p.stop()).isEqualTo(143);
        }
        System.out.printf("CrashIT: lease %d s; running jobs ERROR %d ms after the restarted server was ready, "
                        + "%d ms after the kill%n", LEASE_SECONDS, (runningRecoveredAt - readyAt) / 1_000_000,
                (runningRecoveredAt - killedAt) / 1_000_000);
        assertThat(Duration.ofNanos(runningRecoveredAt - readyAt))
                .as("recovery within the lease plus two housekeeping rounds")
                .isLessThan(Duration.ofSeconds(LEASE_SECONDS + 3));

        // the server is stopped: read every job's history straight from its H2 file
        try (JdbcJobStore store = JdbcJobStore.h2File(data.resolve(ExampleServer.H2_DATABASE))) {
            List<String> all = new ArrayList<>(running);
            all.addAll(queued);
            for (String id : all) {
                Job j = store.get(id).orElseThrow(() -> new AssertionError("job " + id + " is lost"));
                long executions = j.history().stream().map(PhaseChange::to).filter(Phase.EXECUTING::equals).count();
                assertThat(executions).as("EXECUTING entries of job %s: %s", id, j.history()).isEqualTo(1);
                assertThat(j.lease()).as("lease of finished job " + id).isNull();
            }
            for (String id : running) {
                Job j = store.get(id).orElseThrow();
                assertThat(j.phase()).isEqualTo(Phase.ERROR);
                assertThat(j.history().get(j.history().size() - 1).reason()).isEqualTo("interrupted: node lost");
                assertThat(j.endTime()).isAfter(j.startTime());
            }
            Job p = store.get(pending).orElseThrow();
            assertThat(p.phase()).isEqualTo(Phase.PENDING);
            assertThat(p.history()).hasSize(1);
        }
    }

    private static String id(URI job) {
        String path = job.getPath();
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private static URI job(URI list, String id) {
        return URI.create(list + "/" + id);
    }
}
