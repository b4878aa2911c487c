package org.uwskit.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.uwskit.examples.Http.form;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.uwskit.Job;
import org.uwskit.Phase;
import org.uwskit.PhaseChange;
import org.uwskit.jdbc.JdbcJobStore;

/**
 * The example server's jar with {@code --backend slurm} and its H2 store killed with SIGKILL while its jobs run on
 * the real SLURM, then restarted on the same data directory: the running SLURM jobs are re-attached by their stored
 * SLURM ids and complete with their results, the job that waited in the service runs, and none runs twice: SLURM's
 * job completion log holds exactly one job per UWS job (the SLURM job name is {@code uws-<jobId>}), and no job's
 * history shows two EXECUTING. Through both transports. Needs {@code SLURM_CONF} and {@code UWSKIT_SLURM_JOBCOMP}
 * ({@code source <(scripts/slurm.sh env)}); FAILS without them when {@code CI=true} or
 * {@code UWSKIT_REQUIRE_SLURM=true}.
 */
class SlurmCrashIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern NAME = Pattern.compile("\\sName=uws-(\\S+)\\s");

    @TempDir
    Path data;
    private final Http http = new Http();

    static Path jobComp() {
        return SlurmEnv.jobComp("the SLURM crash test");
    }

    @ParameterizedTest
    @ValueSource(strings = {"commands", "rest"})
    void aServerKilledWhileItsSlurmJobsRunReattachesThemAndNoneRunsTwice(String transport) throws Exception {
        Path comp = jobComp();
        List<String> args = new ArrayList<>(List.of("--backend", "slurm", "--lease-seconds", "3"));
        if (transport.equals("rest")) {
            args.addAll(List.of("--slurm-rest", System.getenv().getOrDefault("UWSKIT_SLURM_REST_URL",
                    "http://127.0.0.1:6820")));
        }
        String[] options = args.toArray(String[]::new);
        List<String> running = new ArrayList<>();
        String waiting;
        long t0 = System.nanoTime();
        try (ServerProcess p = ServerProcess.start(data, options)) {
            System.out.printf("SlurmCrashIT %s: ready %d ms%n", transport, (System.nanoTime() - t0) / 1_000_000);
            URI demo = p.jobLists().get("demo");
            for (int i = 0; i < DemoJobs.MAX_EXECUTING_JOBS; i++) {
                running.add(id(http.createJob(demo, form("SECONDS", "4", "MESSAGE", "ran " + i, "PHASE", "RUN"))));
            }
            for (String id : running) {
                String doc = http.awaitPhase(job(demo, id), "EXECUTING"::equals, TIMEOUT);
                assertThat(doc).contains("<slurmJobId>");
            }
            waiting = id(http.createJob(demo, form("SECONDS", "0", "MESSAGE", "waited", "PHASE", "RUN")));
            assertThat(Http.phase(http.get(job(demo, waiting)).body())).isEqualTo("QUEUED");
            System.out.printf("SlurmCrashIT %s: running %d ms%n", transport, (System.nanoTime() - t0) / 1_000_000);
            p.kill();
            assertThat(p.process().exitValue()).as("killed by SIGKILL").isEqualTo(137);
        }
        long killedAt = System.nanoTime();
        try (ServerProcess p = ServerProcess.start(data, options)) {
            long readyAt = System.nanoTime();
            URI demo = p.jobLists().get("demo");
            for (int i = 0; i < running.size(); i++) {
                String doc = http.awaitPhase(job(demo, running.get(i)), ph -> ph.equals("COMPLETED")
                        || ph.equals("ERROR") || ph.equals("ABORTED"), TIMEOUT);
                assertThat(Http.phase(doc)).as(doc).isEqualTo("COMPLETED");
                assertThat(http.get(URI.create(job(demo, running.get(i)) + "/results/result")).body())
                        .isEqualTo("ran " + i + "\n");
            }
            long reattachedAt = System.nanoTime();
            String doc = http.awaitPhase(job(demo, waiting), ph -> ph.equals("COMPLETED") || ph.equals("ERROR"),
                    TIMEOUT);
            assertThat(Http.phase(doc)).as(doc).isEqualTo("COMPLETED");
            System.out.printf("SlurmCrashIT %s: restarted server ready %d ms after the kill; the re-attached jobs"
                            + " COMPLETED %d ms after that, the waiting one %d ms after that%n", transport,
                    (readyAt - killedAt) / 1_000_000, (reattachedAt - readyAt) / 1_000_000,
                    (System.nanoTime() - reattachedAt) / 1_000_000);
            assertThat(p.stop()).isEqualTo(143);
        }
        List<String> all = new ArrayList<>(running);
        all.add(waiting);
        for (String id : all) {
            assertThat(slurmJobsNamed(comp, id)).as("SLURM jobs of UWS job " + id).isEqualTo(1);
        }
        try (JdbcJobStore store = JdbcJobStore.h2File(data.resolve(ExampleServer.H2_DATABASE))) {
            for (String id : all) {
                Job j = store.get(id).orElseThrow(() -> new AssertionError("job " + id + " is lost"));
                assertThat(j.history().stream().map(PhaseChange::to).filter(Phase.EXECUTING::equals).count())
                        .as("EXECUTING entries of job %s: %s", id, j.history()).isEqualTo(1);
            }
        }
    }

    /** The SLURM jobs of a UWS job that ended, from SLURM's completion log. */
    static long slurmJobsNamed(Path comp, String jobId) throws IOException {
        long n = 0;
        for (String line : Files.readAllLines(comp, StandardCharsets.UTF_8)) {
            Matcher m = NAME.matcher(line);
            if (m.find() && m.group(1).equals(jobId)) {
                n++;
            }
        }
        return n;
    }

    private static String id(URI job) {
        String path = job.getPath();
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private static URI job(URI list, String id) {
        return URI.create(list + "/" + id);
    }
}
