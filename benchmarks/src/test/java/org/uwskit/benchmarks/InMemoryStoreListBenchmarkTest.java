package org.uwskit.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.uwskit.JobRef;
import org.uwskit.Phase;

/** Runs each store-list benchmark body once on 120,000 jobs and checks the store and the scan agree. */
class InMemoryStoreListBenchmarkTest {
    private static final int N = 120_000;

    private final InMemoryStoreListBenchmark bench = new InMemoryStoreListBenchmark();

    InMemoryStoreListBenchmarkTest() {
        bench.jobs = N;
        bench.setup();
    }

    @AfterEach
    void close() {
        bench.tearDown();
    }

    @Test
    void last10IsTheTenNewestJobsInBoth() {
        List<JobRef> store = bench.storeLast10();
        assertThat(store).hasSize(10);
        assertThat(store.get(0)).isEqualTo(Fixtures.ref(N - 1));
        assertThat(store.get(9)).isEqualTo(Fixtures.ref(N - 10));
        assertThat(bench.baselineScanLast10()).isEqualTo(store);
    }

    @Test
    void executingLast10IsTheTenNewestExecutingJobsInBoth() {
        List<JobRef> store = bench.storeExecutingLast10();
        assertThat(store).hasSize(10).allMatch(r -> r.phase() == Phase.EXECUTING);
        // every 100th job executes: the newest is job 119,900
        assertThat(store.get(0)).isEqualTo(Fixtures.ref(N - 100));
        assertThat(bench.baselineScanExecutingLast10()).isEqualTo(store);
    }

    @Test
    void executingAllPagesThroughTheStoreAndMatchesTheScan() {
        List<JobRef> store = bench.storeExecutingAll();
        assertThat(N / 100).isGreaterThan(InMemoryStoreListBenchmark.PAGE);
        assertThat(store).hasSize(N / 100).allMatch(r -> r.phase() == Phase.EXECUTING).doesNotHaveDuplicates();
        assertThat(bench.baselineScanExecutingAll()).isEqualTo(store);
    }
}
