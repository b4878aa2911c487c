package org.uwskit.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.uwskit.Engine;
import org.uwskit.JobIds;
import org.uwskit.JobList;
import org.uwskit.JobService;
import org.uwskit.Phase;
import org.uwskit.StoreUnavailableException;
import org.uwskit.spi.ExecutionBackend;
import org.uwskit.spi.Holdable;
import org.uwskit.spi.JobChangeFeed.JobChange;
import org.uwskit.spi.QuoteEstimator;
import org.uwskit.spi.Reattachable;

/**
 * The implementation of {@link Engine}. Not API: build engines with {@link Engine#builder(JobService)}.
 *
 * <p>The engine is a few parts, each with one job, over what the node holds ({@link EngineNode}): the
 * {@link Dispatcher} (claims and submissions), the {@link Housekeeper} (watchdog, reaper, archive, lease renewal),
 * {@link Recovery} (re-attach, rerun, node lost), the outage-tolerant {@link EventWriter} and the per-job
 * {@link BackendEvents} sink; {@link PerJob} is their one failure ladder. This class owns the lifecycle: the threads,
 * the change hook and shutdown.
 *
 * <p>Two owned threads when started: {@code uws-engine-<nodeId>-dispatch} claims QUEUED work (woken at once when a
 * job becomes QUEUED, else every poll interval) and {@code uws-engine-<nodeId>-housekeeping} runs the watchdog,
 * the reaper, lease renewal and recovery. In manual mode neither exists and the caller drives {@link #dispatch()}
 * and {@link #housekeep()}. Every phase change goes through {@link JobKernel#change}, so the engine obeys
 * the same phase table and compare-and-set rules as client requests; a backend event that the job's phase no
 * longer allows (completed after a stored ABORT) changes nothing.
 *
 * <p><b>At most once, also across store outages.</b> A job is never run twice because of a database outage:
 * <ul>
 * <li>A backend event whose write fails with {@link StoreUnavailableException} is kept, per job and in order, and
 * retried on the housekeeping thread (with back-off from {@link StoreHealth#STORE_RETRY_MIN} to
 * {@link StoreHealth#STORE_RETRY_MAX})
 * until it is stored; it is never dropped. While the engine knows the store is down, events are queued at once
 * (the backend's thread is not held up). Memory stays bounded: queues exist only for running jobs, and a queued
 * progress, jobInfo key or result replaces its own earlier queued value. A job leaves this node's running set
 * only once its terminal event is stored, so it keeps counting against {@code maxExecutingJobs} and keeps its
 * lease until then.</li>
 * <li>The lease of a running job is re-asserted (compare-and-set) as soon as the store answers again, also when
 * it lapsed meanwhile; recovery never takes over a job this node still runs (it renews it instead). If another
 * node did take a job over, this node stops its local execution (a non-reattachable backend is asked to abort;
 * for a {@link Reattachable} backend the work is now the other node's, so this node only detaches:
 * {@link Reattachable#detach}, after which the backend no longer watches it) and ignores its later events.</li>
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
    public static final int HOUSEKEEPING_BATCH = Housekeeper.HOUSEKEEPING_BATCH;
    /** The first delay before the store is tried again after it was found unavailable; doubled per failure. */
    public static final Duration STORE_RETRY_MIN = StoreHealth.STORE_RETRY_MIN;
    /** The longest delay between tries of an unavailable store (also capped at a third of the lease duration). */
    public static final Duration STORE_RETRY_MAX = StoreHealth.STORE_RETRY_MAX;
    /** How often {@link #close()} retries kept event writes while it waits for running work. */
    static final long CLOSE_RETRY_MILLIS = 50;

    private static final Logger LOG = LoggerFactory.getLogger(DefaultEngine.class);

    private final JobKernel kernel;
    /** Whether the kernel is this engine's own (its service was not built by {@code JobService.builder()}). */
    private final boolean ownKernel;
    private final String nodeId;
    private final List<ExecutionBackend> backends;
    private final Duration pollInterval;
    private final Duration housekeepingInterval;
    private final Duration leaseDuration;
    private final Duration shutdownGrace;
    private final boolean manual;

    private final EngineNode node;
    private final EventWriter writer;
    private final Dispatcher dispatcher;
    private final Housekeeper housekeeper;
    private final Semaphore wake = new Semaphore(0);
    private final AtomicBoolean started = new AtomicBoolean();
    private final AutoCloseable hook;
    private ExecutorService dispatchThread;
    private ScheduledExecutorService housekeepingThread;

    private DefaultEngine(Engine.Builder b, JobKernel kernel, boolean ownKernel) {
        this.kernel = kernel;
        this.ownKernel = ownKernel;
        this.backends = b.backends();
        this.nodeId = b.nodeId() != null ? b.nodeId() : "node-" + JobIds.next().substring(0, 10);
        this.pollInterval = b.pollInterval();
        this.housekeepingInterval = b.housekeepingInterval();
        this.leaseDuration = b.leaseDuration();
        this.shutdownGrace = b.shutdownGrace();
        this.manual = b.isManual();
        this.node = new EngineNode(kernel, backends, nodeId, leaseDuration, manual, this::wakeDispatcher);
        this.writer = new EventWriter(node);
        this.dispatcher = new Dispatcher(node, writer);
        this.housekeeper = new Housekeeper(node, writer, dispatcher, new Recovery(node, dispatcher));
        this.hook = kernel.onChange(this::onChange);
    }

    /**
     * Builds the engine the builder describes (called by {@link Engine.Builder#build()}). The engine works over the
     * kernel of a service built by {@code JobService.builder()}; over a kernel of its own, on the builder's store and
     * result store, for any other {@link JobService}.
     *
     * @throws IllegalArgumentException if the service is not built by {@code JobService.builder()} and the builder
     *                                  names no store and result store, or names another store than the service's
     */
    public static DefaultEngine create(Engine.Builder builder) {
        JobService s = builder.service();
        Optional<JobKernel> shared = JobKernel.of(s);
        DefaultEngine e;
        if (shared.isPresent()) {
            JobKernel k = shared.get();
            if (builder.store() != null && builder.store() != k.store()
                    || builder.resultStore() != null && builder.resultStore() != k.resultStore()) {
                throw new IllegalArgumentException("the engine's store and result store must be those of its service");
            }
            e = new DefaultEngine(builder, k, false);
        } else {
            if (builder.store() == null || builder.resultStore() == null) {
                throw new IllegalArgumentException("an Engine on a JobService not built by JobService.builder() ("
                        + s.getClass().getName() + ") needs the service's job store and result store:"
                        + " Engine.builder(service).store(...).resultStore(...)");
            }
            Map<String, JobList> lists = new java.util.LinkedHashMap<>();
            s.jobLists().forEach(l -> lists.put(l.name(), l));
            e = new DefaultEngine(builder, new JobKernel(builder.store(), builder.resultStore(), s.clock(), lists,
                    List.of(), QuoteEstimator.none()), true);
        }
        LOG.info("Engine {}: backends={} poll={} housekeeping={} lease={} grace={} manual={}", e.nodeId,
                e.backends.stream().map(ExecutionBackend::name).toList(), e.pollInterval, e.housekeepingInterval,
                e.leaseDuration, e.shutdownGrace, e.manual);
        return e;
    }

    @Override
    public String nodeId() {
        return nodeId;
    }

    @Override
    public Set<String> runningJobIds() {
        return Set.copyOf(node.running.keySet());
    }

    @Override
    public void start() {
        if (manual || node.closed.get() || !started.compareAndSet(false, true)) {
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
        while (!node.closed.get()) {
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

    @Override
    public int dispatch() {
        return dispatcher.dispatch();
    }

    @Override
    public int housekeep() {
        return housekeeper.housekeep();
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
        RunningJob r = node.running.get(c.jobId());
        if (r == null || r.finishing) {
            return;
        }
        if (c.deleted()) {
            r.stop();
            node.finished(r);
        } else if (c.phase() == Phase.ABORTED) {
            r.stop();
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

    // ---------------------------------------------------------------- shutdown

    @Override
    public void close() {
        if (!node.closed.compareAndSet(false, true)) {
            return;
        }
        long deadline = System.nanoTime() + shutdownGrace.toNanos();
        wake.release();
        stop(dispatchThread, deadline);
        stop(housekeepingThread, deadline);
        for (RunningJob r : node.running.values()) {
            if (!(r.backend instanceof Reattachable)) {
                r.stop();
            }
        }
        // wait for non-reattachable work to end and for kept event writes to be stored, retrying them meanwhile
        while (node.running.values().stream().anyMatch(r -> !(r.backend instanceof Reattachable) || r.hasKeptWrites())) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                LOG.warn("engine {}: {} jobs still running or with unstored events after the shutdown grace of {};"
                        + " recovery will decide them (at most once)", nodeId, node.running.size(), shutdownGrace);
                break;
            }
            try {
                writer.flushKeptWrites();
            } catch (StoreUnavailableException e) {
                LOG.debug("engine {}: the job store is still unavailable while closing", nodeId);
            }
            try {
                node.awaitFinished(Math.min(CLOSE_RETRY_MILLIS, TimeUnit.NANOSECONDS.toMillis(left)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
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
        if (ownKernel) {
            kernel.close();
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
}
