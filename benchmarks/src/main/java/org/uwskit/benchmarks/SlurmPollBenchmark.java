package org.uwskit.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.uwskit.JobDefinition;
import org.uwskit.JobIds;
import org.uwskit.Result;
import org.uwskit.slurm.CommandSession;
import org.uwskit.slurm.RestSession;
import org.uwskit.slurm.SlurmBackend;
import org.uwskit.slurm.SlurmJobType;
import org.uwskit.slurm.drmaa.JobInfo;
import org.uwskit.slurm.drmaa.JobSession;
import org.uwskit.slurm.drmaa.JobTemplate;
import org.uwskit.spi.ExecutionBackend.BackendException;
import org.uwskit.spi.ExecutionEvents;

/**
 * SLURM backend figures against a running SLURM (not JMH: every operation is a process or an HTTP request to a
 * real cluster, milliseconds each). Needs the variables of {@code scripts/slurm.sh env}; run as root:
 *
 * <pre>
 * source &lt;(scripts/slurm.sh env)
 * java -cp benchmarks/target/benchmarks.jar org.uwskit.benchmarks.SlurmPollBenchmark [submissions]
 * </pre>
 *
 * <ol>
 * <li><b>Calls per poll cycle</b> with 1, 100 and 1,000 active jobs, for each transport: the jobs are submitted
 * held with plain {@code sbatch --hold} and tracked by {@code SlurmBackend.reattach} (nothing submitted by the
 * backend), then {@code pollNow()} runs 10 cycles; the session calls are counted and the cycle is timed.</li>
 * <li><b>Submission rate</b>: N jobs ({@code /bin/true}) through {@code SlurmBackend.submit} per transport, against N
 * plain {@code sbatch --parsable --wrap true} processes and N plain REST {@code POST job/submit} requests (keep-alive)
 * in the same run.</li>
 * <li><b>End of job to event</b>: 10 jobs one after the other whose command's last act writes the wall-clock time;
 * the delay to the backend's {@code completed()}, with a poll interval of 200 ms and of 2 s (no callbacks).</li>
 * </ol>
 * Every job it made is cancelled at the end.
 */
public final class SlurmPollBenchmark {

    private SlurmPollBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int submissions = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        String conf = require("SLURM_CONF");
        String rest = require("UWSKIT_SLURM_REST_URL");
        String token = require("SLURM_JWT");
        String user = System.getenv().getOrDefault("UWSKIT_SLURM_USER", "root");
        Path work = Files.createTempDirectory("uws-slurm-bench");
        List<String> made = new ArrayList<>();
        try {
            System.out.println("| transport | active jobs | session calls per cycle | ms per cycle (median of 10) |");
            System.out.println("|---|---|---|---|");
            List<String> held = new ArrayList<>();
            for (int n : new int[] {1, 100, 1000}) {
                while (held.size() < n) {
                    String id = sbatch(conf, work, "--hold");
                    held.add(id);
                    made.add(id);
                }
                for (String transport : List.of("commands", "rest")) {
                    Counting s = new Counting(session(transport, conf, rest, user, token));
                    SlurmBackend b = backend(s, work);
                    try {
                        for (String id : held) {
                            b.reattach(id, template(), new NoEvents());
                        }
                        Thread.sleep(1000); // let the poll the re-attachments woke finish
                        s.calls.set(0);
                        long[] ms = new long[10];
                        for (int i = 0; i < ms.length; i++) {
                            long t0 = System.nanoTime();
                            b.pollNow();
                            ms[i] = (System.nanoTime() - t0) / 1_000;
                        }
                        java.util.Arrays.sort(ms);
                        System.out.printf(Locale.ROOT, "| %s | %d | %.1f | %.1f |%n", transport, n,
                                s.calls.get() / 10.0, ms[5] / 1000.0);
                    } finally {
                        b.close();
                    }
                }
            }
            cancel(made);
            made.clear();
            System.out.println();
            System.out.println("| end of job → completed() | poll interval | median ms | max ms | jobs |");
            System.out.println("|---|---|---|---|---|");
            for (String transport : List.of("commands", "rest")) {
                for (Duration poll : List.of(Duration.ofMillis(200), Duration.ofSeconds(2))) {
                    endToEvent(transport, poll, session(transport, conf, rest, user, token), work, made);
                }
            }
            System.out.println();
            System.out.println("| submission of " + submissions + " jobs | jobs/s | ms/job |");
            System.out.println("|---|---|---|");
            long t0 = System.nanoTime();
            for (int i = 0; i < submissions; i++) {
                made.add(sbatch(conf, work));
            }
            row("plain sbatch --parsable --wrap true", submissions, t0);
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            t0 = System.nanoTime();
            for (int i = 0; i < submissions; i++) {
                made.add(restSubmit(http, rest, user, token, work));
            }
            row("plain REST POST job/submit (keep-alive)", submissions, t0);
            for (String transport : List.of("commands", "rest")) {
                SlurmBackend b = backend(session(transport, conf, rest, user, token), work);
                try {
                    t0 = System.nanoTime();
                    for (int i = 0; i < submissions; i++) {
                        made.add(b.submit(template(), new NoEvents()));
                    }
                    row("SlurmBackend.submit, " + transport, submissions, t0);
                } finally {
                    b.close();
                }
            }
        } finally {
            cancel(made);
        }
    }

    static void cancel(List<String> ids) throws IOException, InterruptedException {
        for (int i = 0; i < ids.size(); i += 500) {
            List<String> argv = new ArrayList<>(List.of("scancel"));
            argv.addAll(ids.subList(i, Math.min(ids.size(), i + 500)));
            new ProcessBuilder(argv).inheritIO().start().waitFor();
        }
    }

    /**
     * The delay from the end of a job's command (its last act writes the wall-clock time in nanoseconds) to the
     * backend's completed() event, 10 jobs one after the other.
     */
    private static void endToEvent(String transport, Duration poll, JobSession session, Path work, List<String> made)
            throws Exception {
        SlurmBackend b = SlurmBackend.builder().session(session).workRoot(work).pollInterval(poll)
                .jobType("stamp", SlurmJobType.builder("/bin/sh").args("-c", "date +%s%N > end.txt").build()).build();
        long[] delays = new long[10];
        try {
            for (int i = 0; i < delays.length; i++) {
                org.uwskit.spi.JobTemplate t = template("stamp");
                java.util.concurrent.CompletableFuture<Long> done = new java.util.concurrent.CompletableFuture<>();
                made.add(b.submit(t, new NoEvents() {
                    @Override
                    public void completed() {
                        java.time.Instant now = java.time.Instant.now();
                        done.complete(now.getEpochSecond() * 1_000_000_000L + now.getNano());
                    }
                }));
                long at = done.get(60, java.util.concurrent.TimeUnit.SECONDS);
                long end = Long.parseLong(Files.readString(work.resolve(t.jobId()).resolve("end.txt")).strip());
                delays[i] = (at - end) / 1_000_000;
            }
        } finally {
            b.close();
        }
        java.util.Arrays.sort(delays);
        System.out.printf(Locale.ROOT, "| %s | %d ms | %d | %d | %d |%n", transport, poll.toMillis(),
                delays[delays.length / 2], delays[delays.length - 1], delays.length);
    }

    private static void row(String what, int n, long t0) {
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "| %s | %.0f | %.1f |%n", what, n / s, s * 1000 / n);
    }

    static String require(String name) {
        String v = System.getenv(name);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException(name + " is not set: source <(scripts/slurm.sh env)");
        }
        return v;
    }

    static JobSession session(String transport, String conf, String rest, String user, String token) {
        return transport.equals("commands")
                ? CommandSession.of(null, Map.of("SLURM_CONF", conf), Duration.ofSeconds(60))
                // every poll a full GET jobs, as measured before update_time (SlurmRestPollBenchmark compares both)
                : RestSession.builder(URI.create(rest), user, () -> token).timeout(Duration.ofSeconds(60))
                        .updateTime(false).build();
    }

    private static SlurmBackend backend(JobSession s, Path work) {
        // a long poll interval: only pollNow() polls
        return SlurmBackend.builder().session(s).workRoot(work).pollInterval(Duration.ofHours(1))
                .jobType("true", SlurmJobType.builder("/bin/true").build()).build();
    }

    private static org.uwskit.spi.JobTemplate template() {
        return template("true");
    }

    static org.uwskit.spi.JobTemplate template(String type) {
        JobDefinition def = JobDefinition.builder(type).build();
        return new org.uwskit.spi.JobTemplate(JobIds.next(), "bench", def, null, def.validate(List.of()), List.of(),
                600, null);
    }

    static String sbatch(String conf, Path work, String... extra) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of("sbatch", "--parsable", "--output=/dev/null", "--chdir="
                + work, "--job-name=bench"));
        argv.addAll(List.of(extra));
        argv.addAll(List.of("--wrap", "true"));
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().put("SLURM_CONF", conf);
        pb.environment().remove("SLURM_JWT");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        if (p.waitFor() != 0) {
            throw new IOException("sbatch failed: " + new String(p.getErrorStream().readAllBytes()));
        }
        return out;
    }

    private static String restSubmit(HttpClient http, String rest, String user, String token, Path work)
            throws IOException, InterruptedException {
        String body = "{\"script\":\"#!/bin/bash\\ntrue\\n\",\"job\":{\"name\":\"bench\",\"current_working_directory\":\""
                + work + "\",\"standard_output\":\"/dev/null\",\"environment\":{\"PATH\":\"/bin\"}}}";
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(rest + "/slurm/v0.0.38/job/submit"))
                .header("X-SLURM-USER-NAME", user).header("X-SLURM-USER-TOKEN", token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"job_id\"\\s*:\\s*(\\d+)").matcher(r.body());
        if (!m.find()) {
            throw new IOException("REST submit failed: HTTP " + r.statusCode() + " " + r.body());
        }
        return m.group(1);
    }

    /** Counts the session's state queries. */
    private static final class Counting implements JobSession {
        final JobSession inner;
        final AtomicInteger calls = new AtomicInteger();

        Counting(JobSession inner) {
            this.inner = inner;
        }

        @Override public String name() { return inner.name(); }
        @Override public String runJob(JobTemplate t) throws BackendException { calls.incrementAndGet(); return inner.runJob(t); }
        @Override public Map<String, JobInfo> jobInfos(Collection<String> ids) throws BackendException {
            calls.incrementAndGet();
            return inner.jobInfos(ids);
        }
        @Override public Map<String, List<String>> jobIdsByName(Collection<String> names) throws BackendException {
            calls.incrementAndGet();
            return inner.jobIdsByName(names);
        }
        @Override public void terminate(String id) throws BackendException { calls.incrementAndGet(); inner.terminate(id); }
        @Override public void hold(String id) throws BackendException { inner.hold(id); }
        @Override public void release(String id) throws BackendException { inner.release(id); }
        @Override public void suspend(String id) throws BackendException { inner.suspend(id); }
        @Override public void resume(String id) throws BackendException { inner.resume(id); }
        @Override public void close() { inner.close(); }
    }

    /** Events that go nowhere. */
    static class NoEvents implements ExecutionEvents {
        @Override public void started() { }
        @Override public void progress(double fraction, String message) { }
        @Override public void info(String key, String value) { }
        @Override public OutputStream openResult(String id, String mimeType) { return OutputStream.nullOutputStream(); }
        @Override public void addResult(Result result) { }
        @Override public InputStream openUpload(String name) throws IOException { throw new java.nio.file.NoSuchFileException(name); }
        @Override public void suspended() { }
        @Override public void resumed() { }
        @Override public void held() { }
        @Override public void completed() { }
        @Override public void failed(String message, String detail) { }
        @Override public void aborted(String reason) { }
        @Override public boolean abortRequested() { return false; }
    }
}
