package org.uwskit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.uwskit.Caller;
import org.uwskit.Engine;
import org.uwskit.Job;
import org.uwskit.JobDefinition;
import org.uwskit.JobList;
import org.uwskit.JobListPolicy;
import org.uwskit.JobRequest;
import org.uwskit.JobService;
import org.uwskit.Phase;
import org.uwskit.PhaseChange;
import org.uwskit.memory.InMemoryJobStore;
import org.uwskit.memory.InMemoryResultStore;
import org.uwskit.spi.ExecutionEvents;

/**
 * The engine applies HELD and SUSPENDED as a batch scheduler reports them (SLURM: a pending job held by an operator,
 * released, a running job suspended), and a client's ABORT of a HELD or SUSPENDED job reaches the backend.
 */
class HeldAndSuspendedEventsTest {
    static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
    static final Caller ALICE = Caller.of("alice");

    final TestClock clock = new TestClock(T0);
    final InMemoryJobStore store = new InMemoryJobStore();
    final ScriptedBackend backend = new ScriptedBackend();
    JobService service;
    Engine engine;

    @BeforeEach
    void setUp() {
        service = JobService.builder().clock(clock).store(store).resultStore(new InMemoryResultStore())
                .jobList(JobList.builder("demo").policy(JobListPolicy.defaults())
                        .definition(JobDefinition.builder("echo").build()).build())
                .build();
        engine = Engine.builder(service).nodeId("node-a").backend(backend).leaseDuration(Duration.ofSeconds(30))
                .shutdownGrace(Duration.ofMillis(100)).manual().build();
    }

    @AfterEach
    void tearDown() {
        engine.close();
        service.close();
    }

    /** A job submitted to the backend, not yet running (UWS QUEUED). */
    Job submitted() {
        Job j = service.create(ALICE, "demo", JobRequest.builder().run().build());
        assertThat(engine.dispatch()).isEqualTo(1);
        return j;
    }

    Job get(Job j) {
        return store.get(j.jobId()).orElseThrow();
    }

    List<String> path(Job j) {
        List<String> out = new ArrayList<>();
        for (PhaseChange c : get(j).history()) {
            out.add(c.to().name());
        }
        return out;
    }

    @Test
    void aWaitingJobHeldByTheSchedulerIsHeldThenQueuedAgainWhenReleasedThenRuns() {
        Job j = submitted();
        ExecutionEvents ev = backend.events(j.jobId());
        ev.held();
        assertThat(get(j).phase()).isEqualTo(Phase.HELD);
        ev.held(); // idempotent
        ev.released();
        assertThat(get(j).phase()).isEqualTo(Phase.QUEUED);
        ev.released(); // ignored outside HELD
        ev.started();
        assertThat(get(j).phase()).isEqualTo(Phase.EXECUTING);
        ev.completed();
        assertThat(path(j)).containsExactly("PENDING", "QUEUED", "HELD", "QUEUED", "EXECUTING", "COMPLETED");
    }

    @Test
    void aRunningJobHeldIsHeldAndAHeldJobThatRunsGoesStraightToExecuting() {
        Job j = submitted();
        ExecutionEvents ev = backend.events(j.jobId());
        ev.started();
        ev.held();
        assertThat(get(j).phase()).isEqualTo(Phase.HELD);
        ev.started();
        assertThat(get(j).phase()).isEqualTo(Phase.EXECUTING);
    }

    @Test
    void aClientAbortOfAHeldJobAbortsItAndCancelsItInTheBackend() {
        Job j = submitted();
        backend.events(j.jobId()).held();
        Job after = service.abort(ALICE, "demo", j.jobId());
        assertThat(after.phase()).isEqualTo(Phase.ABORTED);
        assertThat(backend.aborts).containsExactly("ref-" + j.jobId());
        assertThat(path(j)).containsExactly("PENDING", "QUEUED", "HELD", "ABORTED");
        assertThat(get(j).endTime()).isNotNull();
    }

    @Test
    void aClientAbortOfASuspendedJobAbortsItAndCancelsItInTheBackend() {
        Job j = submitted();
        ExecutionEvents ev = backend.events(j.jobId());
        ev.started();
        ev.suspended();
        assertThat(get(j).phase()).isEqualTo(Phase.SUSPENDED);
        service.abort(ALICE, "demo", j.jobId());
        assertThat(get(j).phase()).isEqualTo(Phase.ABORTED);
        assertThat(backend.aborts).containsExactly("ref-" + j.jobId());
        assertThat(path(j)).containsExactly("PENDING", "QUEUED", "EXECUTING", "SUSPENDED", "ABORTED");
    }

    @Test
    void aHeldOrSuspendedJobThatFailsEndsInErrorWithoutPassingThroughExecuting() {
        Job held = submitted();
        backend.events(held.jobId()).held();
        backend.events(held.jobId()).failed("cancelled by the scheduler: over the time limit", null);
        assertThat(path(held)).containsExactly("PENDING", "QUEUED", "HELD", "ERROR");
        assertThat(get(held).error().message()).contains("over the time limit");

        Job suspended = submitted();
        ExecutionEvents ev = backend.events(suspended.jobId());
        ev.started();
        ev.suspended();
        ev.aborted("cancelled by an operator");
        assertThat(path(suspended)).containsExactly("PENDING", "QUEUED", "EXECUTING", "SUSPENDED", "ABORTED");
    }
}
