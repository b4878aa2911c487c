package org.uwskit.slurm.drmaa;

import java.util.Locale;
import java.util.Map;

/**
 * SLURM's job states and reason codes in DRMAA2's vocabulary, and in words for a client. One place for the
 * mapping; both transports use it. Stateless.
 */
public final class SlurmStates {

    private static final Map<String, String> REASONS = Map.ofEntries(
            Map.entry("JobHeldUser", "held by its user"),
            Map.entry("JobHeldAdmin", "held by an administrator"),
            Map.entry("NonZeroExitCode", "the job's command exited with a non-zero code"),
            Map.entry("RaisedSignal", "the job's command was killed by a signal"),
            Map.entry("TimeLimit", "the time limit ran out"),
            Map.entry("OutOfMemory", "the job ran out of memory"),
            Map.entry("NodeDown", "a node of the job failed"),
            Map.entry("BadConstraints", "the cluster cannot satisfy the job's constraints"),
            Map.entry("PartitionTimeLimit", "the partition's time limit is below the job's"),
            Map.entry("PartitionNodeLimit", "the partition's node limit is below the job's"),
            Map.entry("PartitionDown", "the partition is down"),
            Map.entry("Resources", "waiting for resources"),
            Map.entry("Priority", "waiting for jobs of higher priority"),
            Map.entry("Dependency", "waiting for a dependency"),
            Map.entry("DependencyNeverSatisfied", "a dependency can never be satisfied"),
            Map.entry("BeginTime", "waiting for its begin time"),
            Map.entry("InvalidAccount", "the account is invalid"),
            Map.entry("InvalidQOS", "the QOS is invalid"),
            Map.entry("QOSMaxWallDurationPerJobLimit", "the QOS's wall time limit is below the job's"),
            Map.entry("DeadLine", "the job's deadline passed"),
            Map.entry("launch_failed_requeued_held", "the launch failed; requeued and held"),
            Map.entry("Prolog", "the node's prolog is running"),
            Map.entry("ReqNodeNotAvail", "the requested nodes are not available"));

    private SlurmStates() {
    }

    /**
     * The base state of a SLURM state text: upper case, without the flags that newer versions append (REST
     * v0.0.40+ gives a list; {@code squeue} may give {@code CANCELLED by 0}).
     *
     * @param state the state text, or null
     * @return the base state, or {@code UNKNOWN}
     */
    public static String baseState(String state) {
        if (state == null || state.isBlank()) {
            return "UNKNOWN";
        }
        String s = state.trim();
        int cut = s.length();
        for (char c : new char[] {' ', ',', '+'}) {
            int i = s.indexOf(c);
            if (i > 0 && i < cut) {
                cut = i;
            }
        }
        return s.substring(0, cut).toUpperCase(Locale.ROOT);
    }

    /**
     * The DRMAA2 state of a SLURM base state and reason.
     *
     * @param baseState a base state, as {@link #baseState} gives
     * @param reason    the reason code, or null
     * @return the DRMAA2 state; {@link JobState#UNDETERMINED} for a state this mapping does not know
     */
    public static JobState drmaaState(String baseState, String reason) {
        boolean held = reason != null && (reason.startsWith("JobHeld") || reason.endsWith("_held"));
        return switch (baseState) {
            case "PENDING" -> held ? JobState.QUEUED_HELD : JobState.QUEUED;
            case "REQUEUED", "REQUEUE_FED" -> JobState.REQUEUED;
            case "REQUEUE_HOLD", "SPECIAL_EXIT" -> JobState.REQUEUED_HELD;
            case "RUNNING", "CONFIGURING", "COMPLETING", "STAGE_OUT", "SIGNALING", "RESIZING" -> JobState.RUNNING;
            case "SUSPENDED", "STOPPED" -> JobState.SUSPENDED;
            case "COMPLETED" -> JobState.DONE;
            case "FAILED", "CANCELLED", "TIMEOUT", "NODE_FAIL", "PREEMPTED", "BOOT_FAIL", "DEADLINE",
                    "OUT_OF_MEMORY", "REVOKED" -> JobState.FAILED;
            default -> JobState.UNDETERMINED;
        };
    }

    /**
     * A reason code in words.
     *
     * @param reason a SLURM reason code, or null
     * @return a few words, the code itself if it is not known here, or null for null
     */
    public static String describe(String reason) {
        if (reason == null) {
            return null;
        }
        String words = REASONS.get(reason);
        return words == null ? reason : words + " (" + reason + ")";
    }
}
