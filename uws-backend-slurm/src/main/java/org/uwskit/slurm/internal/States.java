package org.uwskit.slurm.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.uwskit.slurm.drmaa.JobInfo;
import org.uwskit.spi.ExecutionBackend.BackendState;

/**
 * The answer of {@link org.uwskit.spi.ExecutionBackend#states} for a SLURM backend: one session call for all
 * references (SLURM ids, or markers of jobs that waited for SLURM), plus the completion log for jobs slurmctld
 * forgot. Stateless.
 */
public final class States {
    private States() {
    }

    /**
     * @param backendRefs the references asked about
     * @param tracked     asks SLURM
     * @param submissions resolves markers
     * @return each reference's state; {@link BackendState#UNKNOWN} while SLURM cannot be reached
     */
    public static Map<String, BackendState> of(Collection<String> backendRefs, JobTracker tracked,
                                               Submissions submissions) {
        Map<String, BackendState> out = new LinkedHashMap<>();
        Map<String, String> refOfId = new LinkedHashMap<>();
        for (String r : backendRefs) {
            out.put(r, BackendState.UNKNOWN);
            if (r == null) {
                continue;
            }
            if (Launcher.SLURM_ID.matcher(r).matches()) {
                refOfId.put(r, r);
            } else if (submissions.isWaiting(r)) {
                out.put(r, BackendState.QUEUED);
            } else if (submissions.slurmId(r) != null) {
                refOfId.put(submissions.slurmId(r), r);
            }
        }
        if (refOfId.isEmpty()) {
            return out;
        }
        Map<String, JobInfo> infos = tracked.lookUp(new ArrayList<>(refOfId.keySet()));
        infos.forEach((id, info) -> out.put(refOfId.get(id), backendState(info)));
        return out;
    }

    private static BackendState backendState(JobInfo info) {
        return switch (info.state()) {
            case QUEUED, REQUEUED -> BackendState.QUEUED;
            case QUEUED_HELD, REQUEUED_HELD -> BackendState.HELD;
            case RUNNING -> BackendState.RUNNING;
            case SUSPENDED -> BackendState.SUSPENDED;
            case DONE -> BackendState.DONE;
            case FAILED -> isAbort(info) ? BackendState.ABORTED : BackendState.FAILED;
            case UNDETERMINED -> BackendState.UNKNOWN;
        };
    }

    private static boolean isAbort(JobInfo info) {
        return info.slurmState().equals("CANCELLED") || info.slurmState().equals("TIMEOUT");
    }
}
