package org.uwskit;

import java.time.Instant;
import java.util.Objects;

/**
 * Which engine node has claimed a job and until when its claim holds. A node renews the lease while it runs the job;
 * a lease that expired means the node died, and the engine's reaper applies the backend's policy.
 *
 * @param nodeId     the engine node that claimed the job
 * @param expiresAt  when the claim lapses unless renewed
 * @param backend    the name of the execution backend the job was submitted to, or null before submission
 * @param backendRef the backend's own id for the job (a process id, a SLURM job id), or null before submission;
 *                   what a backend needs to re-attach after a restart
 */
public record Lease(String nodeId, Instant expiresAt, String backend, String backendRef) {
    public Lease {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    public Lease renewedUntil(Instant until) {
        return new Lease(nodeId, until, backend, backendRef);
    }

    public Lease submitted(String backendName, String ref) {
        return new Lease(nodeId, expiresAt, backendName, ref);
    }
}
