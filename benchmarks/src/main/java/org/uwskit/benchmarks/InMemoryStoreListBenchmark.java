package org.uwskit.benchmarks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.uwskit.Job;
import org.uwskit.JobFilter;
import org.uwskit.JobRef;
import org.uwskit.Phase;
import org.uwskit.memory.InMemoryJobStore;
import org.uwskit.spi.JobStore;

/**
 * Listing from an {@link InMemoryJobStore} holding {@link #jobs} jobs (1% EXECUTING): LAST=10, PHASE=EXECUTING with
 * LAST=10, and every EXECUTING job (paged by keyset, 1,000 per page, as the JobService streams a list). The baseline
 * answers the same three queries by a linear scan of a plain {@link ArrayList} of the same refs, in no particular
 * order (as a store without indexes would keep them), using the same {@link JobFilter#matches} and list order. The
 * smoke test checks that both return the same refs in the same order.
 *
 * <p>The store is filled once per trial (not timed) and only read by the benchmarks.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Benchmark)
public class InMemoryStoreListBenchmark {
    /** Jobs in the store and in the baseline list. */
    @Param("1000000")
    public int jobs;

    /** Page size used to read a whole filtered list from the store. */
    static final int PAGE = 1000;
    /** List order of JobFilter: creationTime descending, then jobId descending. */
    static final Comparator<JobRef> LIST_ORDER =
            Comparator.comparing(JobRef::creationTime).thenComparing(JobRef::jobId).reversed();

    static final JobFilter LAST_10 = JobFilter.all(Fixtures.JOB_LIST).withLast(10);
    static final JobFilter EXECUTING_LAST_10 = LAST_10.withPhases(Set.of(Phase.EXECUTING));
    static final JobFilter EXECUTING_ALL = JobFilter.all(Fixtures.JOB_LIST).withPhases(Set.of(Phase.EXECUTING));

    InMemoryJobStore store;
    List<JobRef> plain;

    /** Fills the store and the plain list with the same jobs. */
    @Setup(Level.Trial)
    public void setup() {
        store = new InMemoryJobStore();
        plain = new ArrayList<>(jobs);
        for (int i = 0; i < jobs; i++) {
            Job job = Job.builder(Fixtures.jobId(i), Fixtures.JOB_LIST, "bench", Fixtures.BASE.plusSeconds(i))
                    .ownerId(Fixtures.owner(i))
                    .runId(Fixtures.runId(i))
                    .rawPhase(Fixtures.phase(i))
                    .build();
            store.insert(job);
            plain.add(job.ref());
        }
        Collections.shuffle(plain, new Random(42));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        store.close();
    }

    /** uwskit: the 10 newest jobs. */
    @Benchmark
    public List<JobRef> storeLast10() {
        return store.list(LAST_10, null, LAST_10.last());
    }

    /** Baseline: the 10 newest jobs by a scan with a bounded heap. */
    @Benchmark
    public List<JobRef> baselineScanLast10() {
        return scanLast(plain, LAST_10);
    }

    /** uwskit: the 10 newest EXECUTING jobs. */
    @Benchmark
    public List<JobRef> storeExecutingLast10() {
        return store.list(EXECUTING_LAST_10, null, EXECUTING_LAST_10.last());
    }

    /** Baseline: the 10 newest EXECUTING jobs by a scan with a bounded heap. */
    @Benchmark
    public List<JobRef> baselineScanExecutingLast10() {
        return scanLast(plain, EXECUTING_LAST_10);
    }

    /** uwskit: every EXECUTING job, page by page. */
    @Benchmark
    public List<JobRef> storeExecutingAll() {
        return readAll(store, EXECUTING_ALL);
    }

    /** Baseline: every EXECUTING job by a scan, then a sort into list order. */
    @Benchmark
    public List<JobRef> baselineScanExecutingAll() {
        List<JobRef> out = new ArrayList<>();
        for (JobRef r : plain) {
            if (EXECUTING_ALL.matches(r)) {
                out.add(r);
            }
        }
        out.sort(LIST_ORDER);
        return out;
    }

    /** Reads a whole filtered list through keyset pages, as a lazy job list does. */
    static List<JobRef> readAll(JobStore store, JobFilter filter) {
        List<JobRef> out = new ArrayList<>();
        JobStore.Cursor cursor = null;
        while (true) {
            List<JobRef> page = store.list(filter, cursor, PAGE);
            out.addAll(page);
            if (page.size() < PAGE) {
                return out;
            }
            cursor = JobStore.Cursor.after(page.get(page.size() - 1));
        }
    }

    /** The {@code filter.last()} first refs in list order among those matching, by one pass over {@code refs}. */
    static List<JobRef> scanLast(List<JobRef> refs, JobFilter filter) {
        int n = filter.last();
        // min-heap in list order: its head is the ref that sorts last among those kept
        PriorityQueue<JobRef> kept = new PriorityQueue<>(n + 1, LIST_ORDER.reversed());
        for (JobRef r : refs) {
            if (!filter.matches(r)) {
                continue;
            }
            if (kept.size() < n) {
                kept.add(r);
            } else if (LIST_ORDER.compare(r, kept.peek()) < 0) {
                // r is newer than the oldest kept: one comparison decides for most refs, as a tuned scan would
                kept.poll();
                kept.add(r);
            }
        }
        List<JobRef> out = new ArrayList<>(kept);
        out.sort(LIST_ORDER);
        return out;
    }
}
