package org.uwskit.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.uwskit.Job;
import org.uwskit.Phase;

/** Runs each latency benchmark body a few times: the job ends COMPLETED through the engine's threads. */
class NoopJobLatencyBenchmarkTest {
    private final NoopJobLatencyBenchmark bench = new NoopJobLatencyBenchmark();

    NoopJobLatencyBenchmarkTest() throws Exception {
        bench.setup();
    }

    @AfterEach
    void close() throws Exception {
        bench.tearDown();
    }

    @Test
    void everyJobReachesCompletedThroughTheEngineThreads() throws Exception {
        for (int i = 0; i < 3; i++) {
            Job job = bench.createToCompleted();
            assertThat(job.phase()).isEqualTo(Phase.COMPLETED);
            assertThat(job.history()).extracting(c -> c.to())
                    .containsSubsequence(Phase.QUEUED, Phase.EXECUTING, Phase.COMPLETED);
        }
    }

    @Test
    void baselineCompletes() throws Exception {
        assertThat(bench.baselineTwoThreadHops()).isTrue();
    }
}
