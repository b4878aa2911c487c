package org.uwskit;

/** A phase change that the {@link PhaseMachine} table does not allow. Carries from/to. HTTP 403. */
public class IllegalPhaseTransitionException extends UwsException {
    private final Phase from;
    private final Phase to;

    public IllegalPhaseTransitionException(Phase from, Phase to) {
        super("a job in phase " + from + " cannot go to " + to);
        this.from = from;
        this.to = to;
    }

    public Phase from() {
        return from;
    }

    public Phase to() {
        return to;
    }
}
