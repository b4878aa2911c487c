package org.uwskit.slurm.drmaa;

import java.util.Objects;

/**
 * What the scheduler says of one job at one moment (DRMAA2's {@code drmaa2_jinfo}, the fields this backend uses).
 * Immutable.
 *
 * @param jobId      the scheduler's job id
 * @param state      the DRMAA2 state
 * @param slurmState the scheduler's own base state name ({@code PENDING}, {@code CANCELLED}, {@code TIMEOUT}, ...)
 * @param reason     the scheduler's reason code ({@code JobHeldAdmin}, {@code NonZeroExitCode}, ...), or null
 * @param exitStatus the exit code of the job's script, or null if unknown or killed by a signal
 * @param signal     the signal that ended it, or null
 */
public record JobInfo(String jobId, JobState state, String slurmState, String reason, Integer exitStatus,
                      Integer signal) {

    /** @throws NullPointerException if the id, state or SLURM state is null */
    public JobInfo {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(slurmState, "slurmState");
    }

    /**
     * A job info from SLURM's own fields, the DRMAA2 state derived by {@link SlurmStates#drmaaState}.
     *
     * @param jobId      the job id
     * @param slurmState the base state (flags after a blank or a comma are ignored)
     * @param reason     the reason code, or null
     * @param waitStatus the raw wait status SLURM reports as {@code exit_code} (768 = exit 3; 9 = SIGKILL), or null
     * @return the info
     */
    public static JobInfo fromSlurm(String jobId, String slurmState, String reason, Integer waitStatus) {
        String base = SlurmStates.baseState(slurmState);
        Integer exit = null;
        Integer signal = null;
        if (waitStatus != null) {
            int w = waitStatus;
            if ((w & 0x7f) == 0) {
                exit = (w >> 8) & 0xff;
            } else if ((w & 0x7f) != 0x7f) {
                signal = w & 0x7f;
            }
        }
        String r = reason == null || reason.isBlank() || reason.equals("None") ? null : reason;
        return new JobInfo(jobId, SlurmStates.drmaaState(base, r), base, r, exit, signal);
    }
}
