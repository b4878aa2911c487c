package org.uwskit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.uwskit.Caller;
import org.uwskit.Engine;
import org.uwskit.ErrorSummary;
import org.uwskit.Job;
import org.uwskit.JobDefinition;
import org.uwskit.JobList;
import org.uwskit.JobListPolicy;
import org.uwskit.JobRequest;
import org.uwskit.JobService;
import org.uwskit.Lease;
import org.uwskit.Phase;
import org.uwskit.PhaseChange;
import org.uwskit.Result;
import org.uwskit.memory.InMemoryJobStore;
import org.uwskit.memory.InMemoryResultStore;
import org.uwskit.spi.ExecutionEvents;
import org.uwskit.spi.JobListener;

/**
 * The job store goes away while jobs run (a simulated database outage) and comes back: every job runs exactly
 * once, the events reported during the outage are stored afterwards in their order, and no node takes over a job
 * whose node is alive. Manual engines, a settable clock, a store that fails on demand: every step is explicit.
 */
class DefaultEngineOutageTest {
    static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
    static final Duration LEASE = Duration.ofSeconds(30);
    static final Caller ALICE = Caller.of("alice");

    final TestClock clock = new TestClock(T0);
    final InMemoryJobStore memory = new InMemoryJobStore();
    final OutageJobStore store = new OutageJobStore(memory);
    final InMemoryResultStore results = new InMemoryResultStore();
    final ScriptedBackend backend = new ScriptedBackend();
    final ScriptedBackend otherBackend = new ScriptedBackend();
    /** What listeners were told, in order: "EXECUTING +1s", "result out". */
    final List<String> told = new CopyOnWriteArrayList<>();
    final List<Engine> engines = new ArrayList<>();
    JobService service;
    Engine nodeA;

    void setUp(JobDefinition def) {
        service = JobService.builder().clock(clock).store(store).resultStore(results)
                .jobList(JobList.builder("demo").definition(def)
                        .policy(JobListPolicy.builder().maxExecutingJobs(10).build()).build())
                .listener(new JobListener() {
                    @Override
                    public void phaseChanged(Job job, PhaseChange c) {
                        told.add(c.to() + " +" + Duration.between(T0, c.at()).toSeconds() + "s");
                    }

                    @Override
                    public void resultAdded(Job job, Result r) {
                        told.add("result " + r.id());
                    }
                }).build();
        nodeA = engine("node-a", backend);
    }

    void setUp() {
        setUp(JobDefinition.builder("echo").build());
    }

    Engine engine(String node, ScriptedBackend b) {
        Engine e = Engine.builder(service).nodeId(node).backend(b).leaseDuration(LEASE)
                .shutdownGrace(Duration.ofMillis(100)).manual().build();
        engines.add(e);
        return e;
    }

    @AfterEach
    void tearDown() {
        store.down = false;
        store.updatesFail = false;
        engines.forEach(Engine::close);
        if (service != null) {
            service.close();
        }
    }

    Job queued() {
        return service.create(ALICE, "demo", JobRequest.builder().run().build());
    }

    /** The stored job, read past the outage wrapper. */
    Job stored(Job j) {
        return memory.get(j.jobId()).orElseThrow();
    }

    /** Moves the clock to T0 + {@code seconds} and runs housekeeping and dispatch on each engine, in order. */
    void roundAt(long seconds, Engine... nodes) {
        clock.set(T0.plusSeconds(seconds));
        for (Engine e : nodes) {
            e.housekeep();
            e.dispatch();
        }
    }

    java.util.Set<String> running(Engine e) {
        return e.runningJobIds();
    }

    @Test
    void aJobInFlightDuringAnOutageRunsOnceAndCompletesAfterTheStoreReturns() throws Exception {
        setUp();
        Job j = queued();
        assertThat(nodeA.dispatch()).isEqualTo(1);
        ExecutionEvents ev = backend.events(j.jobId());

        store.down = true;
        clock.set(T0.plusSeconds(1));
        ev.started();
        ev.progress(0.5, "half way");
        try (OutputStream out = ev.openResult("out", "text/plain")) {
            out.write("hello".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        clock.set(T0.plusSeconds(2));
        ev.completed();
        assertThat(stored(j).phase()).as("nothing could be stored").isEqualTo(Phase.QUEUED);
        for (long s = 5; s <= 90; s += 5) {
            roundAt(s, nodeA);
        }
        assertThat(stored(j).lease().expiresAt()).as("the lease lapsed during the outage")
                .isBefore(clock.instant());
        assertThat(running(nodeA)).as("kept until its completion is stored").containsExactly(j.jobId());

        store.down = false;
        clock.set(T0.plusSeconds(95));
        assertThat(nodeA.dispatch()).as("the lapsed claim is not claimed again").isZero();
        nodeA.housekeep();
        Job done = stored(j);
        assertThat(done.phase()).isEqualTo(Phase.COMPLETED);
        assertThat(done.startTime()).isEqualTo(T0.plusSeconds(1));
        assertThat(done.endTime()).isEqualTo(T0.plusSeconds(2));
        assertThat(done.results()).containsExactly(Result.stored("out", "text/plain", 5));
        assertThat(done.jobInfo()).containsEntry("progress", "0.500").containsEntry("progressMessage", "half way");
        assertThat(done.lease()).isNull();
        assertThat(running(nodeA)).isEmpty();
        for (long s = 100; s <= 300; s += 10) {
            roundAt(s, nodeA);
        }
        assertThat(backend.submitted).as("submissions").containsExactly(j.jobId());
        assertThat(stored(j).phase()).isEqualTo(Phase.COMPLETED);
        assertThat(stored(j).history()).extracting(PhaseChange::to)
                .containsExactly(Phase.PENDING, Phase.QUEUED, Phase.EXECUTING, Phase.COMPLETED);
    }

    @Test
    void eventsKeptDuringAnOutageAreStoredInTheirOrderAndLastWinsValuesAreKeptOnce() throws Exception {
        setUp();
        Job j = queued();
        nodeA.dispatch();
        ExecutionEvents ev = backend.events(j.jobId());
        told.clear();
        store.down = true;
        clock.set(T0.plusSeconds(1));
        ev.started();
        ev.addResult(new Result("a", java.net.URI.create("http://example.org/a"), null, -1));
        for (int i = 1; i <= 1000; i++) {
            ev.progress(i / 1000.0, "step " + i);
        }
        clock.set(T0.plusSeconds(3));
        ev.suspended();
        clock.set(T0.plusSeconds(4));
        ev.resumed();
        try (OutputStream out = ev.openResult("b", null)) {
            out.write(7);
        }
        ev.info("clusterId", "c-1");
        ev.info("clusterId", "c-2");
        clock.set(T0.plusSeconds(6));
        ev.completed();
        assertThat(told).as("listeners hear of stored changes only").isEmpty();

        store.down = false;
        clock.set(T0.plusSeconds(10));
        int before = store.updates.get();
        nodeA.housekeep();
        assertThat(told).containsExactly("EXECUTING +1s", "result a", "SUSPENDED +3s", "EXECUTING +4s", "result b",
                "COMPLETED +6s");
        Job done = stored(j);
        assertThat(done.results()).extracting(Result::id).containsExactly("a", "b");
        assertThat(done.jobInfo()).containsEntry("progress", "1.000").containsEntry("progressMessage", "step 1000")
                .containsEntry("clusterId", "c-2");
        // started, a, one progress, suspended, resumed, b, one clusterId, completed
        assertThat(store.updates.get() - before).as("stored writes (1000 progress reports kept as one)")
                .isEqualTo(8);
        assertThat(backend.submitted).containsExactly(j.jobId());
    }

    @Test
    void anotherNodeDoesNotTakeOverAJobWhoseNodeIsAliveAfterTheOutage() {
        setUp();
        Job executing = queued();
        clock.set(T0.plusMillis(1));
        Job inFlight = queued();
        nodeA.dispatch();
        backend.events(executing.jobId()).started();
        Engine nodeB = engine("node-b", otherBackend);
        roundAt(1, nodeA, nodeB);

        store.down = true;
        clock.set(T0.plusSeconds(2));
        backend.events(inFlight.jobId()).started();
        for (long s = 5; s <= 90; s += 5) {
            roundAt(s, nodeB, nodeA);
        }
        assertThat(stored(inFlight).phase()).isEqualTo(Phase.QUEUED);
        assertThat(stored(inFlight).lease().expiresAt()).isBefore(clock.instant());
        assertThat(stored(executing).lease().expiresAt()).isBefore(clock.instant());

        store.down = false;
        // node B answers first and keeps looking for a while: both leases lapsed, but node A did not die
        for (long s = 95; s <= 110; s += 5) {
            roundAt(s, nodeB);
        }
        assertThat(otherBackend.submitted).isEmpty();
        assertThat(stored(inFlight).phase()).isEqualTo(Phase.QUEUED);
        assertThat(stored(inFlight).lease().nodeId()).isEqualTo("node-a");
        assertThat(stored(executing).phase()).isEqualTo(Phase.EXECUTING);
        assertThat(stored(executing).lease().nodeId()).isEqualTo("node-a");

        roundAt(111, nodeA);
        assertThat(stored(inFlight).phase()).isEqualTo(Phase.EXECUTING);
        for (Job j : List.of(executing, inFlight)) {
            assertThat(stored(j).lease()).as("re-asserted lease of %s", j.jobId())
                    .isEqualTo(new Lease("node-a", T0.plusSeconds(111).plus(LEASE), "scripted", "ref-" + j.jobId()));
        }
        // long after the grace, node A alive and renewing: node B never takes either job
        for (long s = 115; s <= 400; s += 5) {
            roundAt(s, nodeB, nodeA);
        }
        assertThat(otherBackend.submitted).isEmpty();
        assertThat(stored(executing).phase()).isEqualTo(Phase.EXECUTING);
        backend.events(executing.jobId()).completed();
        backend.events(inFlight.jobId()).completed();
        assertThat(stored(executing).phase()).isEqualTo(Phase.COMPLETED);
        assertThat(stored(inFlight).phase()).isEqualTo(Phase.COMPLETED);
        assertThat(backend.submitted).containsExactlyInAnyOrder(executing.jobId(), inFlight.jobId());
    }

    @Test
    void aLeaseStillLapsedOneLeaseDurationAfterTheOutageIsRecoveredAtMostOnce() {
        setUp();
        Job inFlight = queued();
        nodeA.dispatch();
        Engine nodeB = engine("node-b", otherBackend);
        roundAt(1, nodeA, nodeB);
        store.down = true;
        roundAt(40, nodeB, nodeA);
        store.down = false;
        // node A never comes back; node B saw the store again at +60 s
        roundAt(60, nodeB);
        roundAt(89, nodeB);
        assertThat(stored(inFlight).phase()).as("within the grace").isEqualTo(Phase.QUEUED);
        roundAt(90, nodeB);
        Job after = stored(inFlight);
        assertThat(after.phase()).as("it may have started on node A: never run it again").isEqualTo(Phase.ERROR);
        assertThat(after.error().message()).isEqualTo("interrupted: node lost");
        assertThat(after.error().type()).isEqualTo(ErrorSummary.Type.TRANSIENT);
        assertThat(otherBackend.submitted).isEmpty();
    }

    @Test
    void aClaimWhoseSubmissionCouldNotBeRecordedIsReleasedAndRunsOnce() {
        setUp();
        Job j = queued();
        store.updatesFail = true;
        assertThat(nodeA.dispatch()).isZero();
        assertThat(backend.submitted).as("not submitted while the lease cannot name the backend").isEmpty();
        assertThat(stored(j).lease().nodeId()).isEqualTo("node-a");
        assertThat(stored(j).lease().backend()).isNull();

        store.updatesFail = false;
        roundAt(1, nodeA);
        assertThat(backend.submitted).containsExactly(j.jobId());
        assertThat(stored(j).lease().backendRef()).isEqualTo("ref-" + j.jobId());
        backend.events(j.jobId()).started();
        backend.events(j.jobId()).completed();
        for (long s = 2; s <= 200; s += 10) {
            roundAt(s, nodeA);
        }
        assertThat(stored(j).phase()).isEqualTo(Phase.COMPLETED);
        assertThat(backend.submitted).containsExactly(j.jobId());
    }

    @Test
    void aNodeWhoseJobWasTakenOverStopsItsLocalExecutionAndIgnoresItsEvents() {
        setUp();
        Job j = queued();
        nodeA.dispatch();
        ExecutionEvents ev = backend.events(j.jobId());
        ev.started();
        Lease nodeB = new Lease("node-b", T0.plusSeconds(100), "scripted", "ref-b");
        Job cur = stored(j);
        memory.update(cur.toBuilder().lease(nodeB).version(cur.version() + 1).build());

        roundAt(11, nodeA);
        assertThat(backend.aborts).containsExactly("ref-" + j.jobId());
        assertThat(running(nodeA)).isEmpty();
        assertThat(ev.abortRequested()).isTrue();
        ev.progress(0.9, null);
        ev.aborted("stopped");
        Job after = stored(j);
        assertThat(after.phase()).isEqualTo(Phase.EXECUTING);
        assertThat(after.lease()).isEqualTo(nodeB);
        assertThat(after.jobInfo()).doesNotContainKey("progress");
    }

    @Test
    void recoveryReQueuesOnlyJobsKnownNeverToHaveBeenSubmitted() {
        setUp();
        Job neverSubmitted = queued();
        Job maybeStarted = queued();
        Job submitted = queued();
        Instant lapsed = T0.plusSeconds(5);
        lease(neverSubmitted, new Lease("node-x", lapsed, null, null));
        lease(maybeStarted, new Lease("node-x", lapsed, "scripted", null));
        lease(submitted, new Lease("node-x", lapsed, "scripted", "ref-x"));
        clock.set(T0.plusSeconds(10));
        assertThat(nodeA.dispatch()).as("claims never take a lapsed lease").isZero();
        assertThat(nodeA.housekeep()).isEqualTo(3);
        assertThat(stored(neverSubmitted).phase()).isEqualTo(Phase.QUEUED);
        assertThat(stored(neverSubmitted).lease()).isNull();
        for (Job j : List.of(maybeStarted, submitted)) {
            assertThat(stored(j).phase()).isEqualTo(Phase.ERROR);
            assertThat(stored(j).error().message()).isEqualTo("interrupted: node lost");
        }
        assertThat(nodeA.dispatch()).isEqualTo(1);
        assertThat(backend.submitted).containsExactly(neverSubmitted.jobId());
    }

    @Test
    void aRerunnableJobWhoseNodeDiedIsReQueuedEvenIfItMayHaveStarted() {
        setUp(JobDefinition.builder("echo").rerunnable(true).build());
        Job j = queued();
        lease(j, new Lease("node-x", T0.plusSeconds(5), "scripted", null));
        clock.set(T0.plusSeconds(10));
        nodeA.housekeep();
        assertThat(stored(j).phase()).isEqualTo(Phase.QUEUED);
        assertThat(nodeA.dispatch()).isEqualTo(1);
        assertThat(backend.submitted).containsExactly(j.jobId());
    }

    @Test
    void closeStoresKeptEventsWhenTheStoreReturnsWithinTheGrace() {
        setUp();
        Job j = queued();
        nodeA.dispatch();
        ExecutionEvents ev = backend.events(j.jobId());
        store.down = true;
        ev.started();
        ev.completed();
        store.down = false;
        nodeA.close();
        assertThat(stored(j).phase()).isEqualTo(Phase.COMPLETED);
        assertThat(stored(j).lease()).isNull();
    }

    /** Runs each job on its own thread: started, then waits for the gate (bounded), then completed. */
    static final class GatedBackend implements org.uwskit.spi.ExecutionBackend {
        final java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);
        final java.util.Map<String, java.util.concurrent.atomic.AtomicInteger> executions =
                new java.util.concurrent.ConcurrentHashMap<>();
        final java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3, r -> {
            Thread t = new Thread(r, "gated-backend");
            t.setDaemon(true);
            return t;
        });

        @Override
        public String name() {
            return "gated";
        }

        @Override
        public boolean accepts(String jobType) {
            return true;
        }

        @Override
        public String submit(org.uwskit.spi.JobTemplate t, ExecutionEvents ev) {
            pool.execute(() -> {
                ev.started();
                executions.computeIfAbsent(t.jobId(), k -> new java.util.concurrent.atomic.AtomicInteger())
                        .incrementAndGet();
                try {
                    if (gate.await(10, java.util.concurrent.TimeUnit.SECONDS)) {
                        ev.completed();
                    } else {
                        ev.failed("the test never opened the gate", null);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    ev.aborted("interrupted");
                }
            });
            return "gated-" + t.jobId();
        }

        @Override
        public void abort(String ref) {
        }

        @Override
        public java.util.Map<String, BackendState> states(java.util.Collection<String> refs) {
            return java.util.Map.of();
        }

        @Override
        public void close() {
            pool.shutdownNow();
        }
    }

    @Test
    void aStartedEngineRunsEveryJobOnceThroughAnOutageLongerThanItsLease() {
        service = JobService.builder().store(store).resultStore(results)
                .jobList(JobList.builder("demo").definition(JobDefinition.builder("echo").build())
                        .policy(JobListPolicy.builder().maxExecutingJobs(3).build()).build()).build();
        GatedBackend gated = new GatedBackend();
        Engine live = Engine.builder(service).nodeId("live").backend(gated).pollInterval(Duration.ofMillis(20))
                .housekeepingInterval(Duration.ofMillis(20)).leaseDuration(Duration.ofMillis(300))
                .shutdownGrace(Duration.ofSeconds(2)).build();
        engines.add(live);
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            jobs.add(queued());
        }
        live.start();
        DefaultEngineTest.awaitTrue(() -> jobs.stream().filter(j -> stored(j).phase() == Phase.EXECUTING).count() == 3,
                "three jobs executing");
        store.down = true;
        gated.gate.countDown();
        DefaultEngineTest.awaitTrue(() -> jobs.stream().map(this::stored).filter(j -> j.phase() == Phase.EXECUTING)
                .allMatch(j -> j.lease().expiresAt().isBefore(java.time.Instant.now())), "the leases lapsed");
        assertThat(jobs).extracting(j -> stored(j).phase()).as("nothing stored during the outage")
                .containsOnly(Phase.EXECUTING, Phase.QUEUED);
        store.down = false;
        DefaultEngineTest.awaitTrue(() -> jobs.stream().allMatch(j -> stored(j).phase() == Phase.COMPLETED),
                "every job completed");
        for (Job j : jobs) {
            assertThat(gated.executions.get(j.jobId())).as("executions of %s", j.jobId()).hasValue(1);
            assertThat(stored(j).history()).extracting(PhaseChange::to)
                    .containsExactly(Phase.PENDING, Phase.QUEUED, Phase.EXECUTING, Phase.COMPLETED);
        }
        assertThat(store.refused.get()).as("store calls refused during the outage").isPositive();
    }

    private void lease(Job j, Lease l) {
        Job cur = stored(j);
        memory.update(cur.toBuilder().lease(l).version(cur.version() + 1).build());
    }
}
