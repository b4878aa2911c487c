package org.uwskit.benchmarks;

import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
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
import org.uwskit.JobIds;
import org.uwskit.JobList;
import org.uwskit.JobRequest;
import org.uwskit.JobService;
import org.uwskit.Phase;
import org.uwskit.memory.InMemoryJobStore;
import org.uwskit.memory.InMemoryResultStore;
import org.uwskit.spi.ExecutionBackend;
import org.uwskit.spi.ExecutionEvents;
import org.uwskit.spi.JobTemplate;

/**
 * Jobs created, run and completed per second, single-threaded: {@link JobService#create} with PHASE=RUN, then one
 * {@link Engine#dispatch()} of an engine in manual mode (no threads) whose backend reports started and completed
 * from inside {@code submit}, so each operation takes one job from nothing to COMPLETED. The baseline does the raw
 * {@link InMemoryJobStore} writes of the same job life (insert QUEUED, update to EXECUTING, update to COMPLETED,
 * with the same random job ids and clock reads), so the ratio is the API and engine's overhead: validation, limits,
 * quotes, listeners, claiming with a lease, the phase machine and the change feed.
 *
 * <p>Each iteration starts from empty stores (setup per iteration, not timed), so stores do not grow across the run.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Benchmark)
public class JobServiceThroughputBenchmark {
    static final JobRequest RUN = JobRequest.builder().parameter("n", "1").run().build();

    final Clock clock = Clock.systemUTC();
    JobService service;
    Engine engine;
    InMemoryJobStore rawStore;

    /** Fresh service, engine and raw store. */
    @Setup(Level.Iteration)
    public void setup() {
        JobList list = JobList.builder(Fixtures.JOB_LIST).definition(JobDefinition.builder("bench").build()).build();
        service = JobService.builder()
                .clock(clock)
                .store(new InMemoryJobStore())
                .resultStore(new InMemoryResultStore())
                .jobList(list)
                .build();
        engine = Engine.builder(service).nodeId("bench").manual().backend(new NoopBackend()).build();
        rawStore = new InMemoryJobStore();
    }

    /** Closes in order: engine, service, stores. */
    @TearDown(Level.Iteration)
    public void tearDown() {
        engine.close();
        service.close();
        rawStore.close();
    }

    /** uwskit: create with PHASE=RUN, dispatch, completed by the backend. Returns the id of the job. */
    @Benchmark
    public String apiCreateRunComplete() {
        Job job = service.create(Caller.system(), Fixtures.JOB_LIST, RUN);
        if (engine.dispatch() != 1) {
            throw new IllegalStateException("the engine did not submit job " + job.jobId());
        }
        return job.jobId();
    }

    /** Baseline: the same job life as three raw store writes. Returns the completed snapshot. */
    @Benchmark
    public Job baselineRawStore() {
        Instant created = clock.instant();
        Job queued = Job.builder(JobIds.next(), Fixtures.JOB_LIST, "bench", created)
                .phase(Phase.PENDING, created, null)
                .phase(Phase.QUEUED, created, null)
                .build();
        rawStore.insert(queued);
        Instant started = clock.instant();
        Job executing = queued.toBuilder().phase(Phase.EXECUTING, started, null).startTime(started)
                .version(queued.version() + 1).build();
        rawStore.update(executing);
        Instant ended = clock.instant();
        Job completed = executing.toBuilder().phase(Phase.COMPLETED, ended, null).endTime(ended)
                .version(executing.version() + 1).build();
        rawStore.update(completed);
        return completed;
    }

    /** Completes every job inside {@code submit}. Stateless and thread-safe. */
    static final class NoopBackend implements ExecutionBackend {
        @Override
        public String name() {
            return "noop";
        }

        @Override
        public boolean accepts(String jobType) {
            return true;
        }

        @Override
        public String submit(JobTemplate template, ExecutionEvents events) {
            events.started();
            events.completed();
            return "noop-" + template.jobId();
        }

        @Override
        public void abort(String backendRef) {
            // nothing runs
        }

        @Override
        public Map<String, BackendState> states(Collection<String> backendRefs) {
            Map<String, BackendState> out = new HashMap<>();
            for (String ref : backendRefs) {
                out.put(ref, BackendState.DONE);
            }
            return out;
        }

        @Override
        public void close() {
            // nothing to release
        }
    }
}
