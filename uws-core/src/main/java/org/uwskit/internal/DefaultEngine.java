package org.uwskit.internal;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.uwskit.BlobKind;
import org.uwskit.DestructionMode;
import org.uwskit.Engine;
import org.uwskit.ErrorSummary;
import org.uwskit.InvalidRequestException;
import org.uwskit.Job;
import org.uwskit.JobDefinition;
import org.uwskit.JobIds;
import org.uwskit.JobList;
import org.uwskit.JobNotFoundException;
import org.uwskit.JobService;
import org.uwskit.Lease;
import org.uwskit.Parameter;
import org.uwskit.Phase;
import org.uwskit.PhaseMachine;
import org.uwskit.Result;
import org.uwskit.StoreUnavailableException;
import org.uwskit.TypedParameters;
import org.uwskit.spi.ExecutionBackend;
import org.uwskit.spi.ExecutionEvents;
import org.uwskit.spi.Holdable;
import org.uwskit.spi.JobChangeFeed.JobChange;
import org.uwskit.spi.JobStore;
import org.uwskit.spi.JobTemplate;
import org.uwskit.spi.Reattachable;
import org.uwskit.spi.ResultStore;

/**
 * The implementation of {@link Engine}. Not API: build engines with {@link Engine#builder(JobService)}.
 *
 * <p>Two owned threads when started: {@code uws-engine-<nodeId>-dispatch} claims QUEUED work (woken at once when a
 * job becomes QUEUED, else every poll interval) and {@code uws-engine-<nodeId>-housekeeping} runs the watchdog,
 * the reaper, lease renewal and recovery. In manual mode neither exists and the caller drives {@link #dispatch()}
 * and {@link #housekeep()}. Every phase change goes through {@link DefaultJobService#change}, so the engine obeys
 * the same phase table and compare-and-set rules as client requests; a backend event that the job's phase no
 * longer allows (completed after a stored ABORT) changes nothing.
 *
 * <p><b>At most once, also across store outages.</b> A job is never run twice because of a database outage:
 * <ul>
 * <li>A backend event whose write fails with {@link StoreUnavailableException} is kept, per job and in order, and
 * retried on the housekeeping thread (with back-off from {@link #STORE_RETRY_MIN} to {@link #STORE_RETRY_MAX})
 * until it is stored; it is never dropped. While the engine knows the store is down, events are queued at once
 * (the backend's thread is not held up). Memory stays bounded: queues exist only for running jobs, and a queued
 * progress, jobInfo key or result replaces its own earlier queued value. A job leaves this node's running set
 * only once its terminal event is stored, so it keeps counting against {@code maxExecutingJobs} and keeps its
 * lease until then.</li>
 * <li>The lease of a running job is re-asserted (compare-and-set) as soon as the store answers again, also when
 * it lapsed meanwhile; recovery never takes over a job this node still runs (it renews it instead). If another
 * node did take a job over, this node stops its local execution (a non-reattachable backend is asked to abort;
 * for a {@link Reattachable} backend the work is now the other node's, so this node only detaches) and ignores
 * its later events.</li>
 * <li>After an outage this node observed, it takes over no lease that lapsed during the outage until one lease
 * duration after the store answered again: its owner could not renew while the store was down, which is no sign
 * that it died. (A node started after an outage cannot know of it; its recovery applies the rules below.)</li>
 * <li>Claims take only jobs without a lease. A lapsed lease is decided by recovery alone: the lease names the
 * backend <em>before</em> the job is submitted, so a QUEUED job whose lease names a backend may have started
 * (its {@code started} was perhaps never stored). Such a job is re-queued only if its definition is
 * {@linkplain JobDefinition#rerunnable() rerunnable}; otherwise it ends in ERROR "interrupted: node lost". A
 * QUEUED job whose lease names no backend was never submitted and is re-queued. A node that claimed a job but could
 * not record the backend (the store failed) does not submit it, and releases the claim once the store answers.</li>
 * <li>An EXECUTING job of a lost node is re-attached if its backend is {@link Reattachable} and knows it. Otherwise,
 * if its definition is rerunnable, it is run again from the start <em>without a phase change</em> (the table has no
 * EXECUTING→QUEUED): the recovering node takes over the lapsed lease by compare-and-set, so of several recovering
 * nodes exactly one reruns it; jobInfo {@code attempt} counts the runs (2 for the first rerun); the lost attempt's
 * results (list entries and RESULT blobs) and its {@code progress}/{@code progressMessage} are dropped before the
 * new submission, so a client never sees a mix of two attempts (a result the lost node still writes after the
 * takeover is not listed, and is replaced by a result of the same name or deleted with the job); {@code startTime}
 * stays the original one, so the execution duration bounds all attempts together. A node reruns such a job only
 * with a backend that accepts its type and a free slot of {@code maxExecutingJobs}; otherwise it leaves the job,
 * with its lapsed lease, to a later pass or another node. Other EXECUTING, SUSPENDED and HELD jobs of a lost node
 * end in ERROR "interrupted: node lost".</li>
 * </ul>
 */
public final class DefaultEngine implements Engine {
    /** The most jobs each housekeeping step reads from the store per run. */
    public static final int HOUSEKEEPING_BATCH = 100;
    /** The first delay before the store is tried again after it was found unavailable; doubled per failure. */
    public static final Duration STORE_RETRY_MIN = Duration.ofMillis(100);
    /** The longest delay between tries of an unavailable store (also capped at a third of the lease duration). */
    public static final Duration STORE_RETRY_MAX = Duration.ofSeconds(2);
    /** How often {@link #close()} retries kept event writes while it waits for running work. */
    static final long CLOSE_RETRY_MILLIS = 50;
    /**
     * The {@code now} given to {@link JobStore#claimQueued}: no lease expired before it, so claims take only jobs
     * without a lease and a lapsed lease is always decided by recovery (at most once).
     */
    static final Instant UNLEASED_ONLY = Instant.EPOCH;

    private static final Logger LOG = LoggerFactory.getLogger(DefaultEngine.class);
    private static final Pattern XML_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9._-]*");

    private final DefaultJobService service;
    private final JobStore store;
    private final ResultStore results;
    private final List<ExecutionBackend> backends;
    private final String nodeId;
    private final Duration pollInterval;
    private final Duration housekeepingInterval;
    private final Duration leaseDuration;
    private final Duration shutdownGrace;
    private final boolean manual;

    private final Map<String, Running> running = new ConcurrentHashMap<>();
    /** Jobs this node claimed but, the store failing, never submitted: released once the store answers. */
    private final java.util.Set<String> unsubmitted = ConcurrentHashMap.newKeySet();
    private final StoreHealth health = new StoreHealth();
    private final Object drained = new Object();
    private final Object dispatchLock = new Object();
    private final Semaphore wake = new Semaphore(0);
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AutoCloseable hook;
    private volatile Instant lastRenewal;
    private ExecutorService dispatchThread;
    private ScheduledExecutorService housekeepingThread;

    private DefaultEngine(Engine.Builder b, DefaultJobService service) {
        this.service = service;
        this.store = service.store();
        this.results = service.resultStore();
        this.backends = b.backends();
        this.nodeId = b.nodeId() != null ? b.nodeId() : "node-" + JobIds.next().substring(0, 10);
        this.pollInterval = b.pollInterval();
        this.housekeepingInterval = b.housekeepingInterval();
        this.leaseDuration = b.leaseDuration();
        this.shutdownGrace = b.shutdownGrace();
        this.manual = b.isManual();
        this.hook = service.onChange(this::onChange);
    }

    /**
     * Builds the engine the builder describes (called by {@link Engine.Builder#build()}).
     *
     * @throws IllegalArgumentException if the builder's service was not built by {@link JobService#builder()}
     */
    public static DefaultEngine create(Engine.Builder builder) {
        if (!(builder.service() instanceof DefaultJobService s)) {
            throw new IllegalArgumentException("an Engine needs a JobService built by JobService.builder(), not "
                    + builder.service().getClass().getName());
        }
        DefaultEngine e = new DefaultEngine(builder, s);
        LOG.info("Engine {}: backends={} poll={} housekeeping={} lease={} grace={} manual={}", e.nodeId,
                e.backends.stream().map(ExecutionBackend::name).toList(), e.pollInterval, e.housekeepingInterval,
                e.leaseDuration, e.shutdownGrace, e.manual);
        return e;
    }

    @Override
    public String nodeId() {
        return nodeId;
    }

    /** The ids of the jobs this node is running now. */
    public java.util.Set<String> runningJobIds() {
        return java.util.Set.copyOf(running.keySet());
    }

    @Override
    public void start() {
        if (manual || closed.get() || !started.compareAndSet(false, true)) {
            return;
        }
        dispatchThread = Executors.newSingleThreadExecutor(named("uws-engine-" + nodeId + "-dispatch"));
        housekeepingThread = Executors.newSingleThreadScheduledExecutor(named("uws-engine-" + nodeId
                + "-housekeeping"));
        dispatchThread.execute(this::dispatchLoop);
        long period = Math.max(1, Math.min(housekeepingInterval.toMillis(), leaseDuration.toMillis() / 3));
        housekeepingThread.scheduleWithFixedDelay(() -> {
            try {
                housekeep();
            } catch (RuntimeException e) {
                LOG.warn("engine {}: housekeeping failed", nodeId, e);
            }
        }, 0, period, TimeUnit.MILLISECONDS);
    }

    private static ThreadFactory named(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            // not the class loader of whichever request thread built us (a web app's, in a servlet container)
            t.setContextClassLoader(DefaultEngine.class.getClassLoader());
            return t;
        };
    }

    private void dispatchLoop() {
        while (!closed.get()) {
            try {
                dispatch();
            } catch (RuntimeException e) {
                LOG.warn("engine {}: dispatch failed", nodeId, e);
            }
            try {
                if (wake.tryAcquire(pollInterval.toMillis(), TimeUnit.MILLISECONDS)) {
                    wake.drainPermits();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void wakeDispatcher() {
        if (!manual && wake.availablePermits() == 0) {
            wake.release();
        }
    }

    // ---------------------------------------------------------------- dispatch

    @Override
    public int dispatch() {
        if (closed.get()) {
            return 0;
        }
        synchronized (dispatchLock) {
            int submitted = 0;
            if (!health.mayTry(service.now())) {
                return 0;
            }
            try {
                for (JobList list : service.jobListMap().values()) {
                    int capacity = freeSlots(list);
                    if (capacity <= 0 || closed.get()) {
                        continue;
                    }
                    Instant now = service.now();
                    List<Job> claimed = store.claimQueued(list.name(), nodeId, UNLEASED_ONLY, now.plus(leaseDuration),
                            capacity);
                    health.ok(now);
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
                health.failed(service.now(), e);
            }
            return submitted;
        }
    }

    private Optional<ExecutionBackend> backendFor(String jobType) {
        return backends.stream().filter(b -> b.accepts(jobType)).findFirst();
    }

    private JobTemplate template(JobList list, Job job) {
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

    private void submit(JobList list, Job job) {
        Optional<ExecutionBackend> backend = backendFor(job.jobType());
        if (backend.isEmpty()) {
            systemFail(job.jobId(), "no execution backend accepts job type " + job.jobType(), null);
            return;
        }
        JobTemplate template;
        try {
            template = template(list, job);
        } catch (InvalidRequestException e) {
            systemFail(job.jobId(), e.getMessage(), null);
            return;
        }
        ExecutionBackend b = backend.get();
        // The lease names the backend before the work can start: recovery then knows the job may have started.
        Lease claim = job.lease();
        Lease intent = new Lease(nodeId, claim.expiresAt(), b.name(), null);
        Job marked;
        try {
            marked = service.change(job.jobId(), cur -> cur.phase() == Phase.QUEUED && claim.equals(cur.lease())
                    ? cur.toBuilder().lease(intent).build() : cur);
        } catch (JobNotFoundException e) {
            return;
        }
        if (!intent.equals(marked.lease())) {
            return; // aborted or changed since the claim: not this node's to run
        }
        Running r = new Running(job.jobId(), job.jobList(), b);
        running.put(job.jobId(), r);
        launch(r, b, template);
    }

    /**
     * Hands a job whose lease already names {@code b} for this node to the backend, then records the backend's
     * reference in the lease. A refused submission ends the job in ERROR.
     */
    private void launch(Running r, ExecutionBackend b, JobTemplate template) {
        String ref;
        try {
            ref = b.submit(template, r.events);
        } catch (ExecutionBackend.BackendException e) {
            r.events.failed(e.getMessage() == null ? "the execution backend refused the job" : e.getMessage(),
                    stackTrace(e));
            return;
        } catch (RuntimeException e) {
            r.events.failed("the execution backend " + b.name() + " failed: " + e, stackTrace(e));
            return;
        }
        r.ref = ref;
        record(r, new Write("submission", cur -> cur.lease() != null && nodeId.equals(cur.lease().nodeId())
                && cur.lease().backendRef() == null
                ? cur.toBuilder().lease(cur.lease().submitted(b.name(), ref)).build() : cur, null, false));
        if (r.abortRequested) {
            r.sendAbort();
        }
    }

    // ---------------------------------------------------------------- change notifications

    private void onChange(JobChange c) {
        if (c.isResync()) {
            // changes may have been missed: look for queued work now rather than at the next poll
            wakeDispatcher();
            return;
        }
        if (c.phase() == Phase.QUEUED) {
            wakeDispatcher();
        }
        Running r = running.get(c.jobId());
        if (r == null || r.finishing) {
            return;
        }
        if (c.deleted()) {
            r.abortRequested = true;
            r.sendAbort();
            finished(r);
        } else if (c.phase() == Phase.ABORTED) {
            r.abortRequested = true;
            r.sendAbort();
        } else if (c.phase() == Phase.EXECUTING && r.lastPhase == Phase.HELD
                && r.backend instanceof Holdable h && r.ref != null) {
            r.lastPhase = Phase.EXECUTING;
            try {
                h.release(r.ref);
            } catch (ExecutionBackend.BackendException | RuntimeException e) {
                LOG.warn("engine {}: releasing held job {} failed", nodeId, c.jobId(), e);
            }
        }
    }

    // ---------------------------------------------------------------- housekeeping

    @Override
    public int housekeep() {
        if (closed.get()) {
            return 0;
        }
        Instant now = service.now();
        if (!health.mayTry(now)) {
            return 0;
        }
        int changed = 0;
        try {
            changed += flushKeptWrites();
            releaseUnsubmitted();
            changed += watchdog(now);
            health.ok(now);
            changed += reap(now);
            renewLeases(now);
            changed += recover(now);
            checkRunning();
        } catch (StoreUnavailableException e) {
            health.failed(now, e);
        }
        return changed;
    }

    /**
     * Stores the kept event writes of every running job, oldest first per job.
     *
     * @return the number of writes stored
     * @throws StoreUnavailableException if the store still fails (the failed write stays first in its queue)
     */
    private int flushKeptWrites() {
        int n = 0;
        for (Running r : running.values()) {
            while (true) {
                Write w;
                synchronized (r.writes) {
                    w = r.lost ? null : r.writes.peekFirst();
                }
                if (w == null) {
                    break;
                }
                store(r, w);
                n++;
                synchronized (r.writes) {
                    r.writes.remove(w);
                }
            }
        }
        return n;
    }

    /**
     * Clears the claim of jobs this node claimed but never submitted (the store failed in between). Holds the
     * dispatch lock, so no submission of this node is half done: a job with this node's lease that is not running
     * here was not submitted by it.
     */
    private void releaseUnsubmitted() {
        if (unsubmitted.isEmpty()) {
            return;
        }
        synchronized (dispatchLock) {
            for (String id : unsubmitted) {
                if (!running.containsKey(id)) {
                    try {
                        service.change(id, cur -> cur.phase() == Phase.QUEUED && cur.lease() != null
                                && nodeId.equals(cur.lease().nodeId()) && cur.lease().backendRef() == null
                                && !running.containsKey(id) ? cur.toBuilder().lease(null).build() : cur);
                    } catch (JobNotFoundException e) {
                        // destroyed meanwhile
                    }
                }
                unsubmitted.remove(id);
            }
        }
    }

    private int watchdog(Instant now) {
        int n = 0;
        for (Job job : store.dueForTimeout(now, HOUSEKEEPING_BATCH)) {
            try {
                Job after = service.change(job.jobId(), cur -> cur.deadline().filter(d -> !d.isAfter(now)).isPresent()
                        ? terminal(cur, Phase.ABORTED, "execution duration exceeded", null, now) : cur);
                if (after.phase() == Phase.ABORTED && after.version() != job.version()) {
                    n++;
                }
            } catch (JobNotFoundException e) {
                // destroyed meanwhile
            }
        }
        return n;
    }

    private int reap(Instant now) {
        int n = 0;
        for (Job job : store.dueForDestruction(now, HOUSEKEEPING_BATCH)) {
            try {
                Job cur = job;
                if (!cur.phase().isFinished() && cur.phase() != Phase.ARCHIVED) {
                    cur = service.change(job.jobId(), j -> terminal(j, Phase.ABORTED, "destruction time reached",
                            null, now));
                }
                JobList list = service.jobListMap().get(cur.jobList());
                DestructionMode mode = list == null ? DestructionMode.DELETE : list.policy().destructionMode();
                if (mode == DestructionMode.ARCHIVE && cur.phase().isFinished()) {
                    cur = service.change(job.jobId(), j -> j.phase().isFinished()
                            ? j.toBuilder().phase(Phase.ARCHIVED, now, "destruction time reached")
                            .results(j.results().stream().filter(res -> !res.isStored()).toList())
                            .lease(null).build()
                            : j);
                    if (cur.phase() == Phase.ARCHIVED) {
                        deleteBlobs(cur.jobId());
                        n++;
                        continue;
                    }
                }
                service.destroy(cur);
                n++;
            } catch (JobNotFoundException e) {
                // destroyed meanwhile
            } catch (StoreUnavailableException e) {
                throw e;
            } catch (RuntimeException e) {
                LOG.warn("engine {}: destroying job {} failed", nodeId, job.jobId(), e);
            }
        }
        return n;
    }

    private void deleteBlobs(String jobId) {
        try {
            results.deleteAll(jobId);
        } catch (IOException e) {
            LOG.warn("engine {}: deleting the blobs of archived job {} failed", nodeId, jobId, e);
        }
    }

    private void renewLeases(Instant now) {
        Instant last = lastRenewal;
        if (last != null && now.isBefore(last.plus(leaseDuration.dividedBy(3)))) {
            return;
        }
        Instant until = now.plus(leaseDuration);
        for (Running r : running.values()) {
            renew(r, until);
        }
        lastRenewal = now; // not before: after a store failure every lease is renewed on the next pass
    }

    /**
     * Renews (re-asserts, if it lapsed or was cleared) the lease of a job this node runs, by compare-and-set: a
     * lease held by another node is never overwritten; finding one means the job was taken over.
     *
     * @throws StoreUnavailableException if the store cannot be reached
     */
    private void renew(Running r, Instant until) {
        if (r.lost) {
            return;
        }
        try {
            Job j = service.change(r.jobId, cur -> {
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
        } catch (JobNotFoundException e) {
            r.abortRequested = true;
            r.sendAbort();
            finished(r);
        } catch (StoreUnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.warn("engine {}: renewing the lease of job {} failed", nodeId, r.jobId, e);
        }
    }

    /** Whether an unfinished job's lease names another node. */
    private boolean heldElsewhere(Job j) {
        return j.lease() != null && !nodeId.equals(j.lease().nodeId()) && !j.phase().isFinished()
                && j.phase() != Phase.ARCHIVED;
    }

    /** Another node took over a job this node runs: stop the local execution and ignore its later events. */
    private void lost(Running r, Lease holder) {
        synchronized (r.writes) {
            if (r.lost) {
                return;
            }
            r.lost = true;
            r.writes.clear();
        }
        LOG.warn("engine {}: job {} was taken over ({}); stopping its local execution", nodeId, r.jobId, holder);
        if (!(r.backend instanceof Reattachable)) {
            r.abortRequested = true;
            r.sendAbort();
        }
        finished(r);
    }

    private int recover(Instant now) {
        int n = 0;
        for (Job job : store.expiredLeases(health.takeoverCutoff(now), HOUSEKEEPING_BATCH)) {
            Running mine = running.get(job.jobId());
            if (mine != null) {
                renew(mine, now.plus(leaseDuration));
                continue;
            }
            Lease lost = job.lease();
            boolean neverSubmitted = lost != null && lost.backend() == null;
            try {
                if (tryReattach(job, lost, now)) {
                    n++;
                    continue;
                }
                JobList list = service.jobListMap().get(job.jobList());
                boolean rerunnable = list != null && list.definition(job.jobType())
                        .map(JobDefinition::rerunnable).orElse(false);
                if (rerunnable && job.phase() == Phase.EXECUTING) {
                    if (tryRerun(list, job, lost, now)) {
                        n++;
                    }
                    continue;
                }
                Job after = service.change(job.jobId(), cur -> {
                    if (!lost.equals(cur.lease())) {
                        return cur;
                    }
                    if (cur.phase() == Phase.QUEUED && (neverSubmitted || rerunnable)) {
                        return cur.toBuilder().lease(null).build();
                    }
                    return terminal(cur, Phase.ERROR, "interrupted: node lost",
                            new ErrorSummary(ErrorSummary.Type.TRANSIENT, "interrupted: node lost",
                                    "engine node " + lost.nodeId() + " stopped renewing its lease at "
                                            + lost.expiresAt()), now);
                });
                if (after.version() != job.version()) {
                    n++;
                }
            } catch (JobNotFoundException e) {
                // destroyed meanwhile
            } catch (StoreUnavailableException e) {
                throw e;
            } catch (RuntimeException e) {
                LOG.warn("engine {}: recovering job {} failed", nodeId, job.jobId(), e);
            }
        }
        return n;
    }

    private boolean tryReattach(Job job, Lease lost, Instant now) {
        if (lost == null || lost.backendRef() == null || lost.backend() == null) {
            return false;
        }
        ExecutionBackend b = backends.stream().filter(x -> x.name().equals(lost.backend())).findFirst().orElse(null);
        JobList list = service.jobListMap().get(job.jobList());
        if (!(b instanceof Reattachable ra) || list == null) {
            return false;
        }
        Lease mine = new Lease(nodeId, now.plus(leaseDuration), lost.backend(), lost.backendRef());
        Job taken = service.change(job.jobId(), cur -> lost.equals(cur.lease())
                ? cur.toBuilder().lease(mine).build() : cur);
        if (!mine.equals(taken.lease())) {
            return false;
        }
        Running r = new Running(job.jobId(), job.jobList(), b);
        r.ref = lost.backendRef();
        r.lastPhase = taken.phase();
        running.put(job.jobId(), r);
        boolean ok;
        try {
            ok = ra.reattach(lost.backendRef(), template(list, taken), r.events);
        } catch (RuntimeException e) {
            LOG.warn("engine {}: re-attaching job {} failed", nodeId, job.jobId(), e);
            ok = false;
        }
        if (!ok) {
            running.remove(job.jobId(), r);
            service.change(job.jobId(), cur -> mine.equals(cur.lease()) ? cur.toBuilder().lease(lost).build() : cur);
            return false;
        }
        LOG.info("engine {}: re-attached job {} ({} {})", nodeId, job.jobId(), lost.backend(), lost.backendRef());
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
     * @throws StoreUnavailableException if the store cannot be reached
     */
    private boolean tryRerun(JobList list, Job job, Lease lost, Instant now) {
        Optional<ExecutionBackend> backend = backendFor(job.jobType());
        if (backend.isEmpty()) {
            LOG.debug("engine {}: no backend here accepts job type {}; leaving job {} to another node", nodeId,
                    job.jobType(), job.jobId());
            return false;
        }
        ExecutionBackend b = backend.get();
        synchronized (dispatchLock) {
            if (closed.get() || freeSlots(list) <= 0) {
                LOG.debug("engine {}: no free slot to rerun job {}; leaving it to a later pass", nodeId, job.jobId());
                return false;
            }
            Lease mine = new Lease(nodeId, now.plus(leaseDuration), b.name(), null);
            Job taken = service.change(job.jobId(), cur -> {
                if (!lost.equals(cur.lease()) || cur.phase() != Phase.EXECUTING) {
                    return cur;
                }
                Map<String, String> info = new java.util.LinkedHashMap<>(cur.jobInfo());
                info.remove("progress");
                info.remove("progressMessage");
                info.put("attempt", Integer.toString(attempt(cur) + 1));
                return cur.toBuilder().lease(mine).results(List.of()).jobInfo(info).build();
            });
            if (!mine.equals(taken.lease())) {
                return false; // another node took it over first, or it changed meanwhile
            }
            LOG.info("engine {}: rerunning job {} (attempt {}) in backend {}: node {} stopped renewing its lease at {}",
                    nodeId, job.jobId(), taken.jobInfo().get("attempt"), b.name(), lost.nodeId(), lost.expiresAt());
            try {
                results.deleteAll(job.jobId(), BlobKind.RESULT);
            } catch (IOException | RuntimeException e) {
                LOG.warn("engine {}: deleting the results of the lost attempt of job {} failed", nodeId,
                        job.jobId(), e);
            }
            JobTemplate template;
            try {
                template = template(list, taken);
            } catch (InvalidRequestException e) {
                systemFail(job.jobId(), e.getMessage(), null);
                return true;
            }
            Running r = new Running(job.jobId(), job.jobList(), b);
            r.lastPhase = Phase.EXECUTING;
            running.put(job.jobId(), r);
            launch(r, b, template);
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

    /** How many more jobs of {@code list} this node may run now ({@code maxExecutingJobs} minus its running ones). */
    private int freeSlots(JobList list) {
        long mine = running.values().stream().filter(r -> r.jobList.equals(list.name())).count();
        return (int) (list.policy().maxExecutingJobs() - mine);
    }

    /** Catches changes this node was not told of (other nodes, stores without a change feed). */
    private void checkRunning() {
        for (Running r : running.values()) {
            if (r.finishing || r.lost) {
                continue;
            }
            Optional<Job> j = store.get(r.jobId);
            if (j.isEmpty()) {
                r.abortRequested = true;
                r.sendAbort();
                finished(r);
            } else if (j.get().phase() == Phase.ABORTED) {
                r.abortRequested = true;
                r.sendAbort();
            } else if (j.get().phase().isFinished() || j.get().phase() == Phase.ARCHIVED) {
                // ended elsewhere (another node's recovery): local work of a non-reattachable backend is orphaned
                if (!(r.backend instanceof Reattachable)) {
                    r.abortRequested = true;
                    r.sendAbort();
                }
                finished(r);
            } else if (heldElsewhere(j.get())) {
                lost(r, j.get().lease());
            }
        }
    }

    // ---------------------------------------------------------------- phase rules

    /**
     * The job moved to a terminal phase by the table: directly when the edge exists, else through EXECUTING when
     * that is a legal path (QUEUED→EXECUTING→COMPLETED, HELD/SUSPENDED→EXECUTING→ABORTED); unchanged when the job
     * has already finished or no path exists.
     */
    static Job terminal(Job cur, Phase to, String reason, ErrorSummary error, Instant now) {
        Phase p = cur.phase();
        if (p.isFinished() || p == Phase.ARCHIVED) {
            return cur;
        }
        Job.Builder b = cur.toBuilder();
        if (!PhaseMachine.isAllowed(p, to)) {
            if (!PhaseMachine.isAllowed(p, Phase.EXECUTING) || !PhaseMachine.isAllowed(Phase.EXECUTING, to)) {
                return cur;
            }
            b.phase(Phase.EXECUTING, now, p == Phase.QUEUED ? "started" : "resumed");
            if (cur.startTime() == null) {
                b.startTime(now);
            }
        }
        b.phase(to, now, reason).endTime(now).lease(null);
        if (error != null) {
            b.error(error);
        }
        return b.build();
    }

    private void systemFail(String jobId, String message, String detail) {
        Instant now = service.now();
        try {
            service.change(jobId, cur -> terminal(cur, Phase.ERROR, "failed",
                    new ErrorSummary(ErrorSummary.Type.FATAL, message, detail), now));
        } catch (JobNotFoundException e) {
            // destroyed meanwhile
        }
    }

    private void finished(Running r) {
        if (running.remove(r.jobId, r)) {
            wakeDispatcher();
            synchronized (drained) {
                drained.notifyAll();
            }
        }
    }

    private static String stackTrace(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        return w.toString();
    }

    // ---------------------------------------------------------------- shutdown

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        long deadline = System.nanoTime() + shutdownGrace.toNanos();
        wake.release();
        stop(dispatchThread, deadline);
        stop(housekeepingThread, deadline);
        for (Running r : running.values()) {
            if (!(r.backend instanceof Reattachable)) {
                r.abortRequested = true;
                r.sendAbort();
            }
        }
        // wait for non-reattachable work to end and for kept event writes to be stored, retrying them meanwhile
        while (running.values().stream().anyMatch(r -> !(r.backend instanceof Reattachable) || r.hasKeptWrites())) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                LOG.warn("engine {}: {} jobs still running or with unstored events after the shutdown grace of {};"
                        + " recovery will decide them (at most once)", nodeId, running.size(), shutdownGrace);
                break;
            }
            try {
                flushKeptWrites();
            } catch (StoreUnavailableException e) {
                LOG.debug("engine {}: the job store is still unavailable while closing", nodeId);
            }
            synchronized (drained) {
                try {
                    drained.wait(Math.max(1, Math.min(CLOSE_RETRY_MILLIS, TimeUnit.NANOSECONDS.toMillis(left))));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        for (ExecutionBackend b : backends) {
            try {
                b.close();
            } catch (RuntimeException e) {
                LOG.warn("engine {}: closing backend {} failed", nodeId, b.name(), e);
            }
        }
        try {
            hook.close();
        } catch (Exception e) {
            LOG.warn("engine {}: removing the change hook failed", nodeId, e);
        }
        LOG.info("engine {} closed", nodeId);
    }

    private void stop(ExecutorService ex, long deadline) {
        if (ex == null) {
            return;
        }
        ex.shutdown();
        try {
            if (!ex.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                ex.shutdownNow();
            }
        } catch (InterruptedException e) {
            ex.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    // ---------------------------------------------------------------- event writes

    /**
     * Records one event of a running job: stored now, or kept (in order, behind the job's earlier kept writes) when
     * the store is unavailable, for {@link #flushKeptWrites()} to store later. Never throws for store failures.
     */
    private void record(Running r, Write w) {
        synchronized (r.writes) {
            if (r.lost) {
                return;
            }
            if (!r.writes.isEmpty() || health.isDown()) {
                keep(r, w);
                return;
            }
            try {
                store(r, w);
            } catch (StoreUnavailableException e) {
                health.failed(service.now(), e);
                keep(r, w);
            }
        }
    }

    private void keep(Running r, Write w) {
        if (w.replaces != null) {
            r.writes.removeIf(x -> w.replaces.equals(x.replaces));
        }
        r.writes.addLast(w);
        LOG.debug("engine {}: the job store is unavailable; keeping {} of job {} ({} kept)", nodeId, w.what, r.jobId,
                r.writes.size());
    }

    /**
     * Stores one event write, unless another node holds the job's lease (then the local execution is stopped).
     *
     * @throws StoreUnavailableException if the store cannot be reached: the caller keeps the write
     */
    private void store(Running r, Write w) {
        Job after;
        try {
            after = service.change(r.jobId, cur -> heldElsewhere(cur) ? cur : w.rule.apply(cur));
        } catch (JobNotFoundException e) {
            LOG.debug("engine {}: job {} is gone; ignoring {}", nodeId, r.jobId, w.what);
            r.abortRequested = true;
            r.sendAbort();
            finished(r);
            return;
        } catch (StoreUnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.error("engine {}: could not record {} of job {}", nodeId, w.what, r.jobId, e);
            if (w.terminal) {
                finished(r);
            }
            return;
        }
        health.ok(service.now());
        if (heldElsewhere(after)) {
            lost(r, after.lease());
        } else if (w.terminal) {
            finished(r);
        }
    }

    /**
     * One event write of a running job. Equality is identity: a flushed write is removed from its queue by identity.
     * {@code what} names it in logs; {@code rule} is a rule of {@link DefaultJobService#change}, so applying it
     * again is safe; {@code replaces} is the key of a last-wins write (a progress, a jobInfo key, a result id): a
     * kept write with the same key is dropped when this one is kept (null for phase events, which are all kept);
     * {@code terminal} says that storing it ends the job's stay in {@link #running}.
     */
    private static final class Write {
        final String what;
        final DefaultJobService.Rule rule;
        final String replaces;
        final boolean terminal;

        Write(String what, DefaultJobService.Rule rule, String replaces, boolean terminal) {
            this.what = what;
            this.rule = rule;
            this.replaces = replaces;
            this.terminal = terminal;
        }
    }

    /**
     * What this node knows of the store's availability: when to try it again (exponential back-off) and, after an
     * outage, until when leases that lapsed during it are not taken over. Thread-safe (its own monitor).
     */
    private final class StoreHealth {
        private boolean down;
        private Instant lastOk;
        private Instant downSince;
        private Instant backAt;
        private Instant graceCutoff;
        private Duration delay = Duration.ZERO;
        private Instant retryAt;

        synchronized boolean isDown() {
            return down;
        }

        /**
         * Whether the store may be tried at {@code now}: always, unless it is down and the back-off runs. In manual
         * mode the caller decides when to retry, so there is no back-off.
         */
        synchronized boolean mayTry(Instant now) {
            return manual || !down || !now.isBefore(retryAt);
        }

        synchronized void ok(Instant now) {
            if (down) {
                down = false;
                Instant cutoff = downSince;
                if (inGrace(now) && graceCutoff.isBefore(cutoff)) {
                    cutoff = graceCutoff;
                }
                graceCutoff = cutoff;
                backAt = now;
                delay = Duration.ZERO;
                lastRenewal = null;
                LOG.info("engine {}: the job store answers again (unavailable since about {}); leases that lapsed"
                        + " meanwhile are not taken over before {}", nodeId, downSince, now.plus(leaseDuration));
            }
            if (lastOk == null || now.isAfter(lastOk)) {
                lastOk = now;
            }
        }

        synchronized void failed(Instant now, StoreUnavailableException e) {
            if (!down) {
                down = true;
                downSince = lastOk != null && lastOk.isBefore(now) ? lastOk : now;
                LOG.warn("engine {}: the job store is unavailable ({}); keeping event writes and retrying", nodeId,
                        e.getMessage());
            }
            Duration max = STORE_RETRY_MAX.compareTo(leaseDuration.dividedBy(3)) < 0 ? STORE_RETRY_MAX
                    : leaseDuration.dividedBy(3);
            delay = delay.isZero() ? STORE_RETRY_MIN : delay.multipliedBy(2);
            if (delay.compareTo(max) > 0) {
                delay = max;
            }
            retryAt = now.plus(delay);
        }

        /**
         * The instant before which a lease must have expired to be taken over: {@code now}, except during an outage
         * and for one lease duration after it, when leases that lapsed since the outage began are left to their
         * owners to renew.
         */
        synchronized Instant takeoverCutoff(Instant now) {
            Instant cutoff = down ? downSince : inGrace(now) ? graceCutoff : now;
            return cutoff.isBefore(now) ? cutoff : now;
        }

        private boolean inGrace(Instant now) {
            return backAt != null && now.isBefore(backAt.plus(leaseDuration));
        }
    }

    // ---------------------------------------------------------------- one running job

    private final class Running {
        final String jobId;
        final String jobList;
        final ExecutionBackend backend;
        final Events events = new Events(this);
        final AtomicBoolean abortSent = new AtomicBoolean();
        volatile String ref;
        volatile boolean abortRequested;
        volatile boolean finishing;
        /** Another node took the job over: its events are ignored. Set and read under {@link #writes}. */
        volatile boolean lost;
        volatile Phase lastPhase = Phase.QUEUED;
        /** Event writes the store refused (unavailable), oldest first; the monitor orders this job's writes. */
        final Deque<Write> writes = new ArrayDeque<>();

        Running(String jobId, String jobList, ExecutionBackend backend) {
            this.jobId = jobId;
            this.jobList = jobList;
            this.backend = backend;
        }

        boolean hasKeptWrites() {
            synchronized (writes) {
                return !writes.isEmpty();
            }
        }

        void sendAbort() {
            String r = ref;
            if (r != null && abortSent.compareAndSet(false, true)) {
                try {
                    backend.abort(r);
                } catch (RuntimeException e) {
                    LOG.warn("engine {}: aborting job {} in backend {} failed", nodeId, jobId, backend.name(), e);
                }
            }
        }
    }

    /** The events of one job, as the backend reports them. */
    private final class Events implements ExecutionEvents {
        private final Running r;

        Events(Running r) {
            this.r = r;
        }

        private void apply(String what, DefaultJobService.Rule rule) {
            record(r, new Write(what, rule, null, false));
        }

        private void move(Phase from, Phase to, String reason) {
            Instant now = service.now();
            apply(reason, cur -> {
                if (cur.phase() != from || !PhaseMachine.isAllowed(from, to)) {
                    return cur;
                }
                Job.Builder b = cur.toBuilder().phase(to, now, reason);
                if (to == Phase.EXECUTING && cur.startTime() == null) {
                    b.startTime(now);
                }
                return b.build();
            });
            r.lastPhase = to;
        }

        private void end(Phase to, String reason, ErrorSummary error) {
            r.finishing = true;
            Instant now = service.now();
            record(r, new Write(reason, cur -> terminal(cur, to, reason, error, now), null, true));
        }

        @Override
        public void started() {
            Instant now = service.now();
            apply("started", cur -> {
                Phase p = cur.phase();
                if (p != Phase.QUEUED && p != Phase.HELD && p != Phase.SUSPENDED) {
                    return cur;
                }
                Job.Builder b = cur.toBuilder().phase(Phase.EXECUTING, now, p == Phase.QUEUED ? "started" : "resumed");
                if (cur.startTime() == null) {
                    b.startTime(now);
                }
                return b.build();
            });
            r.lastPhase = Phase.EXECUTING;
        }

        @Override
        public void progress(double fraction, String message) {
            record(r, new Write("progress", cur -> {
                if (cur.phase().isFinished() || cur.phase() == Phase.ARCHIVED) {
                    return cur;
                }
                Job.Builder b = cur.toBuilder();
                if (fraction >= 0) {
                    b.putJobInfo("progress", String.format(Locale.ROOT, "%.3f", Math.min(1.0, fraction)));
                }
                if (message != null) {
                    b.putJobInfo("progressMessage", message);
                }
                return b.build();
            }, "progress" + (fraction >= 0 ? " fraction" : "") + (message != null ? " message" : ""), false));
        }

        @Override
        public void info(String key, String value) {
            if (key == null || !XML_NAME.matcher(key).matches()) {
                throw new IllegalArgumentException("jobInfo key '" + key + "' is not an XML name");
            }
            record(r, new Write("info " + key, cur -> java.util.Objects.equals(cur.jobInfo().get(key), value) ? cur
                    : cur.toBuilder().putJobInfo(key, value == null ? "" : value).build(), "info " + key, false));
        }

        @Override
        public OutputStream openResult(String id, String mimeType) throws IOException {
            ResultStore.checkName(id);
            OutputStream out = results.create(r.jobId, BlobKind.RESULT, id);
            return new FilterOutputStream(out) {
                private long size;
                private boolean closed;

                @Override
                public void write(int b) throws IOException {
                    out.write(b);
                    size++;
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                    size += len;
                }

                @Override
                public void close() throws IOException {
                    if (closed) {
                        return;
                    }
                    closed = true;
                    super.close();
                    addResult(Result.stored(id, mimeType, size));
                }
            };
        }

        @Override
        public void addResult(Result result) {
            ResultStore.checkName(result.id());
            record(r, new Write("result " + result.id(), cur -> cur.phase() == Phase.ARCHIVED ? cur
                    : cur.toBuilder().addResult(result).build(), "result " + result.id(), false));
        }

        @Override
        public InputStream openUpload(String name) throws IOException {
            String blob = name;
            Optional<Job> job;
            try {
                job = store.get(r.jobId);
            } catch (StoreUnavailableException e) {
                throw new IOException("the job store is unavailable; cannot read upload '" + name + "' of job "
                        + r.jobId, e);
            }
            if (job.isPresent()) {
                for (Parameter p : job.get().parameters()) {
                    if (p.upload() != null && p.isNamed(name) && p.value().startsWith("param:")) {
                        blob = p.value().substring(6);
                        break;
                    }
                }
            }
            return results.read(r.jobId, BlobKind.UPLOAD, blob, 0, -1);
        }

        @Override
        public void suspended() {
            move(Phase.EXECUTING, Phase.SUSPENDED, "suspended");
        }

        @Override
        public void resumed() {
            move(Phase.SUSPENDED, Phase.EXECUTING, "resumed");
        }

        @Override
        public void held() {
            Instant now = service.now();
            apply("held", cur -> (cur.phase() == Phase.QUEUED || cur.phase() == Phase.EXECUTING)
                    && PhaseMachine.isAllowed(cur.phase(), Phase.HELD)
                    ? cur.toBuilder().phase(Phase.HELD, now, "held").build() : cur);
            r.lastPhase = Phase.HELD;
        }

        @Override
        public void released() {
            move(Phase.HELD, Phase.QUEUED, "released");
        }

        @Override
        public void completed() {
            end(Phase.COMPLETED, "completed", null);
        }

        @Override
        public void failed(String message, String detail) {
            String m = message == null || message.isBlank() ? "the job failed" : message;
            end(Phase.ERROR, "failed", new ErrorSummary(ErrorSummary.Type.FATAL, m, detail));
        }

        @Override
        public void aborted(String reason) {
            end(Phase.ABORTED, reason == null ? "aborted" : reason, null);
        }

        @Override
        public boolean abortRequested() {
            return r.abortRequested || closed.get();
        }
    }
}
