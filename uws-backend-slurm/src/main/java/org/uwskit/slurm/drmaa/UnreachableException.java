package org.uwskit.slurm.drmaa;

import org.uwskit.spi.ExecutionBackend.BackendException;

/**
 * The scheduler could not be reached (slurmctld or slurmrestd down, a connection refused, a call that timed out):
 * nothing is known of the call's effect. A submission that ends with this exception may or may not have created a
 * job (sbatch can time out after slurmctld accepted it), so it is never simply repeated: the job is looked up by its
 * name first. A refusal by a scheduler that answered (a bad partition, a job over a limit) is a plain
 * {@link BackendException}.
 */
public class UnreachableException extends BackendException {
    /** @param message what failed, in the scheduler's or the transport's words (nothing secret) */
    public UnreachableException(String message) {
        super(message);
    }

    /**
     * @param message what failed
     * @param cause   the underlying failure
     */
    public UnreachableException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Whether a message of SLURM's (a command's stderr, slurmrestd's error text) says that slurmctld could not be
     * reached or did not answer, rather than that it refused.
     *
     * @param message the text
     * @return true for a communication failure
     */
    public static boolean saysUnreachable(String message) {
        if (message == null) {
            return false;
        }
        String m = message.toLowerCase(java.util.Locale.ROOT);
        return m.contains("unable to contact slurm controller") || m.contains("socket timed out")
                || m.contains("not responding") || m.contains("zero bytes were transmitted")
                || m.contains("communication connection failure") || m.contains("connection refused")
                || m.contains("protocol authentication error") || m.contains("munge")
                || m.contains("slurm_persist_conn") || m.contains("transport endpoint");
    }
}
