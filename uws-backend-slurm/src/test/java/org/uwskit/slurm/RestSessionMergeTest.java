package org.uwskit.slurm;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.uwskit.Result;
import org.uwskit.slurm.drmaa.JobState;
import org.uwskit.slurm.internal.ClusterHealth;
import org.uwskit.slurm.internal.JobCompLog;
import org.uwskit.slurm.internal.JobTracker;
import org.uwskit.slurm.internal.WorkDir;
import org.uwskit.spi.ExecutionEvents;
import org.uwskit.testkit.SettableClock;

/**
 * The REST session's {@code update_time} polls merged into the backend's poll cycle, against a fake slurmrestd (a JDK
 * HTTP server answering as v0.0.38 does: 304 when nothing changed, else every job), so that what a real cluster
 * takes MinJobAge to show — a job slurmctld forgot, found in the completion log — is shown at once: absent from an
 * "unchanged" answer it is still running; only a full answer says it is gone.
 */
class RestSessionMergeTest {
    private static final Instant T0 = Instant.parse("2026-12-05T12:00:00Z");

    /** The fake cluster: job states by id, whether something changed since the last question, the questions. */
    private final Map<String, String> jobs = new ConcurrentHashMap<>();
    private final AtomicBoolean changed = new AtomicBoolean();
    private final AtomicInteger failNext = new AtomicInteger();
    private final List<String> questions = new CopyOnWriteArrayList<>();
    private final SettableClock clock = new SettableClock(T0);
    private HttpServer server;
    private RestSession session;
    private JobTracker tracker;
    @TempDir
    Path dir;

    @BeforeEach
    void setUp() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/slurm/v0.0.38/jobs", x -> {
            String q = x.getRequestURI().getQuery();
            questions.add(q == null ? "all" : q);
            if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                x.sendResponseHeaders(502, -1);
            } else if (q != null && !changed.getAndSet(false)) {
                x.sendResponseHeaders(304, -1);
            } else {
                changed.set(false);
                byte[] body = ("{\"errors\":[],\"jobs\":[" + jobs.entrySet().stream()
                        .map(e -> "{\"job_id\":" + e.getKey() + ",\"name\":\"x\",\"job_state\":\"" + e.getValue()
                                + "\",\"state_reason\":\"None\",\"exit_code\":0}")
                        .collect(Collectors.joining(",")) + "]}").getBytes(StandardCharsets.UTF_8);
                x.sendResponseHeaders(200, body.length);
                x.getResponseBody().write(body);
            }
            x.close();
        });
        server.start();
        session = RestSession.builder(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), "root",
                () -> "t").clock(clock).updateMargin(Duration.ofSeconds(2)).fullEvery(5).build();
        tracker = new JobTracker("t", session, new JobCompLog(dir.resolve("jobcomp.log")), 3, Runnable::run,
                new ClusterHealth("t"));
        for (int i = 1; i <= 50; i++) {
            jobs.put(Integer.toString(1000 + i), "COMPLETED"); // other jobs slurmctld still holds
        }
    }

    @AfterEach
    void tearDown() {
        tracker.close();
        session.close();
        server.stop(0);
    }

    private void track(String slurmId, Events events) {
        tracker.track(slurmId, "uws-" + slurmId, SlurmJobType.builder("/bin/true").build(),
                new WorkDir(dir.resolve(slurmId)), events);
    }

    private void poll(int seconds) {
        clock.set(clock.instant().plusSeconds(seconds));
        tracker.pollNow();
    }

    private String since(int secondsAfterT0) {
        return "update_time=" + (T0.getEpochSecond() + secondsAfterT0);
    }

    @Test
    void aJobForgottenBetweenFullPollsIsRunningUntilAFullAnswerThenFoundInTheCompletionLog() throws Exception {
        jobs.put("42", "RUNNING");
        Events events = new Events();
        track("42", events);
        poll(1);
        assertThat(questions).containsExactly("all"); // never seen: every job
        assertThat(events.seen).containsExactly("started");
        poll(1);
        assertThat(questions).last().isEqualTo(since(-1)); // the last question's second, minus the 2 s margin
        assertThat(events.seen).containsExactly("started");
        // slurmctld forgets it, its end only in the completion log; "unchanged" answers keep it running
        jobs.remove("42");
        Files.writeString(dir.resolve("jobcomp.log"), "JobId=42 UserId=root(0) GroupId=root(0) Name=x"
                + " JobState=COMPLETED Partition=debug ExitCode=0:0 \n");
        poll(1);
        poll(1);
        poll(1);
        assertThat(questions).containsExactly("all", since(-1), since(0), since(1), since(2));
        assertThat(events.seen).as("absent from update_time answers: unchanged, not forgotten")
                .containsExactly("started");
        poll(1); // the fifth poll since the full one asks for every job
        assertThat(questions).last().isEqualTo("all");
        assertThat(events.seen).containsExactly("started", "completed");
        assertThat(session.pollStats()).isEqualTo(new RestSession.PollStats(2, 0, 4, session.pollStats().bytes()));
    }

    @Test
    void aChangeIsSeenInTheNextAnswerAndAFailedPollMakesTheNextOneFull() throws Exception {
        jobs.put("7", "PENDING");
        jobs.put("8", "RUNNING");
        Events e7 = new Events();
        Events e8 = new Events();
        track("7", e7);
        track("8", e8);
        poll(1);
        assertThat(questions).containsExactly("all");
        assertThat(e8.seen).containsExactly("started");
        jobs.put("7", "RUNNING");
        changed.set(true);
        poll(1);
        assertThat(questions).last().isEqualTo(since(-1));
        assertThat(e7.seen).containsExactly("started");
        failNext.set(1);
        poll(1); // 502: nothing learnt, phases kept
        jobs.put("8", "COMPLETED");
        poll(1);
        assertThat(questions.subList(questions.size() - 2, questions.size())).containsExactly(since(0), "all");
        assertThat(e8.seen).containsExactly("started", "completed");
        assertThat(e7.seen).containsExactly("started");
        poll(1);
        assertThat(questions).last().isEqualTo(since(2));
        assertThat(e7.seen).containsExactly("started");
    }

    @Test
    void withUpdateTimeOffEveryPollAsksForEveryJob() throws Exception {
        RestSession plain = RestSession.builder(URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
                "root", () -> "t").updateTime(false).build();
        try {
            jobs.put("9", "RUNNING");
            for (int i = 0; i < 3; i++) {
                assertThat(plain.jobInfos(List.of("9")).get("9").state()).isEqualTo(JobState.RUNNING);
            }
            assertThat(questions).containsExactly("all", "all", "all");
            assertThat(plain.pollStats().full()).isEqualTo(3);
        } finally {
            plain.close();
        }
    }

    /** Events noted by name. */
    private static final class Events implements ExecutionEvents {
        final List<String> seen = new CopyOnWriteArrayList<>();

        @Override public void started() { seen.add("started"); }
        @Override public void progress(double fraction, String m) { }
        @Override public void info(String key, String value) { }
        @Override public OutputStream openResult(String id, String mimeType) { return OutputStream.nullOutputStream(); }
        @Override public void addResult(Result result) { }
        @Override public InputStream openUpload(String name) throws java.io.IOException {
            throw new java.nio.file.NoSuchFileException(name);
        }
        @Override public void suspended() { seen.add("suspended"); }
        @Override public void resumed() { seen.add("resumed"); }
        @Override public void held() { seen.add("held"); }
        @Override public void completed() { seen.add("completed"); }
        @Override public void failed(String m, String detail) { seen.add("failed: " + m); }
        @Override public void aborted(String reason) { seen.add("aborted: " + reason); }
        @Override public boolean abortRequested() { return false; }
    }
}
