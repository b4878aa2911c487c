package org.uwskit;

import java.time.Instant;
import java.util.Objects;

/**
 * One entry of a job's append-only phase history.
 *
 * @param from   the phase before, or null for the creation of the job
 * @param to     the phase after
 * @param at     when it happened (from the service's Clock)
 * @param reason why, in a few words ("client RUN", "execution duration exceeded", "node lost"); may be null
 */
public record PhaseChange(Phase from, Phase to, Instant at, String reason) {
    public PhaseChange {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(at, "at");
    }
}
