package org.uwskit.internal;

import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.uwskit.BlobKind;
import org.uwskit.ErrorSummary;
import org.uwskit.InvalidRequestException;
import org.uwskit.Job;
import org.uwskit.JobDefinition;
import org.uwskit.JobList;
import org.uwskit.Lease;
import org.uwskit.Phase;
import org.uwskit.spi.ExecutionBackend;
import org.uwskit.spi.JobTemplate;
import org.uwskit.spi.Reattachable;

/**
 * The engine's recovery of jobs whose node died (its lease lapsed): a job this node still runs is renewed, never
 * taken over; a job is re-attached when its lease names a {@link Reattachable} backend that knows it (by its
 * reference, or by the job's id when the node died before the reference was stored), else an EXECUTING job is run again
 * from the start when its definition is rerunnable (see {@link #tryRerun}); a QUEUED job that was never submitted,
 * or is rerunnable, is re-queued; every other job ends in ERROR "interrupted: node lost". Every takeover is a
 * compare-and-set on the lost lease, so of several recovering nodes exactly one acts. After an outage this node
 * observed, leases that lapsed during it are not taken over for one lease duration ({@link StoreHealth}). Not API.
 */
final class Recovery {
    private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

    private final EngineNode node;
    private final Dispatcher dispatcher;

    Recovery(EngineNode node, Dispatcher dispatcher) {
        this.node = node;
        this.dispatcher = dispatcher;
    }

    /**
     * Recovers up to {@code batch} jobs whose lease lapsed.
     *
     * @return the number of jobs changed
     * @throws org.uwskit.StoreUnavailableException if the store cannot be reached
     */
    int recover(Instant now, int batch) {
        int[] n = {0};
        for (Job job : node.store.expiredLeases(node.health.takeoverCutoff(now), batch)) {
            RunningJob mine = node.running.get(job.jobId());
            if (mine != null) {
                node.renew(mine, now.plus(node.leaseDuration));
                continue;
            }
            PerJob.run(node.nodeId, "recovering", job.jobId(), () -> {
                if (recoverOne(job, now)) {
                    n[0]++;
                }
            });
        }
        return n[0];
    }

    private boolean recoverOne(Job job, Instant now) {
        Lease lost = job.lease();
        boolean neverSubmitted = lost != null && lost.backend() == null;
        if (tryReattach(job, lost, now)) {
            return true;
        }
        JobList list = node.kernel.jobListMap().get(job.jobList());
        boolean rerunnable = list != null && list.definition(job.jobType())
                .map(JobDefinition::rerunnable).orElse(false);
        if (rerunnable && job.phase() == Phase.EXECUTING) {
            return tryRerun(list, job, lost, now);
        }
        Job after = node.change(job.jobId(), cur -> {
            if (!lost.equals(cur.lease())) {
                return cur;
            }
            if (cur.phase() == Phase.QUEUED && (neverSubmitted || rerunnable)) {
                return cur.toBuilder().lease(null).build();
            }
            return EngineNode.terminal(cur, Phase.ERROR, "interrupted: node lost",
                    new ErrorSummary(ErrorSummary.Type.TRANSIENT, "interrupted: node lost",
                            "engine node " + lost.nodeId() + " stopped renewing its lease at "
                                    + lost.expiresAt()), now);
        });
        return after.version() != job.version();
    }

    private boolean tryReattach(Job job, Lease lost, Instant now) {
        if (lost == null || lost.backend() == null) {
            return false;
        }
        // a null reference: the node died between naming the backend and storing the reference; a reattachable
        // backend may find the work by the job's id (Reattachable#reattach)
        ExecutionBackend b = node.backends.stream().filter(x -> x.name().equals(lost.backend())).findFirst()
                .orElse(null);
        JobList list = node.kernel.jobListMap().get(job.jobList());
        if (!(b instanceof Reattachable ra) || list == null) {
            return false;
        }
        Lease mine = new Lease(node.nodeId, now.plus(node.leaseDuration), lost.backend(), lost.backendRef());
        Job taken = node.change(job.jobId(), cur -> lost.equals(cur.lease())
                ? cur.toBuilder().lease(mine).build() : cur);
        if (!mine.equals(taken.lease())) {
            return false;
        }
        RunningJob r = node.newRunning(job.jobId(), job.jobList(), b, dispatcher::events);
        r.ref = lost.backendRef();
        r.lastPhase = taken.phase();
        node.running.put(job.jobId(), r);
        boolean ok;
        try {
            ok = ra.reattach(lost.backendRef(), node.template(list, taken), r.events);
        } catch (RuntimeException e) {
            LOG.warn("engine {}: re-attaching job {} failed", node.nodeId, job.jobId(), e);
            ok = false;
        }
        if (ok && r.ref == null) {
            r.ref = ra.referenceOf(job.jobId()); // stored in the lease at its next renewal
        }
        if (!ok) {
            node.running.remove(job.jobId(), r);
            node.change(job.jobId(), cur -> mine.equals(cur.lease()) ? cur.toBuilder().lease(lost).build() : cur);
            return false;
        }
        LOG.info("engine {}: re-attached job {} ({} {})", node.nodeId, job.jobId(), lost.backend(),
                lost.backendRef());
        return true;
    }

    /**
     * Runs a rerunnable job that was EXECUTING on a lost node again, here, without a phase change (the table has no
     * EXECUTING→QUEUED): takes over the lost lease by compare-and-set (so of several recovering nodes exactly one
     * reruns it), counts the attempt in jobInfo {@code attempt}, drops the lost attempt's results (list entries and
     * RESULT blobs, so a client never sees a mix of two attempts) and its progress, keeps {@code startTime} (the
     * execution duration bounds all attempts together) and submits the job to this node's first backend that
     * accepts its type. Leaves the job untouched, for a later pass or another node, when no backend here accepts
     * its type or this node has no free slot of {@code maxExecutingJobs}.
     *
     * @return whether this node took the job over
     * @throws org.uwskit.StoreUnavailableException if the store cannot be reached
     */
    private boolean tryRerun(JobList list, Job job, Lease lost, Instant now) {
        Optional<ExecutionBackend> backend = node.backendFor(job.jobType());
        if (backend.isEmpty()) {
            LOG.debug("engine {}: no backend here accepts job type {}; leaving job {} to another node", node.nodeId,
                    job.jobType(), job.jobId());
            return false;
        }
        ExecutionBackend b = backend.get();
        synchronized (node.dispatchLock) {
            if (node.closed.get() || node.freeSlots(list) <= 0) {
                LOG.debug("engine {}: no free slot to rerun job {}; leaving it to a later pass", node.nodeId,
                        job.jobId());
                return false;
            }
            Lease mine = new Lease(node.nodeId, now.plus(node.leaseDuration), b.name(), null);
            Job taken = node.change(job.jobId(), cur -> {
                if (!lost.equals(cur.lease()) || cur.phase() != Phase.EXECUTING) {
                    return cur;
                }
                Map<String, String> info = new LinkedHashMap<>(cur.jobInfo());
                info.remove("progress");
                info.remove("progressMessage");
                info.put("attempt", Integer.toString(attempt(cur) + 1));
                return cur.toBuilder().lease(mine).results(List.of()).jobInfo(info).build();
            });
            if (!mine.equals(taken.lease())) {
                return false; // another node took it over first, or it changed meanwhile
            }
            LOG.info("engine {}: rerunning job {} (attempt {}) in backend {}: node {} stopped renewing its lease at {}",
                    node.nodeId, job.jobId(), taken.jobInfo().get("attempt"), b.name(), lost.nodeId(),
                    lost.expiresAt());
            try {
                node.results.deleteAll(job.jobId(), BlobKind.RESULT);
            } catch (IOException | RuntimeException e) {
                LOG.warn("engine {}: deleting the results of the lost attempt of job {} failed", node.nodeId,
                        job.jobId(), e);
            }
            JobTemplate template;
            try {
                template = node.template(list, taken);
            } catch (InvalidRequestException e) {
                node.systemFail(job.jobId(), e.getMessage(), null);
                return true;
            }
            RunningJob r = node.newRunning(job.jobId(), job.jobList(), b, dispatcher::events);
            r.lastPhase = Phase.EXECUTING;
            node.running.put(job.jobId(), r);
            dispatcher.launch(r, b, template);
            return true;
        }
    }

    /** The number of the attempt a job is in: jobInfo {@code attempt}, 1 when absent or unreadable. */
    private static int attempt(Job j) {
        try {
            return Math.max(1, Integer.parseInt(j.jobInfo().getOrDefault("attempt", "1")));
        } catch (NumberFormatException e) {
            return 1;
        }
    }
}
