package org.uwskit.slurm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.uwskit.testkit.Await;
import org.uwskit.BlobKind;
import org.uwskit.Caller;
import org.uwskit.Engine;
import org.uwskit.Job;
import org.uwskit.JobDefinition;
import org.uwskit.JobList;
import org.uwskit.JobRequest;
import org.uwskit.JobService;
import org.uwskit.Phase;
import org.uwskit.PhaseChange;
import org.uwskit.memory.FileResultStore;
import org.uwskit.memory.InMemoryJobStore;
import org.uwskit.slurm.drmaa.JobInfo;
import org.uwskit.slurm.drmaa.JobSession;
import org.uwskit.slurm.internal.Processes;
import org.uwskit.spi.JobStore;
import org.uwskit.spi.ResultStore;

/**
 * The SLURM backend under a real engine against the real one-node SLURM of {@code scripts/slurm.sh}, through both
 * transports: every test runs once with the commands and once with slurmrestd.
 */
class SlurmBackendIT {
    static final Caller ALICE = Caller.of("alice");
    static final Duration WAIT = Duration.ofSeconds(20);
    /** How often the awaits look again. */
    static final Duration POLL = Duration.ofMillis(50);
    /** A value a shell would expand, split, glob and redirect, if it ever reached one. */
    static final String NASTY = "; rm -rf /tmp/x $(id) `id` \"'\\ * ? | & < > {a,b} $HOME ~ #\n\ttab\u00e9\u2603";

    final List<String> slurmIds = new ArrayList<>();
    JobStore store;
    ResultStore results;
    JobService service;
    Engine engine;
    SlurmBackend backend;
    Path work;

    static Map<String, SlurmJobType> types() {
        return Map.of(
                "echo", SlurmJobType.builder("/bin/sh")
                        .args("-c", "printf '%s' \"$1\" > out.txt; printf '%s' \"$V\" > env.txt; echo said: \"$1\"",
                                "sh")
                        .argFromParameter("MESSAGE").envFromParameter("V", "MESSAGE")
                        .fileFromParameter("in.txt", "MESSAGE")
                        .output("out.txt", "text/plain").output("env.txt", "text/plain")
                        .output("in.txt", "text/plain").build(),
                "fail", SlurmJobType.builder("/bin/sh").args("-c", "echo 'bad things happened' >&2; exit 3").build(),
                "sleep", SlurmJobType.builder("/bin/sh")
                        .args("-c", "echo run >> ../runs-$1.txt; sleep \"$2\"; echo done > done.txt", "sh")
                        .argFromParameter("TAG").argFromParameter("SECONDS")
                        .cpusFromParameter("NCPU").output("done.txt", "text/plain").build());
    }

    RecordingSession session;

    void start(String transport, Path workRoot, Duration lease) {
        session = new RecordingSession(SlurmSupport.session(transport));
        backend = SlurmBackend.builder().name("slurm").session(session).workRoot(workRoot)
                .jobCompLog(SlurmSupport.jobComp()).pollInterval(Duration.ofMillis(200))
                .limits(new SlurmLimits(64, 1024, 60, Set.of(), null))
                .jobType("echo", types().get("echo")).jobType("fail", types().get("fail"))
                .jobType("sleep", types().get("sleep")).build();
        JobService.Builder sb = JobService.builder().store(store).resultStore(results);
        for (String t : List.of("echo", "fail", "sleep")) {
            sb.jobList(JobList.builder(t).definition(JobDefinition.builder(t).build()).build());
        }
        if (service == null) {
            service = sb.build();
        }
        engine = Engine.builder(service).nodeId("node-" + transport + "-" + System.nanoTime()).backend(backend)
                .pollInterval(Duration.ofMillis(200)).housekeepingInterval(Duration.ofMillis(200))
                .leaseDuration(lease).shutdownGrace(Duration.ofSeconds(2)).build();
        engine.start();
    }

    void start(String transport) throws IOException {
        work = Files.createDirectories(Path.of("target", "slurm-work").toAbsolutePath())
                .resolve(transport + "-" + System.nanoTime());
        Files.createDirectories(work);
        store = new InMemoryJobStore();
        results = new FileResultStore(work.resolve("results"));
        start(transport, work, Duration.ofSeconds(30));
    }

    @AfterEach
    void tearDown() {
        if (engine != null) {
            engine.close();
        }
        if (service != null) {
            service.close();
        }
        for (String id : slurmIds) {
            SlurmSupport.admin("scancel", id);
        }
        if (session != null) {
            session.cancelAll();
        }
    }

    Job run(String list, long duration, String... params) {
        JobRequest.Builder r = JobRequest.builder().run().executionDuration(duration);
        for (int i = 0; i < params.length; i += 2) {
            r.parameter(params[i], params[i + 1]);
        }
        return service.create(ALICE, list, r.build());
    }

    Job get(Job j) {
        return service.get(ALICE, j.jobList(), j.jobId());
    }

    Job await(Job j, String what, Predicate<Job> p) throws InterruptedException {
        AtomicReference<Job> cur = new AtomicReference<>(get(j));
        Await.until(WAIT, POLL, () -> p.test(cur.updateAndGet(x -> get(j))), "job " + j.jobId() + " " + what,
                () -> cur.get().phase() + " " + cur.get().jobInfo() + " " + cur.get().error());
        return cur.get();
    }

    Job awaitPhase(Job j, Phase phase) throws InterruptedException {
        return await(j, phase.name(), x -> x.phase() == phase);
    }

    String slurmId(Job j) throws InterruptedException {
        String id = await(j, "submitted", x -> x.jobInfo().containsKey("slurmJobId")).jobInfo().get("slurmJobId");
        slurmIds.add(id);
        return id;
    }

    String result(Job j, String id) throws IOException {
        try (InputStream in = results.read(j.jobId(), BlobKind.RESULT, id, 0, -1)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    JobInfo slurm(String id) {
        try (JobSession s = SlurmSupport.session("commands")) {
            return s.jobInfos(List.of(id)).get(id);
        } catch (Exception e) {
            throw new IllegalStateException("asking SLURM about job " + id + " failed", e);
        }
    }

    static List<Phase> path(Job j) {
        return j.history().stream().map(PhaseChange::to).toList();
    }

    /** A job that takes every CPU of the node for a while, so that the next one waits (PENDING, Resources). */
    Job blocker(String tag) throws InterruptedException {
        Job b = run("sleep", 600, "TAG", tag, "SECONDS", "120", "NCPU", Integer.toString(SlurmSupport.nodeCpus()));
        slurmId(b);
        return awaitPhase(b, Phase.EXECUTING);
    }

    @ParameterizedTest
    @ValueSource(strings = {"commands", "rest"})
    void aJobCompletesWithItsOutputsStdoutAndParametersVerbatim(String transport) throws Exception {
        start(transport);
        Job j = run("echo", 600, "MESSAGE", NASTY);
        slurmId(j);
        Job done = awaitPhase(j, Phase.COMPLETED);
        assertThat(path(done)).containsSubsequence(Phase.QUEUED, Phase.EXECUTING, Phase.COMPLETED);
        assertThat(result(done, "out.txt")).as("argument").isEqualTo(NASTY);
        assertThat(result(done, "env.txt")).as("environment variable").isEqualTo(NASTY);
        assertThat(result(done, "in.txt")).as("file").isEqualTo(NASTY);
        assertThat(result(done, "stdout")).isEqualTo("said: " + NASTY + "\n");
        assertThat(done.results()).extracting(r -> r.id())
                .contains("stdout", "stderr", "out.txt", "env.txt", "in.txt");
        assertThat(Files.exists(Path.of("/tmp/x"))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"commands", "rest"})
    void aFailingJobEndsInErrorWithItsExitCodeAndStderr(String transport) throws Exception {
        start(transport);
        Job j = run("fail", 600);
        String id = slurmId(j);
        Job failed = awaitPhase(j, Phase.ERROR);
        assertThat(failed.error().message()).contains("SLURM job " + id).contains("FAILED").contains("exit code 3");
        assertThat(failed.error().detail()).contains("bad things happened");
        assertThat(result(failed, "stderr")).isEqualTo("bad things happened\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"commands", "rest"})
    void abortOfARunningJobCancelsItInSlurm(String transport) throws Exception {
        start(transport);
        Job j = run("sleep", 600, "TAG", "abort-running", "SECONDS", "120");
        String id = slurmId(j);
        awaitPhase(j, Phase.EXECUTING);
        assertThat(slurm(id).slurmState()).isEqualTo("RUNNING");
        service.abort(ALICE, "sleep", j.jobId());
        assertThat(get(j).phase()).isEqualTo(Phase.ABORTED);
        awaitSlurm(id, "CANCELLED");
    }

    @ParameterizedTest
    @ValueSource(strings = {"commands", "rest"})
    void abortOfAWaitingJobCancelsItBeforeItRuns(String transport) throws Exception {
        start(transport);
        Job blocker = blocker("blocker-" + transport);
        Job j = run("sleep", 600, "TAG", "abort-queued", "SECONDS", "1", "NCPU", "1");
        String id = slurmId(j);
        awaitSlurm(id, "PENDING");
        assertThat(get(j).phase()).isEqualTo(Phase.QUEUED);
        service.abort(ALICE, "sleep", j.jobId());
        awaitSlurm(id, "CANCELLED");
        assertThat(path(get(j))).containsExactly(Phase.PENDING, Phase.QUEUED, Phase.ABORTED);
        service.abort(ALICE, "sleep", blocker.jobId());
    }

    @ParameterizedTest
    @ValueSource(strings = {"commands", "rest"})
    void aJobHeldByTheAdministratorIsHeldThenQueuedWhenReleasedThenRuns(String transport) throws Exception {
        start(transport);
        Job blocker = blocker("hold-blocker-" + transport);
        Job j = run("echo", 600, "MESSAGE", "after the hold");
        String id = slurmId(j);
        awaitSlurm(id, "PENDING");
        assertThat(SlurmSupport.admin("scontrol", "hold", id).exitCode()).isZero();
        awaitPhase(j, Phase.HELD);
        assertThat(SlurmSupport.admin("scontrol", "release", id).exitCode()).isZero();
        awaitPhase(j, Phase.QUEUED);
        service.abort(ALICE, "sleep", blocker.jobId());
        Job done = awaitPhase(j, Phase.COMPLETED);
        assertThat(path(done)).containsExactly(Phase.PENDING, Phase.QUEUED, Phase.HELD, Phase.QUEUED,
                Phase.EXECUTING, Phase.COMPLETED);
        assertThat(result(done, "out.txt")).isEqualTo("after the hold");
    }

    @ParameterizedTest
    @ValueSource(strings = {"commands", "rest"})
    void aClientAbortOfAHeldJobCancelsIt(String transport) throws Exception {
        start(transport);
        Job blocker = blocker("held-abort-blocker-" + transport);
        Job j = run("echo", 600, "MESSAGE", "never");
        String id = slurmId(j);
        awaitSlurm(id, "PENDING");
        SlurmSupport.admin("scontrol", "hold", id);
        awaitPhase(j, Phase.HELD);
        service.abort(ALICE, "echo", j.jobId());
        assertThat(get(j).phase()).isEqualTo(Phase.ABORTED);
        awaitSlurm(id, "CANCELLED");
        service.abort(ALICE, "sleep", blocker.jobId());
    }

    @ParameterizedTest
    @ValueSource(strings = {"commands", "rest"})
    void aJobSuspendedByTheAdministratorIsSuspendedThenExecutingWhenResumedAndCanBeAborted(String transport)
            throws Exception {
        start(transport);
        Job j = run("sleep", 600, "TAG", "suspend-" + transport, "SECONDS", "120");
        String id = slurmId(j);
        awaitPhase(j, Phase.EXECUTING);
        assertThat(SlurmSupport.admin("scontrol", "suspend", id).exitCode()).isZero();
        awaitPhase(j, Phase.SUSPENDED);
        assertThat(SlurmSupport.admin("scontrol", "resume", id).exitCode()).isZero();
        awaitPhase(j, Phase.EXECUTING);
        assertThat(SlurmSupport.admin("scontrol", "suspend", id).exitCode()).isZero();
        awaitPhase(j, Phase.SUSPENDED);
        service.abort(ALICE, "sleep", j.jobId());
        assertThat(path(get(j))).containsExactly(Phase.PENDING, Phase.QUEUED, Phase.EXECUTING, Phase.SUSPENDED,
                Phase.EXECUTING, Phase.SUSPENDED, Phase.ABORTED);
        awaitSlurm(id, "CANCELLED");
    }

    @ParameterizedTest
    @ValueSource(strings = {"commands", "rest"})
    void aJobPastItsExecutionDurationIsAbortedAndCancelledWithItsTimeLimitInMinutes(String transport)
            throws Exception {
        start(transport);
        Job j = run("sleep", 2, "TAG", "duration", "SECONDS", "120");
        String id = slurmId(j);
        awaitPhase(j, Phase.EXECUTING);
        String show = SlurmSupport.admin("scontrol", "-o", "show", "job", id).out();
        assertThat(show).contains("TimeLimit=00:01:00");
        if (transport.equals("commands")) {
            // slurmrestd 22.05 (v0.0.38) ignores "requeue": false; the backend fails a job SLURM requeues anyway
            assertThat(show).contains("Requeue=0");
        }
        Job aborted = awaitPhase(j, Phase.ABORTED);
        assertThat(aborted.history().get(aborted.history().size() - 1).reason())
                .isEqualTo("execution duration exceeded");
        awaitSlurm(id, "CANCELLED");
    }

    void awaitSlurm(String id, String state) throws Exception {
        AtomicReference<JobInfo> i = new AtomicReference<>();
        Await.until(WAIT, POLL, () -> {
            i.set(slurm(id));
            return i.get() != null && i.get().slurmState().equals(state);
        }, "SLURM job " + id + " " + state, () -> String.valueOf(i.get()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"commands", "rest"})
    void afterAServiceRestartRunningJobsAreReattachedAndNoneRunsTwice(String transport) throws Exception {
        work = Files.createDirectories(Path.of("target", "slurm-work").toAbsolutePath())
                .resolve("restart-" + transport + "-" + System.nanoTime());
        Files.createDirectories(work);
        store = new InMemoryJobStore();
        results = new FileResultStore(work.resolve("results"));
        start(transport, work, Duration.ofSeconds(2));
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Job j = run("sleep", 600, "TAG", "restart-" + i, "SECONDS", "4");
            slurmId(j);
            jobs.add(awaitPhase(j, Phase.EXECUTING));
        }
        RecordingSession first = session;
        engine.close(); // the work stays in SLURM; the leases lapse
        assertThat(first.submitted).hasSize(2);
        start(transport, work, Duration.ofSeconds(2));
        RecordingSession second = session;
        for (Job j : jobs) {
            Job done = awaitPhase(j, Phase.COMPLETED);
            assertThat(result(done, "done.txt")).isEqualTo("done\n");
            assertThat(path(done)).containsExactly(Phase.PENDING, Phase.QUEUED, Phase.EXECUTING, Phase.COMPLETED);
        }
        assertThat(second.submitted).as("nothing submitted again").isEmpty();
        for (int i = 0; i < 2; i++) {
            assertThat(Files.readAllLines(work.resolve("runs-restart-" + i + ".txt"))).containsExactly("run");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"commands", "rest"})
    void slurmctldRestartedUnderLoadLosesNoJob(String transport) throws Exception {
        start(transport);
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Job j = run("sleep", 600, "TAG", "load-" + i, "SECONDS", "1");
            slurmId(j);
            jobs.add(j);
        }
        Processes.Outcome restart = SlurmSupport.script("restart-ctld");
        assertThat(restart.exitCode()).as(restart.message()).isZero();
        for (Job j : jobs) {
            assertThat(awaitPhase(j, Phase.COMPLETED).results()).extracting(r -> r.id()).contains("done.txt");
        }
        assertThat(session.submitted).hasSize(6);
        for (int i = 0; i < 6; i++) {
            assertThat(Files.readAllLines(work.resolve("runs-load-" + i + ".txt"))).containsExactly("run");
        }
    }
}
