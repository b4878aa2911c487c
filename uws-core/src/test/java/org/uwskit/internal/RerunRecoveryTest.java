package org.uwskit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.uwskit.BlobKind;
import org.uwskit.Caller;
import org.uwskit.Engine;
import org.uwskit.Job;
import org.uwskit.JobDefinition;
import org.uwskit.JobFilter;
import org.uwskit.JobList;
import org.uwskit.JobListPolicy;
import org.uwskit.JobRef;
import org.uwskit.JobRequest;
import org.uwskit.JobService;
import org.uwskit.Phase;
import org.uwskit.PhaseChange;
import org.uwskit.Result;
import org.uwskit.memory.InMemoryJobStore;
import org.uwskit.memory.InMemoryResultStore;
import org.uwskit.spi.ExecutionEvents;
import org.uwskit.spi.JobStore;

/**
 * Recovery of an EXECUTING job whose node died: a rerunnable one is run again on a surviving node without a phase
 * change (once, whatever the number of surviving nodes), a non-rerunnable one ends in ERROR. Manual engines and a
 * settable clock; node A "dies" by no longer being driven (it is not closed).
 */
class RerunRecoveryTest {
    static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
    static final Duration LEASE = Duration.ofSeconds(30);
    static final Caller ALICE = Caller.of("alice");

    final TestClock clock = new TestClock(T0);
    final InMemoryJobStore memory = new InMemoryJobStore();
    final BarrierStore store = new BarrierStore(memory);
    final InMemoryResultStore results = new InMemoryResultStore();
    final ScriptedBackend backendA = new ScriptedBackend();
    final ScriptedBackend backendB = new ScriptedBackend();
    final ScriptedBackend backendC = new ScriptedBackend();
    final List<Engine> engines = new ArrayList<>();
    JobService service;
    Engine nodeA;

    void setUp(boolean rerunnable, int maxExecutingJobs) {
        service = JobService.builder().clock(clock).store(store).resultStore(results)
                .jobList(JobList.builder("demo").definition(JobDefinition.builder("echo").rerunnable(rerunnable)
                        .build()).policy(JobListPolicy.builder().maxExecutingJobs(maxExecutingJobs).build()).build())
                .build();
        nodeA = engine("node-a", backendA);
    }

    Engine engine(String node, ScriptedBackend b) {
        Engine e = Engine.builder(service).nodeId(node).backend(b).leaseDuration(LEASE)
                .shutdownGrace(Duration.ofMillis(100)).manual().build();
        engines.add(e);
        return e;
    }

    @AfterEach
    void tearDown() {
        store.barrier = null;
        engines.forEach(Engine::close);
        if (service != null) {
            service.close();
        }
    }

    Job queued() {
        return service.create(ALICE, "demo", JobRequest.builder().executionDuration(3600L).run().build());
    }

    Job stored(Job j) {
        return memory.get(j.jobId()).orElseThrow();
    }

    /** Node A claims and starts the job, reports progress and writes a result, then dies (is no longer driven). */
    Job startedOnA() throws IOException {
        Job j = queued();
        assertThat(nodeA.dispatch()).isEqualTo(1);
        clock.set(T0.plusSeconds(1));
        ExecutionEvents ev = backendA.events(j.jobId());
        ev.started();
        ev.progress(0.5, "half way");
        ev.info("clusterId", "c-1");
        try (OutputStream out = ev.openResult("partial", "text/plain")) {
            out.write("lost".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(stored(j).results()).hasSize(1);
        return j;
    }

    @Test
    void aRerunnableExecutingJobOfADeadNodeRunsAgainOnceOnASurvivorWithoutAPhaseChange() throws Exception {
        setUp(true, 10);
        Job j = startedOnA();
        Job before = stored(j);
        Engine nodeB = engine("node-b", backendB);
        clock.set(T0.plusSeconds(30));
        assertThat(nodeB.housekeep()).as("the lease expires strictly after 30 s").isZero();
        assertThat(backendB.submitted).isEmpty();

        clock.set(T0.plusSeconds(31));
        assertThat(nodeB.housekeep()).isEqualTo(1);
        Job rerun = stored(j);
        assertThat(rerun.phase()).isEqualTo(Phase.EXECUTING);
        assertThat(rerun.history()).as("no phase change").isEqualTo(before.history());
        assertThat(rerun.startTime()).as("the original start").isEqualTo(T0.plusSeconds(1));
        assertThat(rerun.jobInfo()).containsEntry("attempt", "2").containsEntry("clusterId", "c-1")
                .doesNotContainKeys("progress", "progressMessage");
        assertThat(rerun.results()).as("the lost attempt's results are dropped").isEmpty();
        assertThat(results.size(j.jobId(), BlobKind.RESULT, "partial")).isEqualTo(-1);
        assertThat(rerun.lease().nodeId()).isEqualTo("node-b");
        assertThat(rerun.lease().backendRef()).isEqualTo("ref-" + j.jobId());
        assertThat(backendB.submitted).containsExactly(j.jobId());
        assertThat(backendB.templates.get(j.jobId()).deadline())
                .as("the execution duration bounds both attempts together").isEqualTo(T0.plusSeconds(1 + 3600));
        assertThat(nodeB.runningJobIds()).containsExactly(j.jobId());

        // later passes neither resubmit nor fail it
        for (long s = 40; s <= 200; s += 10) {
            clock.set(T0.plusSeconds(s));
            nodeB.housekeep();
            nodeB.dispatch();
        }
        ExecutionEvents ev = backendB.events(j.jobId());
        ev.started();
        try (OutputStream out = ev.openResult("out", "text/plain")) {
            out.write("hello".getBytes(StandardCharsets.UTF_8));
        }
        ev.completed();
        Job done = stored(j);
        assertThat(done.phase()).isEqualTo(Phase.COMPLETED);
        assertThat(done.history()).extracting(PhaseChange::to)
                .containsExactly(Phase.PENDING, Phase.QUEUED, Phase.EXECUTING, Phase.COMPLETED);
        assertThat(done.results()).containsExactly(Result.stored("out", "text/plain", 5));
        assertThat(done.jobInfo()).containsEntry("attempt", "2");
        assertThat(done.lease()).isNull();
        assertThat(backendB.submitted).containsExactly(j.jobId());
        assertThat(backendA.submitted).containsExactly(j.jobId());
    }

    @Test
    void aRerunnableJobWhoseNodeDiesAgainIsCountedAsAThirdAttempt() throws Exception {
        setUp(true, 10);
        Job j = startedOnA();
        Engine nodeB = engine("node-b", backendB);
        clock.set(T0.plusSeconds(31));
        assertThat(nodeB.housekeep()).isEqualTo(1);
        // node B dies too, before its backend reported anything; node C takes over
        Engine nodeC = engine("node-c", backendC);
        clock.set(T0.plusSeconds(31 + 31));
        assertThat(nodeC.housekeep()).isEqualTo(1);
        assertThat(stored(j).phase()).isEqualTo(Phase.EXECUTING);
        assertThat(stored(j).jobInfo()).containsEntry("attempt", "3");
        assertThat(backendC.submitted).containsExactly(j.jobId());
    }

    @Test
    void aNonRerunnableExecutingJobOfADeadNodeEndsInErrorAndIsNotResubmitted() throws Exception {
        setUp(false, 10);
        Job j = startedOnA();
        Engine nodeB = engine("node-b", backendB);
        clock.set(T0.plusSeconds(31));
        assertThat(nodeB.housekeep()).isEqualTo(1);
        Job after = stored(j);
        assertThat(after.phase()).isEqualTo(Phase.ERROR);
        assertThat(after.error().message()).isEqualTo("interrupted: node lost");
        assertThat(after.lease()).isNull();
        assertThat(after.jobInfo()).doesNotContainKey("attempt");
        assertThat(after.results()).as("results of a failed job stay").hasSize(1);
        assertThat(nodeB.dispatch()).isZero();
        assertThat(backendB.submitted).isEmpty();
    }

    @Test
    void twoSurvivorsRecoveringAtOnceRerunTheJobExactlyOnce() throws Exception {
        setUp(true, 10);
        Job j = startedOnA();
        Engine nodeB = engine("node-b", backendB);
        Engine nodeC = engine("node-c", backendC);
        clock.set(T0.plusSeconds(31));
        // both nodes read the lapsed lease before either of them acts on it
        store.barrier = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Integer> b = pool.submit(nodeB::housekeep);
            Future<Integer> c = pool.submit(nodeC::housekeep);
            int changed = b.get(10, TimeUnit.SECONDS) + c.get(10, TimeUnit.SECONDS);
            assertThat(changed).isEqualTo(1);
        } finally {
            pool.shutdownNow();
            store.barrier = null;
        }
        assertThat(store.barrierPasses).as("both read the lapsed lease").isEqualTo(2);
        List<String> all = new ArrayList<>(backendB.submitted);
        all.addAll(backendC.submitted);
        assertThat(all).containsExactly(j.jobId());
        String winner = backendB.submitted.isEmpty() ? "node-c" : "node-b";
        Job rerun = stored(j);
        assertThat(rerun.phase()).isEqualTo(Phase.EXECUTING);
        assertThat(rerun.jobInfo()).containsEntry("attempt", "2");
        assertThat(rerun.lease().nodeId()).isEqualTo(winner);

        // the loser keeps its hands off on later passes too
        for (long s = 40; s <= 120; s += 10) {
            clock.set(T0.plusSeconds(s));
            nodeB.housekeep();
            nodeC.housekeep();
        }
        all = new ArrayList<>(backendB.submitted);
        all.addAll(backendC.submitted);
        assertThat(all).containsExactly(j.jobId());
        (winner.equals("node-b") ? backendB : backendC).events(j.jobId()).completed();
        assertThat(stored(j).phase()).isEqualTo(Phase.COMPLETED);
    }

    @Test
    void aSurvivorWithoutAFreeSlotLeavesTheJobUntilOneIsFree() throws Exception {
        setUp(true, 1);
        Job j = startedOnA();
        Engine nodeB = engine("node-b", backendB);
        Job other = queued();
        assertThat(nodeB.dispatch()).isEqualTo(1);
        backendB.events(other.jobId()).started();

        clock.set(T0.plusSeconds(31));
        assertThat(nodeB.housekeep()).isZero();
        assertThat(stored(j).phase()).isEqualTo(Phase.EXECUTING);
        assertThat(stored(j).lease().nodeId()).as("left with its lapsed lease").isEqualTo("node-a");
        assertThat(backendB.submitted).containsExactly(other.jobId());

        backendB.events(other.jobId()).completed();
        clock.set(T0.plusSeconds(32));
        assertThat(nodeB.housekeep()).isEqualTo(1);
        assertThat(stored(j).lease().nodeId()).isEqualTo("node-b");
        assertThat(stored(j).jobInfo()).containsEntry("attempt", "2");
        assertThat(backendB.submitted).containsExactly(other.jobId(), j.jobId());
        assertThatThrownBy(() -> backendC.events(j.jobId())).isInstanceOf(AssertionError.class);
    }

    /**
     * An in-memory store whose {@link #expiredLeases} waits (bounded) at {@link #barrier} when one is set, so that
     * several nodes read the same lapsed leases before any of them acts.
     */
    static final class BarrierStore extends ForwardingJobStore {
        volatile CyclicBarrier barrier;
        volatile int barrierPasses;

        BarrierStore(JobStore inner) {
            super(inner);
        }

        @Override
        public List<Job> expiredLeases(Instant now, int limit) {
            List<Job> out = inner.expiredLeases(now, limit);
            CyclicBarrier b = barrier;
            if (b != null) {
                try {
                    b.await(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException("the other node never read the expired leases", e);
                }
                synchronized (this) {
                    barrierPasses++;
                }
            }
            return out;
        }
    }
}
