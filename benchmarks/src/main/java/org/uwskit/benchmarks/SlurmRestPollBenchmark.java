package org.uwskit.benchmarks;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.uwskit.slurm.RestSession;
import org.uwskit.slurm.SlurmBackend;
import org.uwskit.slurm.SlurmJobType;
import org.uwskit.slurm.drmaa.JobInfo;
import org.uwskit.slurm.drmaa.JobSession;
import org.uwskit.slurm.drmaa.JobTemplate;
import org.uwskit.spi.ExecutionBackend.BackendException;

/**
 * The REST transport's poll cycle with every poll a full {@code GET jobs} against polls that ask {@code update_time}
 * (the default), while slurmctld still holds many finished jobs (not JMH: HTTP requests to a real cluster). Needs the
 * variables of {@code scripts/slurm.sh env}; run as root:
 *
 * <pre>
 * source &lt;(scripts/slurm.sh env)
 * java -cp benchmarks/target/benchmarks.jar org.uwskit.benchmarks.SlurmRestPollBenchmark [finished] [cycles]
 * </pre>
 *
 * First {@code finished} jobs (default 1,300) are submitted held and cancelled, so that slurmctld holds them as
 * finished jobs until MinJobAge; then, with 1, 100 and 1,000 active (held) jobs tracked by
 * {@code SlurmBackend.reattach} (the harness answers the re-attachments' look-ups: it just submitted those jobs), each
 * session polls once untimed (the first poll of a session asks for every job) and then {@code cycles} times (default
 * 60: two of them full at the default {@code fullEvery} of 30), 200 ms apart; each
 * {@code pollNow()} is timed and the answers counted by kind, with their bytes. Every job it made is cancelled.
 */
public final class SlurmRestPollBenchmark {

    private SlurmRestPollBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int finished = args.length > 0 ? Integer.parseInt(args[0]) : 1300;
        int cycles = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        String conf = SlurmPollBenchmark.require("SLURM_CONF");
        String rest = SlurmPollBenchmark.require("UWSKIT_SLURM_REST_URL");
        String token = SlurmPollBenchmark.require("SLURM_JWT");
        String user = System.getenv().getOrDefault("UWSKIT_SLURM_USER", "root");
        Path work = Files.createTempDirectory("uws-slurm-rest-bench");
        List<String> made = new ArrayList<>();
        try {
            List<String> done = new ArrayList<>();
            for (int i = 0; i < finished; i++) {
                done.add(SlurmPollBenchmark.sbatch(conf, work, "--hold"));
            }
            SlurmPollBenchmark.cancel(done); // cancelled while held: finished at once, held by slurmctld
            awaitEnded(conf);
            try (RestSession probe = session(rest, user, token, false)) {
                probe.jobInfos(List.of());
                System.out.printf(Locale.ROOT, "slurmctld holds %d jobs; one full GET jobs answer: %,d bytes%n",
                        jobsHeld(conf), probe.pollStats().bytes());
            }
            System.out.println("| REST poll | active jobs | calls per cycle | ms per cycle, median | mean |"
                    + " max | answers full / 200 / 304 | bytes per answer, mean |");
            System.out.println("|---|---|---|---|---|---|---|---|");
            List<String> active = new ArrayList<>();
            for (int n : new int[] {1, 100, 1000}) {
                while (active.size() < n) {
                    String id = SlurmPollBenchmark.sbatch(conf, work, "--hold");
                    active.add(id);
                    made.add(id);
                }
                for (boolean updateTime : new boolean[] {false, true}) {
                    measure(session(rest, user, token, updateTime), updateTime, active, work, cycles);
                }
            }
        } finally {
            SlurmPollBenchmark.cancel(made);
        }
    }

    private static RestSession session(String rest, String user, String token, boolean updateTime) {
        return RestSession.builder(URI.create(rest), user, () -> token).timeout(Duration.ofSeconds(60))
                .updateTime(updateTime).build();
    }

    private static void measure(RestSession rest, boolean updateTime, List<String> active, Path work, int cycles)
            throws Exception {
        Harness s = new Harness(rest);
        SlurmBackend b = SlurmBackend.builder().session(s).workRoot(work).pollInterval(Duration.ofHours(1))
                .jobType("true", SlurmJobType.builder("/bin/true").build()).build();
        try {
            for (String id : active) {
                b.reattach(id, SlurmPollBenchmark.template("true"), new SlurmPollBenchmark.NoEvents());
            }
            s.setup = false;
            // past update_time's margin since the held jobs were submitted, and past the poll the re-attachments woke
            Thread.sleep(RestSession.DEFAULT_UPDATE_MARGIN.toMillis() + 1_000);
            b.pollNow(); // a session's first poll asks for every job
            RestSession.PollStats before = rest.pollStats();
            s.calls = 0;
            long[] us = new long[cycles];
            for (int i = 0; i < cycles; i++) {
                Thread.sleep(200);
                long t0 = System.nanoTime();
                b.pollNow();
                us[i] = (System.nanoTime() - t0) / 1_000;
            }
            RestSession.PollStats after = rest.pollStats();
            long answers = after.full() + after.changed() + after.unchanged()
                    - before.full() - before.changed() - before.unchanged();
            Arrays.sort(us);
            System.out.printf(Locale.ROOT, "| %s | %d | %.1f | %.1f | %.1f | %.1f | %d / %d / %d | %,d |%n",
                    updateTime ? "`update_time`" : "full `GET jobs`", active.size(), s.calls / (double) cycles,
                    us[cycles / 2] / 1000.0, Arrays.stream(us).average().orElse(0) / 1000.0, us[cycles - 1] / 1000.0,
                    after.full() - before.full(), after.changed() - before.changed(),
                    after.unchanged() - before.unchanged(), (after.bytes() - before.bytes()) / Math.max(1, answers));
        } finally {
            b.close();
            rest.close();
        }
    }

    private static int jobsHeld(String conf) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("squeue", "-h", "-t", "all", "-o", "%i");
        pb.environment().put("SLURM_CONF", conf);
        pb.environment().remove("SLURM_JWT");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        p.waitFor();
        return out.isEmpty() ? 0 : out.split("\n").length;
    }

    /** Waits until no job of the cluster is pending or running (the finished jobs ended). */
    private static void awaitEnded(String conf) throws Exception {
        for (int i = 0; i < 600; i++) {
            ProcessBuilder pb = new ProcessBuilder("squeue", "-h", "-t", "PD,R,CG", "-o", "%i");
            pb.environment().put("SLURM_CONF", conf);
            pb.environment().remove("SLURM_JWT");
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            p.waitFor();
            if (out.isEmpty()) {
                return;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the finished jobs did not end within 5 minutes");
    }

    /**
     * Counts the state queries; while {@code setup}, answers the re-attachments' look-ups itself (every job asked about
     * is a held job the harness just submitted), so that 1,000 re-attachments do not cost 1,000 full answers.
     */
    private static final class Harness implements JobSession {
        final JobSession inner;
        volatile boolean setup = true;
        volatile int calls;

        Harness(JobSession inner) {
            this.inner = inner;
        }

        @Override public String name() { return inner.name(); }
        @Override public String runJob(JobTemplate t) throws BackendException { return inner.runJob(t); }
        @Override public Map<String, JobInfo> jobInfos(Collection<String> ids) throws BackendException {
            if (setup) {
                Map<String, JobInfo> out = new LinkedHashMap<>();
                ids.forEach(id -> out.put(id, JobInfo.fromSlurm(id, "PENDING", "JobHeldUser", 0)));
                return out;
            }
            calls++;
            return inner.jobInfos(ids);
        }
        @Override public Map<String, List<String>> jobIdsByName(Collection<String> names) throws BackendException {
            calls++;
            return inner.jobIdsByName(names);
        }
        @Override public void terminate(String id) throws BackendException { inner.terminate(id); }
        @Override public void hold(String id) throws BackendException { inner.hold(id); }
        @Override public void release(String id) throws BackendException { inner.release(id); }
        @Override public void suspend(String id) throws BackendException { inner.suspend(id); }
        @Override public void resume(String id) throws BackendException { inner.resume(id); }
        @Override public void close() { inner.close(); }
    }
}
