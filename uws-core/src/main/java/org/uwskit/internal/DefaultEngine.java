package org.uwskit.internal;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
 */
public final class DefaultEngine implements Engine {
    /** The most jobs each housekeeping step reads from the store per run. */
    public static final int HOUSEKEEPING_BATCH = 100;

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
            for (JobList list : service.jobListMap().values()) {
                long mine = running.values().stream().filter(r -> r.jobList.equals(list.name())).count();
                int capacity = (int) (list.policy().maxExecutingJobs() - mine);
                if (capacity <= 0 || closed.get()) {
                    continue;
                }
                Instant now = service.now();
                for (Job job : store.claimQueued(list.name(), nodeId, now, now.plus(leaseDuration), capacity)) {
                    submit(list, job);
                    submitted++;
                }
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
        Running r = new Running(job.jobId(), job.jobList(), b);
        running.put(job.jobId(), r);
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
        try {
            service.change(job.jobId(), cur -> cur.lease() != null && nodeId.equals(cur.lease().nodeId())
                    && cur.lease().backendRef() == null
                    ? cur.toBuilder().lease(cur.lease().submitted(b.name(), ref)).build() : cur);
        } catch (JobNotFoundException e) {
            r.abortRequested = true;
        }
        if (r.abortRequested) {
            r.sendAbort();
        }
    }

    // ---------------------------------------------------------------- change notifications

    private void onChange(JobChange c) {
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
        int changed = watchdog(now);
        changed += reap(now);
        renewLeases(now);
        changed += recover(now);
        checkRunning();
        return changed;
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
        lastRenewal = now;
        Instant until = now.plus(leaseDuration);
        for (Running r : running.values()) {
            try {
                Job j = service.change(r.jobId, cur -> cur.lease() != null && nodeId.equals(cur.lease().nodeId())
                        && !cur.phase().isFinished()
                        ? cur.toBuilder().lease(cur.lease().renewedUntil(until)).build() : cur);
                if (j.phase().isActive() || j.phase() == Phase.HELD || j.phase() == Phase.SUSPENDED) {
                    if (j.lease() == null || !nodeId.equals(j.lease().nodeId())) {
                        LOG.warn("engine {}: lost the lease of job {} to {}", nodeId, r.jobId, j.lease());
                    }
                }
            } catch (JobNotFoundException e) {
                r.abortRequested = true;
                r.sendAbort();
                finished(r);
            } catch (RuntimeException e) {
                LOG.warn("engine {}: renewing the lease of job {} failed", nodeId, r.jobId, e);
            }
        }
    }

    private int recover(Instant now) {
        int n = 0;
        for (Job job : store.expiredLeases(now, HOUSEKEEPING_BATCH)) {
            if (running.containsKey(job.jobId())) {
                continue;
            }
            Lease lost = job.lease();
            try {
                if (tryReattach(job, lost, now)) {
                    n++;
                    continue;
                }
                JobList list = service.jobListMap().get(job.jobList());
                boolean rerunnable = list != null && list.definition(job.jobType())
                        .map(JobDefinition::rerunnable).orElse(false);
                Job after = service.change(job.jobId(), cur -> {
                    if (!lost.equals(cur.lease())) {
                        return cur;
                    }
                    if (cur.phase() == Phase.QUEUED && (lost.backendRef() == null || rerunnable)) {
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

    /** Catches changes this node was not told of (other nodes, stores without a change feed). */
    private void checkRunning() {
        for (Running r : running.values()) {
            if (r.finishing) {
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
                finished(r);
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
        synchronized (drained) {
            while (running.values().stream().anyMatch(r -> !(r.backend instanceof Reattachable))) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    LOG.warn("engine {}: {} jobs still running after the shutdown grace of {}", nodeId,
                            running.size(), shutdownGrace);
                    break;
                }
                try {
                    drained.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
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
        volatile Phase lastPhase = Phase.QUEUED;

        Running(String jobId, String jobList, ExecutionBackend backend) {
            this.jobId = jobId;
            this.jobList = jobList;
            this.backend = backend;
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
            try {
                service.change(r.jobId, rule);
            } catch (JobNotFoundException e) {
                LOG.debug("engine {}: job {} is gone; ignoring {}", nodeId, r.jobId, what);
            } catch (RuntimeException e) {
                LOG.error("engine {}: could not record {} of job {}", nodeId, what, r.jobId, e);
            }
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
            apply(reason, cur -> terminal(cur, to, reason, error, now));
            finished(r);
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
            apply("progress", cur -> {
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
            });
        }

        @Override
        public void info(String key, String value) {
            if (key == null || !XML_NAME.matcher(key).matches()) {
                throw new IllegalArgumentException("jobInfo key '" + key + "' is not an XML name");
            }
            apply("info", cur -> java.util.Objects.equals(cur.jobInfo().get(key), value) ? cur
                    : cur.toBuilder().putJobInfo(key, value == null ? "" : value).build());
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
            apply("result " + result.id(), cur -> cur.phase() == Phase.ARCHIVED ? cur
                    : cur.toBuilder().addResult(result).build());
        }

        @Override
        public InputStream openUpload(String name) throws IOException {
            String blob = name;
            Optional<Job> job = store.get(r.jobId);
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
            move(Phase.EXECUTING, Phase.HELD, "held");
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
