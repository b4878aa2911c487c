package org.uwskit.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.uwskit.Caller;
import org.uwskit.Job;
import org.uwskit.Phase;

/** Runs the latency benchmark body a few times and checks each job is COMPLETED, by the engine's own threads. */
class EngineLatencyBenchmarkTest {
    private final EngineLatencyBenchmark bench = new EngineLatencyBenchmark();

    EngineLatencyBenchmarkTest() {
        bench.setup();
    }

    @AfterEach
    void close() {
        bench.tearDown();
    }

    @Test
    void eachOperationReturnsOnceTheStartedEngineCompletedTheJob() throws Exception {
        for (int i = 0; i < 5; i++) {
            String id = bench.createRunUntilCompleted();
            Job job = bench.service.get(Caller.system(), Fixtures.JOB_LIST, id);
            assertThat(job.phase()).isEqualTo(Phase.COMPLETED);
            assertThat(job.history()).extracting(c -> c.to())
                    .containsSubsequence(Phase.QUEUED, Phase.EXECUTING, Phase.COMPLETED);
        }
        assertThat(bench.done).as("no future left behind").isEmpty();
    }
}
