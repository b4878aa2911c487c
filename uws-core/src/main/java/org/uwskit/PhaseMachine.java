package org.uwskit;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The one transition table of the UWS phase machine.
 *
 * <p>The edges are the normative ones of the UWS 1.1 state diagram (CHECKLIST item 43) plus PENDING→HELD, which the
 * text allows when a RUN request cannot be queued at once, plus the edges a batch scheduler needs (the SLURM
 * backend): QUEUED→HELD (a waiting job held by an operator), HELD→QUEUED (released, waiting again), and HELD or
 * SUSPENDED → ABORTED or ERROR (the text: a job "may be ABORTED or hit ERROR at any time before COMPLETED"). Every phase change in uwskit, by a client or by the
 * system, is checked here; nothing else decides which phase may follow which. Thread-safe and stateless.
 */
public final class PhaseMachine {

    private static final Map<Phase, Set<Phase>> EDGES = new EnumMap<>(Phase.class);

    static {
        for (Phase p : Phase.values()) {
            EDGES.put(p, EnumSet.noneOf(Phase.class));
        }
        edge(Phase.PENDING, Phase.QUEUED, Phase.ABORTED, Phase.ERROR, Phase.HELD);
        edge(Phase.QUEUED, Phase.EXECUTING, Phase.ABORTED, Phase.ERROR);
        edge(Phase.EXECUTING, Phase.COMPLETED, Phase.ABORTED, Phase.ERROR, Phase.SUSPENDED, Phase.HELD);
        edge(Phase.SUSPENDED, Phase.EXECUTING);
        edge(Phase.HELD, Phase.EXECUTING);
        edge(Phase.QUEUED, Phase.HELD);                   // a batch scheduler holds a waiting job
        edge(Phase.HELD, Phase.QUEUED);                   // released by an operator: waits again
        edge(Phase.HELD, Phase.ABORTED, Phase.ERROR);      // ABORT (or a failure) of a held job
        edge(Phase.SUSPENDED, Phase.ABORTED, Phase.ERROR); // ABORT (or a failure) of a suspended job
        edge(Phase.COMPLETED, Phase.ARCHIVED);
        edge(Phase.ERROR, Phase.ARCHIVED);
        edge(Phase.ABORTED, Phase.ARCHIVED);
        EDGES.replaceAll((k, v) -> Collections.unmodifiableSet(v));
    }

    private PhaseMachine() {
    }

    private static void edge(Phase from, Phase... to) {
        EDGES.get(from).addAll(java.util.List.of(to));
    }

    /** The phases that may directly follow {@code from}; unmodifiable, possibly empty. */
    public static Set<Phase> successors(Phase from) {
        return EDGES.get(from);
    }

    /** Whether {@code from → to} is an edge of the table. */
    public static boolean isAllowed(Phase from, Phase to) {
        return EDGES.get(from).contains(to);
    }

    /**
     * Checks an edge.
     *
     * @throws IllegalPhaseTransitionException if {@code from → to} is not in the table
     */
    public static void check(Phase from, Phase to) {
        if (!isAllowed(from, to)) {
            throw new IllegalPhaseTransitionException(from, to);
        }
    }

    /**
     * The phases a job passes through when the system (not a client) ends it in {@code to}: {@code [to]} when the
     * edge exists; otherwise {@code [EXECUTING, to]} when the table allows {@code from → EXECUTING → to} (a job that
     * completes while still QUEUED, or ends while SUSPENDED or HELD, is recorded as started or resumed first);
     * otherwise empty. The engine asks this instead of listing phases, so an edge added to the table is used at
     * once.
     *
     * @param from the job's current phase
     * @param to   the phase the system ends the job in
     * @return the phases to pass through, {@code to} last; empty when the table offers no such path
     */
    public static java.util.List<Phase> pathTo(Phase from, Phase to) {
        if (isAllowed(from, to)) {
            return java.util.List.of(to);
        }
        if (isAllowed(from, Phase.EXECUTING) && isAllowed(Phase.EXECUTING, to)) {
            return java.util.List.of(Phase.EXECUTING, to);
        }
        return java.util.List.of();
    }

    /**
     * The phase a client's RUN request leads to from {@code from}: QUEUED from PENDING, EXECUTING from HELD.
     *
     * @throws IllegalPhaseTransitionException if RUN is not allowed in {@code from}
     */
    public static Phase afterRun(Phase from) {
        return switch (from) {
            case PENDING -> Phase.QUEUED;
            case HELD -> Phase.EXECUTING;
            default -> throw new IllegalPhaseTransitionException(from, Phase.QUEUED);
        };
    }

    /**
     * Checks a client's ABORT request: allowed from PENDING, QUEUED, EXECUTING, HELD and SUSPENDED.
     *
     * @throws IllegalPhaseTransitionException otherwise
     */
    public static void checkAbort(Phase from) {
        check(from, Phase.ABORTED);
    }
}
