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
class SlurmBackendIT extends SlurmEngineFixture {

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
