package org.uwskit.internal;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.uwskit.InvalidRequestException;
import org.uwskit.Job;
import org.uwskit.JobList;
import org.uwskit.Lease;
import org.uwskit.Phase;
import org.uwskit.StoreUnavailableException;
import org.uwskit.spi.ExecutionBackend;
import org.uwskit.spi.JobStore;
import org.uwskit.spi.JobTemplate;

/**
 * The engine's dispatcher: claims QUEUED work of each job list within its {@code maxExecutingJobs}, names the
 * backend in the lease <em>before</em> the work can start (so recovery knows the job may have started), submits it,
 * and records the backend's reference. A job no backend accepts, or whose type is no longer offered, ends in
 * ERROR; a refused submission ends in ERROR with the backend's message. Claims take only jobs without a lease (a
 * lapsed lease is decided by {@link Recovery} alone). A job this node claimed but could not mark (the store failed)
 * is not submitted; its claim is released once the store answers ({@link #releaseUnsubmitted()}). Not API.
 * Thread-safe: dispatches are serialized by the node's dispatch lock.
 */
final class Dispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

    /**
     * The {@code now} given to {@link JobStore#claimQueued}: no lease expired before it, so claims take only jobs
     * without a lease and a lapsed lease is always decided by recovery (at most once).
     */
    static final Instant UNLEASED_ONLY = Instant.EPOCH;

    private final EngineNode node;
    private final EventWriter writer;
    /** Jobs this node claimed but, the store failing, never submitted: released once the store answers. */
    private final Set<String> unsubmitted = ConcurrentHashMap.newKeySet();

    Dispatcher(EngineNode node, EventWriter writer) {
        this.node = node;
        this.writer = writer;
    }

    /** See {@link org.uwskit.Engine#dispatch()}. */
    int dispatch() {
        if (node.closed.get()) {
            return 0;
        }
        synchronized (node.dispatchLock) {
            int submitted = 0;
            if (!node.health.mayTry(node.now())) {
                return 0;
            }
            try {
                for (JobList list : node.kernel.jobListMap().values()) {
                    int capacity = node.freeSlots(list);
                    if (capacity <= 0 || node.closed.get()) {
                        continue;
                    }
                    Instant now = node.now();
                    List<Job> claimed = node.store.claimQueued(list.name(), node.nodeId, UNLEASED_ONLY,
                            now.plus(node.leaseDuration), capacity);
                    node.health.ok(now);
                    for (int i = 0; i < claimed.size(); i++) {
                        try {
                            submit(list, claimed.get(i));
                        } catch (StoreUnavailableException e) {
                            claimed.subList(i, claimed.size()).forEach(j -> unsubmitted.add(j.jobId()));
                            throw e;
                        }
                        submitted++;
                    }
                }
            } catch (StoreUnavailableException e) {
                node.health.failed(node.now(), e);
            }
            return submitted;
        }
    }

    private void submit(JobList list, Job job) {
        Optional<ExecutionBackend> backend = node.backendFor(job.jobType());
        if (backend.isEmpty()) {
            node.systemFail(job.jobId(), "no execution backend accepts job type " + job.jobType(), null);
            return;
        }
        JobTemplate template;
        try {
            template = node.template(list, job);
        } catch (InvalidRequestException e) {
            node.systemFail(job.jobId(), e.getMessage(), null);
            return;
        }
        ExecutionBackend b = backend.get();
        // The lease names the backend before the work can start: recovery then knows the job may have started.
        Lease claim = job.lease();
        Lease intent = new Lease(node.nodeId, claim.expiresAt(), b.name(), null);
        Job[] marked = new Job[1];
        if (!PerJob.ifPresent(() -> marked[0] = node.change(job.jobId(), cur -> cur.phase() == Phase.QUEUED
                && claim.equals(cur.lease()) ? cur.toBuilder().lease(intent).build() : cur))) {
            return;
        }
        if (!intent.equals(marked[0].lease())) {
            return; // aborted or changed since the claim: not this node's to run
        }
        RunningJob r = node.newRunning(job.jobId(), job.jobList(), b, this::events);
        node.running.put(job.jobId(), r);
        launch(r, b, template);
    }

    /** The events sink of a job this node starts to run. */
    BackendEvents events(RunningJob r) {
        return new BackendEvents(node, writer, r);
    }

    /**
     * Hands a job whose lease already names {@code b} for this node to the backend, then records the backend's
     * reference in the lease. A refused submission ends the job in ERROR.
     */
    void launch(RunningJob r, ExecutionBackend b, JobTemplate template) {
        String ref;
        try {
            ref = b.submit(template, r.events);
        } catch (ExecutionBackend.BackendException e) {
            LOG.warn("job {}: the execution backend {} refused it (reference job {})", r.jobId, b.name(), r.jobId, e);
            r.events.failed(e.getMessage() == null ? "the execution backend refused the job" : e.getMessage(), null);
            return;
        } catch (RuntimeException e) {
            // the exception names our classes: the client gets a reference, the log the detail
            LOG.error("job {}: the execution backend {} failed (reference job {})", r.jobId, b.name(), r.jobId, e);
            r.events.failed("the execution backend " + b.name() + " failed (reference job " + r.jobId
                    + "; the server log has the details)", null);
            return;
        }
        r.ref = ref;
        String nodeId = node.nodeId;
        writer.record(r, new EventWriter.Write("submission", cur -> cur.lease() != null
                && nodeId.equals(cur.lease().nodeId()) && cur.lease().backendRef() == null
                ? cur.toBuilder().lease(cur.lease().submitted(b.name(), ref)).build() : cur, null, false));
        if (r.abortRequested) {
            r.sendAbort();
        }
    }

    /**
     * Clears the claim of jobs this node claimed but never submitted (the store failed in between). Holds the
     * dispatch lock, so no submission of this node is half done: a job with this node's lease that is not running
     * here was not submitted by it.
     *
     * @throws StoreUnavailableException if the store cannot be reached
     */
    void releaseUnsubmitted() {
        if (unsubmitted.isEmpty()) {
            return;
        }
        synchronized (node.dispatchLock) {
            for (String id : unsubmitted) {
                if (!node.running.containsKey(id)) {
                    PerJob.ifPresent(() -> node.change(id, cur -> cur.phase() == Phase.QUEUED && cur.lease() != null
                            && node.nodeId.equals(cur.lease().nodeId()) && cur.lease().backendRef() == null
                            && !node.running.containsKey(id) ? cur.toBuilder().lease(null).build() : cur));
                }
                unsubmitted.remove(id);
            }
        }
    }
}
