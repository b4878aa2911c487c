package org.uwskit.slurm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.uwskit.Job;
import org.uwskit.JobRequest;
import org.uwskit.Lease;
import org.uwskit.Phase;
import org.uwskit.slurm.drmaa.JobInfo;
import org.uwskit.slurm.drmaa.JobSession;
import org.uwskit.slurm.drmaa.JobTemplate;
import org.uwskit.slurm.drmaa.UnreachableException;
import org.uwskit.slurm.internal.Processes;
import org.uwskit.spi.ExecutionBackend.BackendException;
import org.uwskit.testkit.Await;

/**
 * SLURM down, answers lost, jobs refused, and a service that died between sbatch and storing the SLURM id, against
 * the real SLURM: nothing runs twice, no job ends wrongly, and every job completes once SLURM is back.
 */
class SlurmOutageIT extends SlurmEngineFixture {
    /** Submissions whose answer the wrapping session drops (the job is in SLURM, the caller hears a time-out). */
    final Set<String> loseAnswerOf = ConcurrentHashMap.newKeySet();
    final AtomicInteger lostAnswers = new AtomicInteger();
    SlurmBackend.WhenClusterDown policy = SlurmBackend.DEFAULT_WHEN_CLUSTER_DOWN;
    /** Replaces the real session by this one (an address where nothing listens). */
    JobSession replacement;

    @Override
    JobSession wrap(JobSession real) {
        if (replacement != null) {
            real.close();
            return replacement;
        }
        return new LosingSession(real);
    }

    @Override
    SlurmBackend.Builder configure(SlurmBackend.Builder b) {
        return b.whenClusterDown(policy)
                .jobType("badpartition", SlurmJobType.builder("/bin/true").partition("no-such-partition").build());
    }

    @Override
    List<String> lists() {
        return List.of("echo", "fail", "sleep", "badpartition");
    }

    /** A session whose answers to some submissions are lost after SLURM took the job. */
    final class LosingSession extends RecordingSession {
        LosingSession(JobSession inner) {
            super(inner);
        }

        @Override
        public String runJob(JobTemplate t) throws BackendException {
            String id = inner.runJob(t);
            if (loseAnswerOf.remove(t.jobName())) {
                lostAnswers.incrementAndGet();
                slurmIds.add(id);
                throw new UnreachableException("SLURM cannot be reached: sbatch: error: Batch job submission failed:"
                        + " Socket timed out on send/recv operation");
            }
            return id;
        }
    }

    void assertEachRanOnceInSlurm(List<Job> jobs) throws Exception {
        Await.until(WAIT, POLL, () -> {
            Map<String, Integer> ended = SlurmSupport.endedInSlurm();
            return jobs.stream().allMatch(j -> ended.containsKey("uws-" + j.jobId()));
        }, "every job in the completion log", () -> "");
        Map<String, Integer> ended = SlurmSupport.endedInSlurm();
        for (Job j : jobs) {
            assertThat(ended.get("uws-" + j.jobId())).as("SLURM jobs of UWS job " + j.jobId()).isEqualTo(1);
        }
    }

    Job sleeper(String tag, int seconds) {
        return run("sleep", 600, "TAG", tag, "SECONDS", Integer.toString(seconds));
    }

    void script(String command) {
        Processes.Outcome o = SlurmSupport.script(command);
        assertThat(o.exitCode()).as("scripts/slurm.sh " + command + ": " + o.message()).isZero();
    }

    /**
     * slurmctld (or, through REST, slurmrestd) stopped while jobs run and more are submitted: the service keeps
     * answering, running jobs stay EXECUTING, new ones QUEUED; once SLURM is back every job completes, each run once.
     */
    void outageUnderLoad(String transport, String daemon) throws Exception {
        start(transport);
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 2; i++) { // the node has 2 CPUs: both run
            Job j = sleeper(daemon + "-" + transport + "-" + i, 2);
            slurmId(j);
            jobs.add(j);
        }
        for (Job j : jobs) {
            awaitPhase(j, Phase.EXECUTING);
        }
        script("stop-" + daemon);
        long stopped = System.nanoTime();
        try {
            for (int i = 2; i < 5; i++) {
                jobs.add(sleeper(daemon + "-" + transport + "-" + i, 1));
            }
            for (Job j : jobs.subList(2, 5)) {
                Job w = await(j, "waiting for SLURM",
                        x -> x.jobInfo().getOrDefault("slurmSubmission", "").startsWith("waiting"));
                assertThat(w.phase()).isEqualTo(Phase.QUEUED);
            }
            Thread.sleep(1500); // the first jobs end while SLURM is away
            for (Job j : jobs) {
                assertThat(get(j).phase()).as("phase while SLURM is down").isIn(Phase.EXECUTING, Phase.QUEUED);
            }
            assertThat(service.list(ALICE, org.uwskit.JobFilter.all("sleep")).count())
                    .as("the service answers").isGreaterThanOrEqualTo(5);
        } finally {
            script("start-" + daemon);
        }
        long back = System.nanoTime();
        for (Job j : jobs.subList(2, 5)) {
            await(j, "submitted", x -> x.jobInfo().containsKey("slurmJobId"));
        }
        System.out.printf("SlurmOutageIT %s: %s stopped %d ms; the 3 waiting jobs were in SLURM %d ms after it"
                        + " answered again (poll 200 ms)%n", transport, daemon, (back - stopped) / 1_000_000,
                (System.nanoTime() - back) / 1_000_000);
        for (Job j : jobs) {
            Job done = awaitPhase(j, Phase.COMPLETED);
            assertThat(result(done, "done.txt")).isEqualTo("done\n");
        }
        for (int i = 0; i < 5; i++) {
            assertThat(Files.readAllLines(work.resolve("runs-" + daemon + "-" + transport + "-" + i + ".txt")))
                    .containsExactly("run");
        }
        for (Job j : jobs.subList(2, 5)) {
            assertThat(get(j).jobInfo()).containsEntry("slurmSubmission", "submitted when SLURM answered");
        }
        assertEachRanOnceInSlurm(jobs);
    }

    /**
     * slurmctld stopped, through the commands. (Through slurmrestd a stopped slurmctld looks the same to the backend,
     * every call failing after SLURM's own 9 s of retries, and costs 30 s of test time; slurmctldRestartedUnderLoad
     * in SlurmBackendIT restarts it under both transports.)
     */
    @Test
    void slurmctldStoppedUnderLoadThenBackEveryJobCompletesOnce() throws Exception {
        outageUnderLoad("commands", "ctld");
    }

    /** slurmrestd stopped, slurmctld up: every REST call is refused at once. */
    @Test
    void slurmrestdStoppedUnderLoadThenBackEveryJobCompletesOnce() throws Exception {
        outageUnderLoad("rest", "rest");
    }

    @ParameterizedTest
    @ValueSource(strings = {"commands", "rest"})
    void aSubmissionWhoseAnswerWasLostIsFoundByItsNameNotSubmittedTwice(String transport) throws Exception {
        start(transport);
        Job j = sleeper("lost-" + transport, 1);
        loseAnswerOf.add("uws-" + j.jobId());
        Job done = awaitPhase(j, Phase.COMPLETED);
        assertThat(lostAnswers).hasValue(1);
        assertThat(done.jobInfo()).containsEntry("slurmSubmission", "found in SLURM by its name");
        assertThat(session.submitted).as("submitted again").isEmpty();
        assertThat(Files.readAllLines(work.resolve("runs-lost-" + transport + ".txt"))).containsExactly("run");
        assertEachRanOnceInSlurm(List.of(j));
    }

    @ParameterizedTest
    @ValueSource(strings = {"commands", "rest"})
    void aJobSlurmRefusesEndsInErrorWithSlurmsMessage(String transport) throws Exception {
        start(transport);
        Job j = run("badpartition", 600);
        Job failed = awaitPhase(j, Phase.ERROR);
        assertThat(failed.error().message()).containsIgnoringCase("invalid partition");
        assertThat(failed.jobInfo()).doesNotContainKey("slurmSubmission");
    }

    void startUnreachable() throws IOException {
        // nothing listens there (a port of this helper's range, never bound by the tests)
        replacement = RestSession.of(URI.create("http://127.0.0.1:18599"), "root", () -> "no-token",
                RestSession.DEFAULT_VERSION, Duration.ofSeconds(2));
        start("rest");
    }

    @Test
    void byDefaultAJobWaitsQueuedWhileSlurmCannotBeReachedAndCanBeAborted() throws Exception {
        startUnreachable();
        Job j = sleeper("unreachable", 1);
        Job w = await(j, "waiting", x -> x.jobInfo().containsKey("slurmSubmission"));
        assertThat(w.phase()).isEqualTo(Phase.QUEUED);
        assertThat(w.jobInfo().get("slurmSubmission")).doesNotContain("127.0.0.1").doesNotContain("18599");
        Thread.sleep(600); // a few poll cycles: still waiting
        assertThat(get(j).phase()).isEqualTo(Phase.QUEUED);
        assertThat(backend.activeJobs()).isZero();
        service.abort(ALICE, "sleep", j.jobId());
        assertThat(get(j).phase()).isEqualTo(Phase.ABORTED);
    }

    @Test
    void withFailAJobEndsInErrorWhileSlurmCannotBeReached() throws Exception {
        policy = SlurmBackend.WhenClusterDown.FAIL;
        startUnreachable();
        Job failed = awaitPhase(sleeper("unreachable-fail", 1), Phase.ERROR);
        assertThat(failed.error().message()).isEqualTo("SLURM cannot be reached; the job was not run (submit it again"
                + " later)");
    }

    /**
     * The service died after sbatch but before it stored the SLURM id (the lease names the backend, without a
     * reference): the restarted service finds the job by its name and follows it; a job the dead service never
     * got to submit is submitted, once.
     */
    @ParameterizedTest
    @ValueSource(strings = {"commands", "rest"})
    void aJobWhoseSlurmIdWasNeverStoredIsFoundByItsNameAfterARestart(String transport) throws Exception {
        start(transport);
        String tag = "orphan-" + transport;
        Job submitted = service.create(ALICE, "sleep", JobRequest.builder().executionDuration(600L)
                .parameter("TAG", tag + "-a").parameter("SECONDS", "1").build());
        Job never = service.create(ALICE, "sleep", JobRequest.builder().executionDuration(600L)
                .parameter("TAG", tag + "-b").parameter("SECONDS", "1").build());
        Job aborted = service.create(ALICE, "sleep", JobRequest.builder().executionDuration(600L)
                .parameter("TAG", tag + "-c").parameter("SECONDS", "60").build());
        // what the dead service left: its batch jobs in SLURM, named by the marker
        String slurmId = sbatchAsTheDeadServiceDid(submitted, "echo run >> ../runs-" + tag + "-a.txt; sleep 1; echo done"
                + " > done.txt");
        String abortedId = sbatchAsTheDeadServiceDid(aborted, "sleep 60");
        // and in the store: QUEUED, leased by a node that is gone, the backend named, no reference
        for (Job j : List.of(submitted, never, aborted)) {
            Job cur = store.get(j.jobId()).orElseThrow();
            Instant now = Instant.now();
            store.update(cur.toBuilder().phase(Phase.QUEUED, now, "run")
                    .lease(new Lease("dead-node", now.minusSeconds(1), "slurm", null))
                    .version(cur.version() + 1).build());
        }
        Job a = awaitPhase(submitted, Phase.COMPLETED);
        Job b = awaitPhase(never, Phase.COMPLETED);
        assertThat(a.jobInfo()).containsEntry("slurmJobId", slurmId).containsEntry("slurmSubmission",
                "found in SLURM by its name");
        assertThat(result(a, "done.txt")).isEqualTo("done\n");
        assertThat(b.jobInfo()).containsEntry("slurmSubmission", "submitted when SLURM answered");
        assertThat(session.submitted).as("submitted by the new service").hasSize(1);
        assertThat(Files.readAllLines(work.resolve("runs-" + tag + "-a.txt"))).containsExactly("run");
        assertThat(Files.readAllLines(work.resolve("runs-" + tag + "-b.txt"))).containsExactly("run");
        assertEachRanOnceInSlurm(List.of(submitted, never));
        // re-attached without a stored id, it is still the service's to abort: the engine knows it by its marker
        // (Reattachable#referenceOf); without, the abort would not reach SLURM
        Job c = await(aborted, "adopted and running", x -> x.phase() == Phase.EXECUTING);
        assertThat(c.jobInfo()).containsEntry("slurmJobId", abortedId);
        service.abort(ALICE, "sleep", aborted.jobId());
        awaitSlurm(abortedId, "CANCELLED");
    }

    /** Prepares a job's directory and submits it under its marker, as a service that died right after sbatch did. */
    String sbatchAsTheDeadServiceDid(Job j, String shell) throws IOException {
        Path dir = work.resolve(j.jobId());
        Files.createDirectories(dir.resolve(".uws"));
        Path script = dir.resolve(".uws/job.sh");
        Files.writeString(script, "#!/bin/sh\n" + shell + "\n");
        Processes.Outcome sb = SlurmSupport.admin("sbatch", "--parsable", "--job-name=uws-" + j.jobId(),
                "--chdir=" + dir, "--output=" + dir.resolve(".uws/stdout"), "--error=" + dir.resolve(".uws/stderr"),
                "--no-requeue", script.toString());
        assertThat(sb.exitCode()).as(sb.message()).isZero();
        String id = sb.out().strip();
        slurmIds.add(id);
        return id;
    }
}
