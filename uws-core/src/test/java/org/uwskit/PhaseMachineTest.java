package org.uwskit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Every (from, to) pair of the ten phases against the expected UWS 1.1 edge list (CHECKLIST item 43), plus the
 * batch-scheduler edges (QUEUED→HELD, HELD→QUEUED, HELD/SUSPENDED→ABORTED/ERROR).
 */
class PhaseMachineTest {

    /** The expected edges, written independently of PhaseMachine's table. */
    private static final Set<String> EDGES = Set.of(
            "PENDING>QUEUED", "PENDING>ABORTED", "PENDING>ERROR", "PENDING>HELD",
            "QUEUED>EXECUTING", "QUEUED>ABORTED", "QUEUED>ERROR",
            "EXECUTING>COMPLETED", "EXECUTING>ABORTED", "EXECUTING>ERROR", "EXECUTING>SUSPENDED", "EXECUTING>HELD",
            "SUSPENDED>EXECUTING", "HELD>EXECUTING",
            "QUEUED>HELD", "HELD>QUEUED", "HELD>ABORTED", "HELD>ERROR", "SUSPENDED>ABORTED", "SUSPENDED>ERROR",
            "COMPLETED>ARCHIVED", "ERROR>ARCHIVED", "ABORTED>ARCHIVED");

    static Stream<Arguments> allPairs() {
        return EnumSet.allOf(Phase.class).stream()
                .flatMap(f -> EnumSet.allOf(Phase.class).stream().map(t -> Arguments.of(f, t)));
    }

    @ParameterizedTest(name = "system path {0} -> {1}")
    @MethodSource("allPairs")
    void theSystemsPathIsTheEdgeOrTheWayThroughExecuting(Phase from, Phase to) {
        java.util.List<Phase> expected = EDGES.contains(from + ">" + to) ? java.util.List.of(to)
                : EDGES.contains(from + ">EXECUTING") && EDGES.contains("EXECUTING>" + to)
                ? java.util.List.of(Phase.EXECUTING, to) : java.util.List.of();
        assertThat(PhaseMachine.pathTo(from, to)).isEqualTo(expected);
    }

    @Test
    void aQueuedJobThatCompletesIsStartedFirstAndAPendingOneHasNoPathToCompleted() {
        assertThat(PhaseMachine.pathTo(Phase.QUEUED, Phase.COMPLETED)).containsExactly(Phase.EXECUTING,
                Phase.COMPLETED);
        assertThat(PhaseMachine.pathTo(Phase.EXECUTING, Phase.COMPLETED)).containsExactly(Phase.COMPLETED);
        assertThat(PhaseMachine.pathTo(Phase.PENDING, Phase.COMPLETED)).isEmpty();
        assertThat(PhaseMachine.pathTo(Phase.COMPLETED, Phase.ERROR)).isEmpty();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("allPairs")
    void everyPairIsAllowedExactlyWhenItIsAnEdge(Phase from, Phase to) {
        boolean expected = EDGES.contains(from + ">" + to);
        assertThat(PhaseMachine.isAllowed(from, to)).isEqualTo(expected);
        assertThat(PhaseMachine.successors(from).contains(to)).isEqualTo(expected);
        if (expected) {
            PhaseMachine.check(from, to);
        } else {
            assertThatThrownBy(() -> PhaseMachine.check(from, to))
                    .isInstanceOfSatisfying(IllegalPhaseTransitionException.class, e -> {
                        assertThat(e.from()).isEqualTo(from);
                        assertThat(e.to()).isEqualTo(to);
                        assertThat(e.getMessage()).contains(from.name()).contains(to.name());
                    });
        }
    }

    @Test
    void thereAreExactly100PairsAnd23Edges() {
        assertThat(allPairs().count()).isEqualTo(100);
        long edges = allPairs().filter(a -> PhaseMachine.isAllowed((Phase) a.get()[0], (Phase) a.get()[1])).count();
        assertThat(edges).isEqualTo(EDGES.size()).isEqualTo(23);
    }

    @Test
    void runLeadsToQueuedFromPendingAndExecutingFromHeldOnly() {
        for (Phase p : Phase.values()) {
            if (p == Phase.PENDING) {
                assertThat(PhaseMachine.afterRun(p)).isEqualTo(Phase.QUEUED);
            } else if (p == Phase.HELD) {
                assertThat(PhaseMachine.afterRun(p)).isEqualTo(Phase.EXECUTING);
            } else {
                assertThatThrownBy(() -> PhaseMachine.afterRun(p)).isInstanceOf(IllegalPhaseTransitionException.class);
            }
        }
    }

    @Test
    void abortIsAllowedFromPendingQueuedExecutingHeldAndSuspendedOnly() {
        for (Phase p : Phase.values()) {
            if (EnumSet.of(Phase.PENDING, Phase.QUEUED, Phase.EXECUTING, Phase.HELD, Phase.SUSPENDED).contains(p)) {
                PhaseMachine.checkAbort(p);
            } else {
                assertThatThrownBy(() -> PhaseMachine.checkAbort(p))
                        .isInstanceOf(IllegalPhaseTransitionException.class);
            }
        }
    }

    @Test
    void phaseNamesParseCaseInsensitivelyAndJunkIsRefusedWithTheValidNames() {
        assertThat(Phase.parse(" executing ")).isEqualTo(Phase.EXECUTING);
        assertThatThrownBy(() -> Phase.parse("SUSPEND")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PENDING");
    }
}
