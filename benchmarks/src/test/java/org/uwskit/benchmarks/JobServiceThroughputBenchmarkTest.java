package org.uwskit.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.uwskit.Caller;
import org.uwskit.Job;
import org.uwskit.Phase;

/** Runs each throughput benchmark body a few times and checks every job ends COMPLETED. */
class JobServiceThroughputBenchmarkTest {
    private final JobServiceThroughputBenchmark bench = new JobServiceThroughputBenchmark();

    JobServiceThroughputBenchmarkTest() {
        bench.setup();
    }

    @AfterEach
    void close() {
        bench.tearDown();
    }

    @Test
    void everyOperationTakesAJobToCompleted() {
        for (int i = 0; i < 5; i++) {
            String id = bench.apiCreateRunComplete();
            Job job = bench.service.get(Caller.system(), Fixtures.JOB_LIST, id);
            assertThat(job.phase()).isEqualTo(Phase.COMPLETED);
            assertThat(job.startTime()).isNotNull();
            assertThat(job.endTime()).isNotNull();
            assertThat(job.history()).extracting(c -> c.to())
                    .containsSubsequence(Phase.QUEUED, Phase.EXECUTING, Phase.COMPLETED);
        }
    }

    @Test
    void baselineStoresTheSameJobLife() {
        for (int i = 0; i < 5; i++) {
            Job done = bench.baselineRawStore();
            assertThat(done.phase()).isEqualTo(Phase.COMPLETED);
            assertThat(done.version()).isEqualTo(2);
            assertThat(bench.rawStore.get(done.jobId())).contains(done);
        }
        assertThat(bench.rawStore.size()).isEqualTo(5);
    }
}
