package org.uwskit.slurm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.uwskit.Job;
import org.uwskit.JobDefinition;
import org.uwskit.JobIds;
import org.uwskit.Phase;
import org.uwskit.Result;
import org.uwskit.slurm.RestSession.PollStats;
import org.uwskit.slurm.drmaa.JobSession;
import org.uwskit.spi.ExecutionEvents;
import org.uwskit.testkit.Await;

/**
 * The REST transport's incremental polls against the real slurmrestd: while nothing changes in the cluster a poll
 * asks {@code GET jobs?update_time=...} and gets HTTP 304 with no body, and the jobs' phases still follow SLURM (a job
 * runs and completes, a job cancelled in SLURM is aborted, seen without asking for every job); a job never seen is
 * asked about with every job, never answered from an "unchanged" answer. (A job slurmctld forgot, found in the
 * completion log, needs MinJobAge, 300 s here: {@code RestSessionMergeTest} shows it against a fake slurmrestd.)
 */
class SlurmRestUpdateTimeIT extends SlurmEngineFixture {
    /** A margin of one second: this host is slurmctld's, one clock. */
    private RestSession rest;

    @Override
    JobSession wrap(JobSession real) {
        real.close();
        Map<String, String> env = SlurmSupport.env();
        String token = env.get("SLURM_JWT");
        rest = RestSession.builder(URI.create(env.getOrDefault("UWSKIT_SLURM_REST_URL", "http://127.0.0.1:6820")),
                        env.getOrDefault("UWSKIT_SLURM_USER", "root"), () -> token)
                .updateMargin(Duration.ofSeconds(1)).fullEvery(1_000).build();
        return rest;
    }

    /** Waits until at least {@code n} more polls than in {@code before} were answered 304, and returns the stats. */
    private PollStats awaitUnchanged(PollStats before, int n) throws InterruptedException {
        Await.until(Duration.ofSeconds(20), POLL, () -> rest.pollStats().unchanged() >= before.unchanged() + n,
                n + " polls answered 304",
                () -> before + " -> " + rest.pollStats());
        return rest.pollStats();
    }

    @Test
    void quietPollsGetNothingBackWhileAJobRunsAndCompletes() throws Exception {
        start("rest");
        Job j = run("sleep", 600, "TAG", "update-time", "SECONDS", "4");
        slurmId(j);
        awaitPhase(j, Phase.EXECUTING);
        PollStats running = rest.pollStats();
        assertThat(running.full()).as("the first polls ask for every job").isPositive();
        PollStats quiet = awaitUnchanged(running, 3);
        assertThat(quiet.full()).as("no full poll while nothing changes").isEqualTo(running.full());
        if (quiet.changed() == running.changed()) { // no purge of an old job meanwhile
            assertThat(quiet.bytes()).as("a 304 has no body").isEqualTo(running.bytes());
        }
        assertThat(get(j).phase()).isEqualTo(Phase.EXECUTING);
        Job done = awaitPhase(j, Phase.COMPLETED);
        assertThat(path(done)).containsExactly(Phase.PENDING, Phase.QUEUED, Phase.EXECUTING, Phase.COMPLETED);
        assertThat(result(done, "done.txt")).isEqualTo("done\n");
        PollStats end = rest.pollStats();
        assertThat(end.full()).as("the end was seen in an update_time answer").isEqualTo(running.full());
        assertThat(end.changed()).isGreaterThan(running.changed());
    }

    @Test
    void aJobCancelledInSlurmWhilePollsAreQuietIsAborted() throws Exception {
        start("rest");
        Job j = run("sleep", 600, "TAG", "update-time-cancel", "SECONDS", "120");
        String id = slurmId(j);
        awaitPhase(j, Phase.EXECUTING);
        PollStats quiet = awaitUnchanged(rest.pollStats(), 2);
        assertThat(SlurmSupport.admin("scancel", id).exitCode()).isZero();
        Job aborted = awaitPhase(j, Phase.ABORTED);
        assertThat(aborted.error() == null ? "" : aborted.error().message()).doesNotContain("no longer knows");
        assertThat(rest.pollStats().full()).as("seen through update_time").isEqualTo(quiet.full());
        awaitSlurm(id, "CANCELLED");
    }

    @Test
    void aJobSlurmNeverHadIsAskedAboutWithEveryJobEvenAmidQuietPolls() throws Exception {
        start("rest");
        Job j = run("sleep", 600, "TAG", "update-time-other", "SECONDS", "60");
        String running = slurmId(j);
        awaitPhase(j, Phase.EXECUTING);
        PollStats quiet = awaitUnchanged(rest.pollStats(), 1);
        String never = Long.toString(Long.parseLong(running) + 5_000_000L); // an id slurmctld never had
        AtomicReference<String> outcome = new AtomicReference<>();
        JobDefinition def = JobDefinition.builder("sleep").build();
        boolean attached = backend.reattach(never, new org.uwskit.spi.JobTemplate(JobIds.next(), "sleep", def, null,
                def.validate(List.of()), List.of(), 600, null), new Outcome(outcome));
        assertThat(attached).as("not in SLURM, not in the completion log: nothing to follow").isFalse();
        assertThat(rest.pollStats().full()).as("a job never seen is asked about with every job, not update_time")
                .isGreaterThan(quiet.full());
        PollStats after = rest.pollStats();
        awaitUnchanged(after, 2);
        assertThat(rest.pollStats().full()).as("the job followed is known: quiet polls again").isEqualTo(after.full());
        assertThat(get(j).phase()).isEqualTo(Phase.EXECUTING);
        assertThat(outcome.get()).isNull();
        service.abort(ALICE, "sleep", j.jobId());
        awaitSlurm(running, "CANCELLED");
    }

    /** Events that only note an outcome. */
    private static final class Outcome implements ExecutionEvents {
        private final AtomicReference<String> message;

        Outcome(AtomicReference<String> message) {
            this.message = message;
        }

        @Override public void started() { }
        @Override public void progress(double fraction, String m) { }
        @Override public void info(String key, String value) { }
        @Override public OutputStream openResult(String id, String mimeType) { return OutputStream.nullOutputStream(); }
        @Override public void addResult(Result result) { }
        @Override public InputStream openUpload(String name) throws java.io.IOException {
            throw new java.nio.file.NoSuchFileException(name);
        }
        @Override public void suspended() { }
        @Override public void resumed() { }
        @Override public void held() { }
        @Override public void completed() { message.set("completed"); }
        @Override public void failed(String m, String detail) { message.set(m); }
        @Override public void aborted(String reason) { message.set("aborted: " + reason); }
        @Override public boolean abortRequested() { return false; }
    }
}
