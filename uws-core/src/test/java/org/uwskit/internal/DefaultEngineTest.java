package org.uwskit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.uwskit.BlobKind;
import org.uwskit.Caller;
import org.uwskit.DestructionMode;
import org.uwskit.Engine;
import org.uwskit.ErrorSummary;
import org.uwskit.Job;
import org.uwskit.Lease;
import org.uwskit.JobDefinition;
import org.uwskit.JobFilter;
import org.uwskit.JobList;
import org.uwskit.JobListPolicy;
import org.uwskit.JobRequest;
import org.uwskit.JobService;
import org.uwskit.Phase;
import org.uwskit.PhaseChange;
import org.uwskit.Result;
import org.uwskit.memory.InMemoryJobStore;
import org.uwskit.memory.InMemoryResultStore;
import org.uwskit.spi.ExecutionEvents;
import org.uwskit.spi.JobListener;
import org.uwskit.spi.JobTemplate;
import org.uwskit.spi.Reattachable;

/** The engine in manual mode, driven by a settable clock and a scripted backend: every step is explicit. */
class DefaultEngineTest {
    static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
    static final Caller ALICE = Caller.of("alice");

    final TestClock clock = new TestClock(T0);
    final InMemoryJobStore store = new InMemoryJobStore();
    final InMemoryResultStore results = new InMemoryResultStore();
    final ScriptedBackend backend = new ScriptedBackend();
    final List<String> destroyed = new CopyOnWriteArrayList<>();
    final List<Engine> engines = new ArrayList<>();
    JobService service;
    Engine engine;

    void setUp(JobListPolicy policy, JobDefinition def) {
        service = JobService.builder().clock(clock).store(store).resultStore(results)
                .jobList(JobList.builder("demo").policy(policy).definition(def).build())
                .listener(new JobListener() {
                    @Override
                    public void destroyed(Job job) {
                        destroyed.add(job.jobId());
                    }
                }).build();
        engine = engine("node-a", backend);
    }

    void setUp(JobListPolicy policy) {
        setUp(policy, JobDefinition.builder("echo").build());
    }

    Engine engine(String node, org.uwskit.spi.ExecutionBackend b) {
        Engine e = Engine.builder(service).nodeId(node).backend(b).leaseDuration(Duration.ofSeconds(30))
                .shutdownGrace(Duration.ofMillis(100)).manual()
                .build();
        engines.add(e);
        return e;
    }

    @AfterEach
    void tearDown() {
        engines.forEach(Engine::close);
        if (service != null) {
            service.close();
        }
    }

    Job queued() {
        return service.create(ALICE, "demo", JobRequest.builder().run().build());
    }

    Job get(Job j) {
        return store.get(j.jobId()).orElseThrow();
    }

    Job started() {
        Job j = queued();
        assertThat(engine.dispatch()).isEqualTo(1);
        backend.events(j.jobId()).started();
        return get(j);
    }

    @Test
    void aJobRunsThroughTheBackendEvents() throws Exception {
        setUp(JobListPolicy.defaults());
        Job j = queued();
        assertThat(engine.dispatch()).isEqualTo(1);
        Job claimed = get(j);
        assertThat(claimed.lease()).isEqualTo(new org.uwskit.Lease("node-a", T0.plusSeconds(30), "scripted",
                "ref-" + j.jobId()));
        JobTemplate t = backend.templates.get(j.jobId());
        assertThat(t.jobType()).isEqualTo("echo");
        assertThat(t.ownerId()).isEqualTo("alice");

        ExecutionEvents ev = backend.events(j.jobId());
        clock.advance(Duration.ofSeconds(2));
        ev.started();
        assertThat(get(j).phase()).isEqualTo(Phase.EXECUTING);
        assertThat(get(j).startTime()).isEqualTo(T0.plusSeconds(2));
        ev.progress(0.25, "a quarter");
        ev.info("clusterId", "c-17");
        assertThat(get(j).jobInfo()).containsEntry("progress", "0.250").containsEntry("progressMessage", "a quarter")
                .containsEntry("clusterId", "c-17");
        try (OutputStream out = ev.openResult("out", "text/plain")) {
            out.write("hello".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(get(j).results()).containsExactly(Result.stored("out", "text/plain", 5));
        clock.advance(Duration.ofSeconds(8));
        ev.completed();
        Job done = get(j);
        assertThat(done.phase()).isEqualTo(Phase.COMPLETED);
        assertThat(done.endTime()).isEqualTo(T0.plusSeconds(10));
        assertThat(done.lease()).isNull();
        assertThat(done.history()).extracting(PhaseChange::to)
                .containsExactly(Phase.PENDING, Phase.QUEUED, Phase.EXECUTING, Phase.COMPLETED);
        assertThat(engine.runningJobIds()).isEmpty();
        // the default quote estimator learned 8 s from this job
        Job next = service.create(ALICE, "demo", JobRequest.builder().build());
        assertThat(next.quote()).isEqualTo(clock.instant().plusSeconds(8));
    }

    @Test
    void dispatchRespectsMaxExecutingJobsPerNode() {
        setUp(JobListPolicy.builder().maxExecutingJobs(2).build());
        Job a = queued();
        clock.advance(Duration.ofMillis(1));
        Job b = queued();
        clock.advance(Duration.ofMillis(1));
        Job c = queued();
        assertThat(engine.dispatch()).isEqualTo(2);
        assertThat(backend.events.keySet()).containsExactlyInAnyOrder(a.jobId(), b.jobId());
        assertThat(engine.dispatch()).isZero();
        backend.events(a.jobId()).started();
        backend.events(a.jobId()).completed();
        assertThat(engine.dispatch()).isEqualTo(1);
        assertThat(backend.events).containsKey(c.jobId());
    }

    @Test
    void failuresBecomeErrors() {
        setUp(JobListPolicy.defaults());
        Job j = started();
        backend.events(j.jobId()).failed("disk full", "trace...");
        assertThat(get(j).phase()).isEqualTo(Phase.ERROR);
        assertThat(get(j).error()).isEqualTo(new ErrorSummary(ErrorSummary.Type.FATAL, "disk full", "trace..."));
        assertThat(get(j).endTime()).isEqualTo(T0);
    }

    @Test
    void aRefusedSubmissionOrAnUnsupportedTypeIsAnError() {
        setUp(JobListPolicy.defaults(), JobDefinition.builder("unsupported-type").build());
        Job j = queued();
        engine.dispatch();
        assertThat(get(j).phase()).isEqualTo(Phase.ERROR);
        assertThat(get(j).error().message()).contains("no execution backend").contains("unsupported-type");
        service.close();
        engines.forEach(Engine::close);
        engines.clear();
        setUp(JobListPolicy.defaults(), JobDefinition.builder("refused").build());
        backend.failSubmitFor.add("refused");
        Job k = queued();
        engine.dispatch();
        assertThat(get(k).phase()).isEqualTo(Phase.ERROR);
        assertThat(get(k).error().message()).isEqualTo("cluster refused the job");
        assertThat(engine.runningJobIds()).isEmpty();
    }

    @Test
    void clientAbortStopsTheBackendAndALaterCompletionIsIgnored() {
        setUp(JobListPolicy.defaults());
        Job j = started();
        service.abort(ALICE, "demo", j.jobId());
        assertThat(backend.aborts).containsExactly("ref-" + j.jobId());
        backend.events(j.jobId()).completed();
        backend.events(j.jobId()).aborted("stopped");
        Job after = get(j);
        assertThat(after.phase()).isEqualTo(Phase.ABORTED);
        assertThat(after.history()).extracting(PhaseChange::to)
                .containsExactly(Phase.PENDING, Phase.QUEUED, Phase.EXECUTING, Phase.ABORTED);
        assertThat(backend.events(j.jobId()).abortRequested()).isTrue();
    }

    @Test
    void concurrentAbortAndCompletionEndInExactlyOneTerminalPhase() throws Exception {
        setUp(JobListPolicy.builder().maxExecutingJobs(1000).quotas(org.uwskit.Quotas.unlimited()).build());
        int rounds = 300;
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            jobs.add(queued());
        }
        engine.dispatch();
        for (Job j : jobs) {
            backend.events(j.jobId()).started();
        }
        int aborted = 0;
        int completed = 0;
        for (Job j : jobs) {
            ExecutionEvents ev = backend.events(j.jobId());
            CountDownLatch go = new CountDownLatch(1);
            java.util.concurrent.atomic.AtomicReference<Object> answer = new java.util.concurrent.atomic.AtomicReference<>();
            Thread client = new Thread(() -> {
                awaitLatch(go);
                try {
                    answer.set(service.abort(ALICE, "demo", j.jobId()).phase());
                } catch (org.uwskit.IllegalPhaseTransitionException e) {
                    answer.set(e.from());
                }
            });
            Thread worker = new Thread(() -> {
                awaitLatch(go);
                ev.completed();
            });
            client.start();
            worker.start();
            go.countDown();
            client.join(5000);
            worker.join(5000);
            Job end = get(j);
            long terminals = end.history().stream().filter(c -> c.to().isFinished()).count();
            assertThat(terminals).as("history of %s: %s", j.jobId(), end.history()).isEqualTo(1);
            assertThat(end.history().get(end.history().size() - 1).to()).isEqualTo(end.phase());
            assertThat(answer.get()).as("what the client was told agrees with what was stored")
                    .isEqualTo(end.phase());
            if (end.phase() == Phase.ABORTED) {
                aborted++;
            } else {
                assertThat(end.phase()).isEqualTo(Phase.COMPLETED);
                completed++;
            }
        }
        assertThat(aborted + completed).isEqualTo(rounds);
    }

    private static void awaitLatch(CountDownLatch l) {
        try {
            l.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void theWatchdogAbortsExactlyAtTheDeadlineAndKeepsResults() throws Exception {
        setUp(JobListPolicy.defaults());
        Job j = service.create(ALICE, "demo", JobRequest.builder().executionDuration(10L).run().build());
        engine.dispatch();
        clock.set(T0.plusSeconds(1));
        ExecutionEvents ev = backend.events(j.jobId());
        ev.started();
        try (OutputStream out = ev.openResult("partial", "text/plain")) {
            out.write('x');
        }
        clock.set(T0.plusSeconds(11).minusSeconds(1));
        assertThat(engine.housekeep()).isZero();
        assertThat(get(j).phase()).isEqualTo(Phase.EXECUTING);
        clock.set(T0.plusSeconds(11));
        assertThat(engine.housekeep()).isEqualTo(1);
        Job after = get(j);
        assertThat(after.phase()).isEqualTo(Phase.ABORTED);
        assertThat(after.endTime()).isEqualTo(T0.plusSeconds(11));
        assertThat(after.history().get(after.history().size() - 1).reason()).isEqualTo("execution duration exceeded");
        assertThat(after.results()).extracting(Result::id).containsExactly("partial");
        assertThat(results.size(j.jobId(), BlobKind.RESULT, "partial")).isEqualTo(1);
        assertThat(backend.aborts).containsExactly("ref-" + j.jobId());
    }

    @Test
    void theReaperDeletesExactlyAtTheDestructionInstant() throws Exception {
        setUp(JobListPolicy.defaults());
        Job done = started();
        try (OutputStream out = backend.events(done.jobId()).openResult("r", null)) {
            out.write(1);
        }
        backend.events(done.jobId()).completed();
        service.setDestruction(ALICE, "demo", done.jobId(), T0.plusSeconds(100));
        Job running = started();
        service.setDestruction(ALICE, "demo", running.jobId(), T0.plusSeconds(100));
        Job later = queued();
        service.setDestruction(ALICE, "demo", later.jobId(), T0.plusSeconds(101));

        clock.set(T0.plusSeconds(99));
        assertThat(engine.housekeep()).isZero();
        assertThat(store.get(done.jobId())).isPresent();
        clock.set(T0.plusSeconds(100));
        assertThat(engine.housekeep()).isEqualTo(2);
        assertThat(store.get(done.jobId())).isEmpty();
        assertThat(store.get(running.jobId())).isEmpty();
        assertThat(store.get(later.jobId())).isPresent();
        assertThat(results.size(done.jobId(), BlobKind.RESULT, "r")).isEqualTo(-1);
        assertThat(backend.aborts).containsExactly("ref-" + running.jobId());
        assertThat(destroyed).containsExactlyInAnyOrder(done.jobId(), running.jobId());
    }

    @Test
    void inArchiveModeFinishedJobsAreArchivedAndLoseTheirResultBytes() throws Exception {
        setUp(JobListPolicy.builder().destructionMode(DestructionMode.ARCHIVE).build());
        Job done = started();
        ExecutionEvents ev = backend.events(done.jobId());
        try (OutputStream out = ev.openResult("r", null)) {
            out.write(1);
        }
        ev.addResult(new Result("elsewhere", java.net.URI.create("http://example.org/x"), null, -1));
        ev.completed();
        Job running = started();
        for (Job j : List.of(done, running)) {
            service.setDestruction(ALICE, "demo", j.jobId(), T0.plusSeconds(60));
        }
        clock.set(T0.plusSeconds(59));
        assertThat(engine.housekeep()).isZero();
        clock.set(T0.plusSeconds(60));
        assertThat(engine.housekeep()).isEqualTo(2);
        Job a = get(done);
        assertThat(a.phase()).isEqualTo(Phase.ARCHIVED);
        assertThat(a.results()).extracting(Result::id).containsExactly("elsewhere");
        assertThat(results.size(done.jobId(), BlobKind.RESULT, "r")).isEqualTo(-1);
        Job b = get(running);
        assertThat(b.history()).extracting(PhaseChange::to).endsWith(Phase.EXECUTING, Phase.ABORTED, Phase.ARCHIVED);
        assertThat(backend.aborts).containsExactly("ref-" + running.jobId());
        assertThat(destroyed).isEmpty();
        assertThat(DefaultJobServiceTest.ids(service.list(ALICE, JobFilter.all("demo")))).isEmpty();
        assertThat(DefaultJobServiceTest.ids(service.list(ALICE, JobFilter.all("demo")
                .withPhases(Set.of(Phase.ARCHIVED))))).containsExactlyInAnyOrder(done.jobId(), running.jobId());
        assertThat(engine.housekeep()).as("archived jobs are not due again").isZero();
    }

    @Test
    void leasesAreRenewedWhileTheNodeLives() {
        setUp(JobListPolicy.defaults());
        Job j = started();
        Engine other = engine("node-b", new ScriptedBackend());
        for (int s = 10; s <= 120; s += 10) {
            clock.set(T0.plusSeconds(s));
            engine.housekeep();
            other.housekeep();
        }
        Job now = get(j);
        assertThat(now.phase()).isEqualTo(Phase.EXECUTING);
        assertThat(now.lease().nodeId()).isEqualTo("node-a");
        assertThat(now.lease().expiresAt()).isEqualTo(T0.plusSeconds(120 + 30));
    }

    @Test
    void anExecutingJobOfADeadNodeEndsInError() {
        setUp(JobListPolicy.defaults());
        Job j = started();
        Engine survivor = engine("node-b", new ScriptedBackend());
        clock.set(T0.plusSeconds(30));
        assertThat(survivor.housekeep()).as("the lease expires strictly after 30 s").isZero();
        clock.set(T0.plusSeconds(31));
        assertThat(survivor.housekeep()).isEqualTo(1);
        Job after = get(j);
        assertThat(after.phase()).isEqualTo(Phase.ERROR);
        assertThat(after.error().message()).isEqualTo("interrupted: node lost");
        assertThat(after.lease()).isNull();
    }

    @Test
    void aQueuedJobOfADeadNodeIsRunAgainElsewhere() {
        setUp(JobListPolicy.defaults(), JobDefinition.builder("echo").rerunnable(true).build());
        Job j = queued();
        engine.dispatch();
        ScriptedBackend otherBackend = new ScriptedBackend();
        Engine survivor = engine("node-b", otherBackend);
        clock.set(T0.plusSeconds(31));
        assertThat(survivor.housekeep()).isEqualTo(1);
        assertThat(get(j).phase()).isEqualTo(Phase.QUEUED);
        assertThat(get(j).lease()).isNull();
        assertThat(survivor.dispatch()).isEqualTo(1);
        assertThat(otherBackend.events).containsKey(j.jobId());
        assertThat(get(j).lease().nodeId()).isEqualTo("node-b");
    }

    /** A scripted backend whose jobs outlive the engine: it re-attaches to references it knows. */
    static final class ReattachingBackend implements org.uwskit.spi.ExecutionBackend, Reattachable {
        final ScriptedBackend inner = new ScriptedBackend();
        final Set<String> known = java.util.concurrent.ConcurrentHashMap.newKeySet();
        /** Jobs re-attached without a reference (found by their job id, as SLURM finds them by name). */
        final Set<String> foundByJobId = java.util.concurrent.ConcurrentHashMap.newKeySet();
        /** References this backend was told to stop watching. */
        final List<String> detached = new CopyOnWriteArrayList<>();
        final List<String> aborted = new CopyOnWriteArrayList<>();

        @Override
        public String name() {
            return "scripted";
        }

        @Override
        public boolean accepts(String jobType) {
            return true;
        }

        @Override
        public String submit(JobTemplate t, ExecutionEvents ev) throws BackendException {
            String ref = inner.submit(t, ev);
            known.add(ref);
            return ref;
        }

        @Override
        public boolean reattach(String ref, JobTemplate t, ExecutionEvents ev) {
            if (ref == null && known.contains("ref-" + t.jobId())) {
                foundByJobId.add(t.jobId());
            } else if (ref == null || !known.contains(ref)) {
                return false;
            }
            inner.events.put(t.jobId(), ev);
            return true;
        }

        @Override
        public String referenceOf(String jobId) {
            return foundByJobId.contains(jobId) ? "ref-" + jobId : null;
        }

        @Override
        public void abort(String ref) {
            aborted.add(ref);
            inner.abort(ref);
        }

        @Override
        public void detach(String ref) {
            detached.add(ref);
        }

        @Override
        public java.util.Map<String, BackendState> states(java.util.Collection<String> refs) {
            return inner.states(refs);
        }

        @Override
        public void close() {
        }
    }

    @Test
    void aReattachableBackendIsReattachedInsteadOfFailingTheJob() {
        ReattachingBackend shared = new ReattachingBackend();
        service = JobService.builder().clock(clock).store(store).resultStore(results)
                .jobList(JobList.builder("demo").definition(JobDefinition.builder("echo").build()).build()).build();
        engine = engine("node-a", shared);
        Job j = queued();
        engine.dispatch();
        shared.inner.events(j.jobId()).started();
        Engine survivor = engine("node-b", shared);
        clock.set(T0.plusSeconds(31));
        assertThat(survivor.housekeep()).isEqualTo(1);
        assertThat(get(j).phase()).isEqualTo(Phase.EXECUTING);
        assertThat(get(j).lease().nodeId()).isEqualTo("node-b");
        assertThat(get(j).lease().backendRef()).isEqualTo("ref-" + j.jobId());
        shared.inner.events(j.jobId()).completed();
        assertThat(get(j).phase()).isEqualTo(Phase.COMPLETED);
    }

    /**
     * Node A, alive but cut off from the store for longer than its lease, finds that node B re-attached its job: A
     * detaches its reattachable backend from the job (so that only B's backend watches it, e.g. polls SLURM for it)
     * and never aborts the work, which B now follows to its end.
     */
    @Test
    void aLiveNodeWhoseJobWasTakenOverDetachesItsReattachableBackendWithoutAbortingTheWork() {
        ReattachingBackend onA = new ReattachingBackend();
        ReattachingBackend onB = new ReattachingBackend();
        service = JobService.builder().clock(clock).store(store).resultStore(results)
                .jobList(JobList.builder("demo").definition(JobDefinition.builder("echo").build()).build()).build();
        engine = engine("node-a", onA);
        Job j = queued();
        engine.dispatch();
        onA.inner.events(j.jobId()).started();
        onB.known.addAll(onA.known); // the work outlives node A's view of it (a SLURM job)
        Engine other = engine("node-b", onB);
        clock.set(T0.plusSeconds(31)); // node A renewed nothing for a lease duration
        assertThat(other.housekeep()).isEqualTo(1);
        assertThat(get(j).lease().nodeId()).isEqualTo("node-b");
        assertThat(onA.detached).isEmpty();
        engine.housekeep(); // node A reaches the store again: the lease names node B
        assertThat(onA.detached).containsExactly("ref-" + j.jobId());
        assertThat(onA.aborted).as("the work is node B's now").isEmpty();
        assertThat(get(j).lease().nodeId()).as("not taken back").isEqualTo("node-b");
        engine.housekeep();
        assertThat(onA.detached).as("once").hasSize(1);
        onB.inner.events(j.jobId()).completed();
        assertThat(get(j).phase()).isEqualTo(Phase.COMPLETED);
        assertThat(onB.detached).isEmpty();
    }

    /** The same when node B already finished the job before node A reached the store again. */
    @Test
    void aLiveNodeWhoseJobEndedOnAnotherNodeDetachesItsReattachableBackend() {
        ReattachingBackend onA = new ReattachingBackend();
        ReattachingBackend onB = new ReattachingBackend();
        service = JobService.builder().clock(clock).store(store).resultStore(results)
                .jobList(JobList.builder("demo").definition(JobDefinition.builder("echo").build()).build()).build();
        engine = engine("node-a", onA);
        Job j = queued();
        engine.dispatch();
        onA.inner.events(j.jobId()).started();
        onB.known.addAll(onA.known);
        Engine other = engine("node-b", onB);
        clock.set(T0.plusSeconds(31));
        assertThat(other.housekeep()).isEqualTo(1);
        onB.inner.events(j.jobId()).completed();
        assertThat(get(j).phase()).isEqualTo(Phase.COMPLETED);
        engine.housekeep();
        assertThat(onA.detached).containsExactly("ref-" + j.jobId());
        assertThat(onA.aborted).isEmpty();
        assertThat(get(j).phase()).isEqualTo(Phase.COMPLETED);
    }

    @Test
    void aLeaseThatNamesAReattachableBackendWithoutAReferenceIsReattachedByJobId() {
        ReattachingBackend shared = new ReattachingBackend();
        service = JobService.builder().clock(clock).store(store).resultStore(results)
                .jobList(JobList.builder("demo").definition(JobDefinition.builder("echo").build()).build()).build();
        engine = engine("node-a", shared);
        Job j = queued();
        engine.dispatch();
        // node-a died after the backend took the job but before it stored the reference
        Job cur = get(j);
        store.update(cur.toBuilder().lease(new Lease("node-a", cur.lease().expiresAt(), "scripted", null))
                .version(cur.version() + 1).build());
        Engine survivor = engine("node-b", shared);
        clock.set(T0.plusSeconds(31));
        assertThat(survivor.housekeep()).isEqualTo(1);
        assertThat(shared.foundByJobId).containsExactly(j.jobId());
        assertThat(get(j).lease().nodeId()).isEqualTo("node-b");
        clock.set(T0.plusSeconds(45));
        survivor.housekeep(); // renews the lease, now with the reference the backend gave
        assertThat(get(j).lease().backendRef()).isEqualTo("ref-" + j.jobId());
        shared.inner.events(j.jobId()).started();
        shared.inner.events(j.jobId()).completed();
        assertThat(get(j).phase()).isEqualTo(Phase.COMPLETED);
        assertThat(get(j).history().stream().filter(h -> h.to() == Phase.EXECUTING).count()).isEqualTo(1);
    }

    @Test
    void aStartedEngineIsWokenAtOnceByNewWorkAndClosesIdempotently() {
        service = JobService.builder().store(store).resultStore(results)
                .jobList(JobList.builder("demo").definition(JobDefinition.builder("echo").build()).build()).build();
        backend.reportAbortAtOnce = true;
        Engine live = Engine.builder(service).nodeId("live").backend(backend).pollInterval(Duration.ofHours(1))
                .housekeepingInterval(Duration.ofHours(1)).shutdownGrace(Duration.ofSeconds(5)).build();
        engines.add(live);
        live.start();
        live.start();
        // the first dispatch round runs at start; the job below must be picked up by the wake-up, not the poll
        awaitTrue(() -> threadNames().contains("uws-engine-live-dispatch"), "dispatch thread");
        assertThat(threadNames()).contains("uws-engine-live-housekeeping");
        Job j = queued();
        awaitTrue(() -> backend.events.containsKey(j.jobId()), "job submitted");
        backend.events(j.jobId()).started();
        live.close();
        live.close();
        assertThat(get(j).phase()).as("running work is aborted at close").isEqualTo(Phase.ABORTED);
        assertThat(backend.closed).isTrue();
        awaitTrue(() -> !threadNames().contains("uws-engine-live-dispatch")
                && !threadNames().contains("uws-engine-live-housekeeping"), "threads gone");
    }

    static Set<String> threadNames() {
        Set<String> names = new java.util.HashSet<>();
        Thread.getAllStackTraces().keySet().forEach(t -> names.add(t.getName()));
        return names;
    }

    static void awaitTrue(BooleanSupplier condition, String what) {
        CoreAwait.until(Duration.ofSeconds(10), condition, "timed out waiting for " + what);
    }
}
