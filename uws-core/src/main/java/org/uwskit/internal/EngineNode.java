package org.uwskit.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.uwskit.ErrorSummary;
import org.uwskit.InvalidRequestException;
import org.uwskit.Job;
import org.uwskit.JobDefinition;
import org.uwskit.JobList;
import org.uwskit.Lease;
import org.uwskit.Parameter;
import org.uwskit.Phase;
import org.uwskit.PhaseMachine;
import org.uwskit.TypedParameters;
import org.uwskit.spi.ExecutionBackend;
import org.uwskit.spi.JobStore;
import org.uwskit.spi.JobTemplate;
import org.uwskit.spi.Reattachable;
import org.uwskit.spi.ResultStore;

/**
 * What one engine node holds, shared by the engine's parts ({@link Dispatcher}, {@link Housekeeper},
 * {@link Recovery}, {@link EventWriter}, {@link BackendEvents}): the kernel, its backends and settings, the jobs it
 * runs, what it knows of the store's health, and the rules every part applies to a job this node runs (its lease,
 * losing it, finishing it, ending it in a terminal phase). Not API. Thread-safe.
 */
final class EngineNode {
    private static final Logger LOG = LoggerFactory.getLogger(EngineNode.class);

    final JobKernel kernel;
    final JobStore store;
    final ResultStore results;
    final List<ExecutionBackend> backends;
    final String nodeId;
    final Duration leaseDuration;
    final boolean manual;
    final Map<String, RunningJob> running = new ConcurrentHashMap<>();
    final StoreHealth health;
    /** Serializes dispatches (and what must not interleave with one: releasing claims, reruns). */
    final Object dispatchLock = new Object();
    final AtomicBoolean closed = new AtomicBoolean();
    /** When leases were last renewed; null: renew every lease on the next pass. */
    volatile Instant lastRenewal;
    private final Object drained = new Object();
    private final Runnable wakeDispatcher;

    EngineNode(JobKernel kernel, List<ExecutionBackend> backends, String nodeId, Duration leaseDuration,
               boolean manual, Runnable wakeDispatcher) {
        this.kernel = kernel;
        this.store = kernel.store();
        this.results = kernel.resultStore();
        this.backends = List.copyOf(backends);
        this.nodeId = nodeId;
        this.leaseDuration = leaseDuration;
        this.manual = manual;
        this.wakeDispatcher = wakeDispatcher;
        this.health = new StoreHealth(nodeId, manual, leaseDuration, () -> lastRenewal = null);
    }

    Instant now() {
        return kernel.now();
    }

    Job change(String jobId, JobKernel.Rule rule) {
        return kernel.change(jobId, rule);
    }

    Optional<ExecutionBackend> backendFor(String jobType) {
        return backends.stream().filter(b -> b.accepts(jobType)).findFirst();
    }

    /** What a backend receives for {@code job}: its definition and typed parameters (the selector left out). */
    JobTemplate template(JobList list, Job job) {
        JobDefinition def = list.definition(job.jobType()).orElseThrow(() -> new InvalidRequestException(
                "job type " + job.jobType() + " is no longer offered by " + list.name()));
        List<Parameter> params = new ArrayList<>();
        for (Parameter p : job.parameters()) {
            if (!list.isSelector(p.name())) {
                params.add(p);
            }
        }
        TypedParameters typed = def.validate(params);
        return new JobTemplate(job.jobId(), job.jobList(), def, job.ownerId(), typed, job.parameters(),
                job.executionDuration(), job.deadline().orElse(null));
    }

    /** How many more jobs of {@code list} this node may run now ({@code maxExecutingJobs} minus its running ones). */
    int freeSlots(JobList list) {
        long mine = running.values().stream().filter(r -> r.jobList.equals(list.name())).count();
        return (int) (list.policy().maxExecutingJobs() - mine);
    }

    /** A job this node is about to run, with its events sink; put it in {@link #running} when it is set up. */
    RunningJob newRunning(String jobId, String jobList, ExecutionBackend backend, BackendEventsFactory events) {
        RunningJob r = new RunningJob(nodeId, jobId, jobList, backend);
        r.events = events.create(r);
        return r;
    }

    /** Makes the events of a job this node starts to run. */
    @FunctionalInterface
    interface BackendEventsFactory {
        BackendEvents create(RunningJob r);
    }

    /** Whether an unfinished job's lease names another node. */
    boolean heldElsewhere(Job j) {
        return j.lease() != null && !nodeId.equals(j.lease().nodeId()) && !j.phase().isFinished()
                && j.phase() != Phase.ARCHIVED;
    }

    /** Another node took over a job this node runs: stop the local execution and ignore its later events. */
    void lost(RunningJob r, Lease holder) {
        synchronized (r.writes) {
            if (r.lost) {
                return;
            }
            r.lost = true;
            r.writes.clear();
        }
        LOG.warn("engine {}: job {} was taken over ({}); stopping its local execution", nodeId, r.jobId, holder);
        if (r.backend instanceof Reattachable) {
            detach(r); // the work is the other node's now: leave it running, stop watching it
        } else {
            r.stop();
        }
        finished(r);
    }

    /** Tells a {@link Reattachable} backend to stop watching a job's work, which goes on (another node's now). */
    void detach(RunningJob r) {
        String ref = r.ref;
        if (ref != null && r.backend instanceof Reattachable ra) {
            try {
                ra.detach(ref);
            } catch (RuntimeException e) {
                LOG.warn("engine {}: detaching job {} from backend {} failed", nodeId, r.jobId, r.backend.name(), e);
            }
        }
    }

    /** The job is no longer this node's to run: it leaves the running set (freeing its slot). */
    void finished(RunningJob r) {
        if (running.remove(r.jobId, r)) {
            wakeDispatcher.run();
            synchronized (drained) {
                drained.notifyAll();
            }
        }
    }

    /** Waits at most {@code millis} for a running job to finish. */
    void awaitFinished(long millis) throws InterruptedException {
        synchronized (drained) {
            drained.wait(Math.max(1, millis));
        }
    }

    /**
     * Renews (re-asserts, if it lapsed or was cleared) the lease of a job this node runs, by compare-and-set: a
     * lease held by another node is never overwritten; finding one means the job was taken over.
     *
     * @throws org.uwskit.StoreUnavailableException if the store cannot be reached
     */
    void renew(RunningJob r, Instant until) {
        if (r.lost) {
            return;
        }
        PerJob.Outcome o = PerJob.run(nodeId, "renewing the lease of", r.jobId, () -> {
            Job j = change(r.jobId, cur -> {
                Lease l = cur.lease();
                if (cur.phase().isFinished() || cur.phase() == Phase.ARCHIVED
                        || l != null && !nodeId.equals(l.nodeId())) {
                    return cur;
                }
                String ref = r.ref != null ? r.ref : l == null ? null : l.backendRef();
                return cur.toBuilder().lease(new Lease(nodeId, until, r.backend.name(), ref)).build();
            });
            if (heldElsewhere(j)) {
                lost(r, j.lease());
            }
        });
        if (o == PerJob.Outcome.GONE) {
            r.stop();
            finished(r);
        }
    }

    /**
     * The job moved to a terminal phase by the table: directly when the edge exists, else along the table's path
     * through EXECUTING ({@link PhaseMachine#pathTo}); unchanged when the job has already finished or no path
     * exists.
     */
    static Job terminal(Job cur, Phase to, String reason, ErrorSummary error, Instant now) {
        Phase p = cur.phase();
        if (p.isFinished() || p == Phase.ARCHIVED) {
            return cur;
        }
        List<Phase> path = PhaseMachine.pathTo(p, to);
        if (path.isEmpty()) {
            return cur;
        }
        Job.Builder b = cur.toBuilder();
        for (Phase step : path.subList(0, path.size() - 1)) {
            // a step the table makes the job pass through (QUEUED→EXECUTING→COMPLETED, SUSPENDED→EXECUTING→...)
            b.phase(step, now, p == Phase.QUEUED ? "started" : "resumed");
            if (step == Phase.EXECUTING && cur.startTime() == null) {
                b.startTime(now);
            }
        }
        b.phase(to, now, reason).endTime(now).lease(null);
        if (error != null) {
            b.error(error);
        }
        return b.build();
    }

    /** Ends a job in ERROR for a reason of the system (no backend, a type no longer offered). */
    void systemFail(String jobId, String message, String detail) {
        Instant now = now();
        PerJob.ifPresent(() -> change(jobId, cur -> terminal(cur, Phase.ERROR, "failed",
                new ErrorSummary(ErrorSummary.Type.FATAL, message, detail), now)));
    }
}
