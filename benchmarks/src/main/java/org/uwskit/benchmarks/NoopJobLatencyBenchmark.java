package org.uwskit.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.uwskit.Caller;
import org.uwskit.Engine;
import org.uwskit.Job;
import org.uwskit.JobDefinition;
import org.uwskit.JobList;
import org.uwskit.JobRequest;
import org.uwskit.JobService;
import org.uwskit.Phase;
import org.uwskit.local.LocalBackend;
import org.uwskit.memory.InMemoryJobStore;
import org.uwskit.memory.InMemoryResultStore;

/**
 * Latency of one no-op job from {@link JobService#create} with PHASE=RUN to COMPLETED, through the engine's own
 * threads (a started {@link Engine} with its default poll interval, not manual mode) and a {@link LocalBackend}
 * whose job logic does nothing, all on the in-memory stores; the caller waits with
 * {@link JobService#awaitChange} (no polling). Mode: sample time, so JMH reports the median (p0.50) and the tail.
 *
 * <p>Baseline: the least such a hand-off can cost, the same two thread hops done with plain JDK executors (the
 * caller hands a task to a "dispatcher" thread, which hands a no-op to a "worker" thread, whose completion wakes
 * the caller). The issue 13 target is a median of at most 1 ms for uwskit.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@State(Scope.Benchmark)
public class NoopJobLatencyBenchmark {
    static final String JOB_TYPE = "noop";
    static final JobRequest RUN = JobRequest.builder().run().build();
    static final Duration WAIT = Duration.ofSeconds(30);

    JobService service;
    Engine engine;
    Path workRoot;
    ExecutorService dispatcher;
    ExecutorService worker;

    /** A started engine with a local backend running the no-op logic; two single-thread executors for the baseline. */
    @Setup(Level.Trial)
    public void setup() throws IOException {
        workRoot = Files.createTempDirectory("uwskit-noop-bench");
        JobList list = JobList.builder(Fixtures.JOB_LIST).definition(JobDefinition.builder(JOB_TYPE).build()).build();
        service = JobService.builder()
                .store(new InMemoryJobStore())
                .resultStore(new InMemoryResultStore())
                .jobList(list)
                .build();
        LocalBackend backend = LocalBackend.builder().workRoot(workRoot).logic(JOB_TYPE, ctx -> { }).threads(2).build();
        engine = Engine.builder(service).nodeId("bench").backend(backend).build();
        engine.start();
        dispatcher = Executors.newSingleThreadExecutor(r -> new Thread(r, "baseline-dispatcher"));
        worker = Executors.newSingleThreadExecutor(r -> new Thread(r, "baseline-worker"));
    }

    /** Closes engine, service and executors. */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        engine.close();
        service.close();
        dispatcher.shutdownNow();
        worker.shutdownNow();
        try (var files = Files.walk(workRoot)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** uwskit: create with PHASE=RUN and wait until the engine's threads have completed the job. */
    @Benchmark
    public Job createToCompleted() throws Exception {
        Job job = service.create(Caller.system(), Fixtures.JOB_LIST, RUN);
        while (!job.phase().isFinished()) {
            job = service.awaitChange(Caller.system(), Fixtures.JOB_LIST, job.jobId(), WAIT, job.phase())
                    .get(WAIT.toSeconds() + 5, TimeUnit.SECONDS);
        }
        if (job.phase() != Phase.COMPLETED) {
            throw new IllegalStateException("job " + job.jobId() + " ended " + job.phase());
        }
        return job;
    }

    /** Baseline: two plain thread hops and a completion back to the caller. */
    @Benchmark
    public Boolean baselineTwoThreadHops() throws Exception {
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        dispatcher.execute(() -> worker.execute(() -> done.complete(Boolean.TRUE)));
        return done.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }
}
