package org.uwskit.slurm.internal;

import org.uwskit.slurm.drmaa.JobInfo;
import org.uwskit.slurm.drmaa.SlurmStates;

/** The words a client reads when a SLURM job did not complete: state, exit code or signal, reason. */
public final class Outcomes {
    private static final String[] SIGNALS = {null, "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT",
        "SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM"};

    private Outcomes() {
    }

    /** @param signal a signal number @return its name and number, for instance {@code SIGKILL (9)} */
    public static String signal(int signal) {
        return (signal > 0 && signal < SIGNALS.length ? SIGNALS[signal] : "signal") + " (" + signal + ")";
    }

    /**
     * The error message of a job that ended in failure.
     *
     * @param info the final state
     * @return for instance {@code SLURM job 12 FAILED: exit code 3}
     */
    public static String failure(JobInfo info) {
        StringBuilder b = new StringBuilder("SLURM job ").append(info.jobId()).append(' ').append(info.slurmState());
        String what = switch (info.slurmState()) {
            case "NODE_FAIL" -> "a node of the job failed";
            case "OUT_OF_MEMORY" -> "the job ran out of memory";
            case "BOOT_FAIL" -> "the node could not boot";
            case "DEADLINE" -> "the job's deadline passed";
            case "PREEMPTED" -> "preempted by a job of higher priority, and not requeued";
            default -> null;
        };
        if (what != null) {
            b.append(": ").append(what);
        }
        if (info.signal() != null) {
            b.append(what == null ? ": " : ", ").append("killed by ").append(signal(info.signal()));
        } else if (info.exitStatus() != null && info.exitStatus() != 0) {
            b.append(what == null ? ": " : ", ").append("exit code ").append(info.exitStatus());
        }
        if (info.reason() != null && !info.reason().equals("NonZeroExitCode")
                && !info.reason().equals("RaisedSignal")) {
            b.append(" — ").append(SlurmStates.describe(info.reason()));
        }
        return b.toString();
    }
}
