package org.uwskit.benchmarks;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
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
import org.uwskit.memory.InMemoryJobStore;
import org.uwskit.memory.InMemoryResultStore;

/**
 * In-JVM latency of one no-op job from {@link JobService#create} (PHASE=RUN) to COMPLETED through a started
 * engine's own threads (not manual mode): the dispatch thread is woken by the change feed, claims the job, submits
 * it to a backend that reports started and completed from inside {@code submit}; the time ends when the store
 * reports the COMPLETED snapshot. Sample mode: read the p50 (target ≤ 1 ms, issue 13). The engine's poll interval
 * is left at its default (1 s), so a dispatcher that waited for its poll would show up at once.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Benchmark)
public class EngineLatencyBenchmark {
    static final JobRequest RUN = JobRequest.builder().parameter("n", "1").run().build();

    JobService service;
    Engine engine;
    InMemoryJobStore store;
    final ConcurrentHashMap<String, CompletableFuture<Void>> done = new ConcurrentHashMap<>();

    /** Fresh service, store and started engine; a store subscriber completes the job's future at COMPLETED. */
    @Setup(Level.Iteration)
    public void setup() {
        store = new InMemoryJobStore();
        store.subscribe(c -> {
            if (c.phase() == Phase.COMPLETED) {
                done.computeIfAbsent(c.jobId(), k -> new CompletableFuture<>()).complete(null);
            }
        });
        JobList list = JobList.builder(Fixtures.JOB_LIST).definition(JobDefinition.builder("bench").build()).build();
        service = JobService.builder()
                .clock(Clock.systemUTC())
                .store(store)
                .resultStore(new InMemoryResultStore())
                .jobList(list)
                .build();
        engine = Engine.builder(service).nodeId("bench").backend(new JobServiceThroughputBenchmark.NoopBackend())
                .build();
        engine.start();
    }

    /** Closes engine, service, store. */
    @TearDown(Level.Iteration)
    public void tearDown() {
        engine.close();
        service.close();
        store.close();
        done.clear();
    }

    /** Create with PHASE=RUN, then wait until the store holds the job COMPLETED. */
    @Benchmark
    public String createRunUntilCompleted() throws Exception {
        Job job = service.create(Caller.system(), Fixtures.JOB_LIST, RUN);
        done.computeIfAbsent(job.jobId(), k -> new CompletableFuture<>()).get(Duration.ofSeconds(10).toMillis(),
                TimeUnit.MILLISECONDS);
        done.remove(job.jobId());
        return job.jobId();
    }
}
