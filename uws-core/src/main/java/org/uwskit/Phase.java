package org.uwskit;

/**
 * The ten execution phases of a UWS 1.1 job (UWS 1.1 §2.1.3), with their exact wire names.
 *
 * <p>Which phase may follow which is decided in one place only: {@link PhaseMachine}.
 */
public enum Phase {
    /** Created, not yet asked to run; parameters may still change. */
    PENDING,
    /** Asked to run, waiting for an engine to start it. */
    QUEUED,
    /** Running. */
    EXECUTING,
    /** Finished successfully. */
    COMPLETED,
    /** Finished with a failure; see the job's error summary. */
    ERROR,
    /** Stopped before it finished (by a client ABORT or the execution-duration watchdog, for instance). */
    ABORTED,
    /** The service does not know the state (part of the UWS vocabulary; uwskit never sets it). */
    UNKNOWN,
    /** Held by the service or its backend; a client RUN resumes it. */
    HELD,
    /** Paused after it started; resumes to EXECUTING. */
    SUSPENDED,
    /** Past its destruction time in archive mode: metadata kept, results deleted. */
    ARCHIVED;

    /** True for PENDING, QUEUED and EXECUTING: the phases in which a WAIT may block (UWS 1.1 §2.2.1.2). */
    public boolean isActive() {
        return this == PENDING || this == QUEUED || this == EXECUTING;
    }

    /** True for COMPLETED, ERROR and ABORTED: the job has finished and has an end time. */
    public boolean isFinished() {
        return this == COMPLETED || this == ERROR || this == ABORTED;
    }

    /** True for phases that count against the active-job limits of a job list (committed work not yet finished). */
    public boolean countsAsActive() {
        return this == QUEUED || this == EXECUTING || this == HELD || this == SUSPENDED;
    }

    /**
     * Parses a wire name case-insensitively.
     *
     * @param text the phase name, surrounding blanks ignored
     * @return the phase
     * @throws IllegalArgumentException with a message naming the valid values if {@code text} is not a phase
     */
    public static Phase parse(String text) {
        if (text != null) {
            for (Phase p : values()) {
                if (p.name().equalsIgnoreCase(text.trim())) {
                    return p;
                }
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not a UWS phase; expected one of "
                + java.util.Arrays.toString(values()));
    }
}
