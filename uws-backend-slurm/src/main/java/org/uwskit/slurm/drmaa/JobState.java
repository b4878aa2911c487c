package org.uwskit.slurm.drmaa;

/**
 * The state of a batch job, in DRMAA2's words (DRMAA2 §6.4, {@code drmaa2_jstate}). A transport maps its scheduler's
 * states onto these; the backend maps these (with {@link JobInfo#slurmState()} to tell an abort from a failure) onto
 * UWS phases.
 */
public enum JobState {
    /** The state cannot be told (a state this mapping does not know). */
    UNDETERMINED,
    /** Waiting to run. */
    QUEUED,
    /** Waiting, held by a user or an operator: will not run until released. */
    QUEUED_HELD,
    /** Running. */
    RUNNING,
    /** Paused after it started. */
    SUSPENDED,
    /** Put back in the queue after it ran (preemption, node failure with requeue). */
    REQUEUED,
    /** Put back in the queue and held. */
    REQUEUED_HELD,
    /** Finished successfully. */
    DONE,
    /** Finished otherwise: failed, cancelled, timed out (see {@link JobInfo#slurmState()}). */
    FAILED;

    /** Whether the job has finished (DONE or FAILED). */
    public boolean isTerminal() {
        return this == DONE || this == FAILED;
    }
}
