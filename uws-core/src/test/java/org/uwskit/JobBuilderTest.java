package org.uwskit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The job builder obeys the one phase table; the raw path is for stores reading history back. */
class JobBuilderTest {
    static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

    @Test
    void aPhaseChangeThatIsNoEdgeOfTheTableIsRefused() {
        Job.Builder b = Job.builder("j1", "demo", "echo", T0).phase(Phase.PENDING, T0, "created");
        assertThatThrownBy(() -> b.phase(Phase.EXECUTING, T0, "skips QUEUED"))
                .isInstanceOf(IllegalPhaseTransitionException.class);
        assertThatThrownBy(() -> Job.builder("j2", "demo", "echo", T0).phase(Phase.COMPLETED, T0, null))
                .as("a new job starts in PENDING").isInstanceOf(IllegalPhaseTransitionException.class);
        Job done = b.phase(Phase.QUEUED, T0, "run").phase(Phase.EXECUTING, T0, "started")
                .phase(Phase.COMPLETED, T0, "completed").build();
        assertThat(done.history()).extracting(PhaseChange::to).containsExactly(Phase.PENDING, Phase.QUEUED,
                Phase.EXECUTING, Phase.COMPLETED);
        assertThatThrownBy(() -> done.toBuilder().phase(Phase.EXECUTING, T0, "again"))
                .isInstanceOf(IllegalPhaseTransitionException.class);
    }

    @Test
    void theRawPathSetsAnyPhaseAndHistoryAsStored() {
        Job read = Job.builder("j3", "demo", "echo", T0).rawPhase(Phase.COMPLETED)
                .history(java.util.List.of(new PhaseChange(null, Phase.PENDING, T0, "created"),
                        new PhaseChange(Phase.PENDING, Phase.COMPLETED, T0, "as stored")))
                .build();
        assertThat(read.phase()).isEqualTo(Phase.COMPLETED);
        assertThat(read.history()).hasSize(2);
    }
}
