package org.uwskit.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.uwskit.local.internal.BackendSettings;
import org.uwskit.local.internal.Execution;
import org.uwskit.local.internal.LocalJob;
import org.uwskit.local.internal.LogicExecution;
import org.uwskit.local.internal.ProcessExecution;
import org.uwskit.local.internal.WorkDirs;
import org.uwskit.spi.ExecutionBackend;
import org.uwskit.spi.ExecutionEvents;
import org.uwskit.spi.JobTemplate;
import org.uwskit.spi.ResultStore;

/**
 * An {@link ExecutionBackend} that runs jobs on this host: Java {@link JobLogic} inside the JVM and
 * {@link ProcessTemplate OS processes}, one job type each. Build with {@link #builder()}.
 *
 * <p><b>Threads:</b> jobs run on an owned, bounded pool of {@link Builder#threads(int)} threads named
 * {@code uws-local-<name>-N}; a process job holds its thread while the process runs, so the pool also bounds the
 * number of concurrent processes. Jobs submitted while every thread is busy wait in a bounded queue (state
 * {@link BackendState#QUEUED}, UWS phase still QUEUED) and start, reporting {@link ExecutionEvents#started()}, when a
 * thread frees up. All methods are thread-safe; {@link #submit} returns at once.
 *
 * <p><b>Abort:</b> {@link #abort} takes a waiting job off the queue, or marks a running one cancelled and interrupts
 * its thread; a process job then sends SIGTERM to the process and all its descendants, and SIGKILL to whatever is
 * still alive after {@link Builder#killGrace(Duration)}. Results written before the abort are kept; a process job
 * also lists its stdout, stderr and existing output files.
 *
 * <p><b>Restarts:</b> in-JVM work and child processes die with the JVM, so this backend is deliberately not
 * {@link org.uwskit.spi.Reattachable}: after a node loss the engine applies its lost-node policy (ERROR, or a re-run
 * for rerunnable job types).
 *
 * <p>{@link #close()} is idempotent: it refuses new work, aborts waiting and running jobs, and waits at most
 * killGrace plus {@value #CLOSE_EXTRA_WAIT_SECONDS} seconds for the threads to end. Hand a backend to one
 * {@link org.uwskit.Engine}, which closes it when the engine closes; a backend built with a temporary work root
 * deletes it on close. Pool threads are daemon threads, so logic that ignores interruption cannot keep the JVM alive.
 */
public final class LocalBackend implements ExecutionBackend {
    /** The default backend name. */
    public static final String DEFAULT_NAME = "local";
    /** The default number of pool threads. */
    public static final int DEFAULT_THREADS = Math.max(2, Runtime.getRuntime().availableProcessors());
    /** The default time between SIGTERM and SIGKILL when a process tree is stopped. */
    public static final Duration DEFAULT_KILL_GRACE = Duration.ofSeconds(5);
    /** The default number of submitted jobs that may wait for a thread. */
    public static final int DEFAULT_QUEUE_CAPACITY = 10_000;
    /** How many finished jobs {@link #states} still remembers. */
    public static final int FINISHED_STATES_KEPT = 10_000;
    /** Seconds {@link #close()} waits beyond killGrace for running jobs to stop. */
    public static final long CLOSE_EXTRA_WAIT_SECONDS = 5;

    private static final Logger LOG = LoggerFactory.getLogger(LocalBackend.class);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final BackendSettings settings;
    private final Map<String, JobLogic> logics;
    private final Map<String, ProcessTemplate> processes;
    private final ThreadPoolExecutor pool;
    private final boolean ownsWorkRoot;
    private final Map<String, LocalJob> jobs = new ConcurrentHashMap<>();
    private final Map<String, LocalJob.State> finished;
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();

    private LocalBackend(Builder b, Path workRoot, boolean ownsWorkRoot) {
        this.settings = new BackendSettings(b.name, b.clock, workRoot, b.killGrace, b.keepWorkDirs);
        this.logics = Map.copyOf(b.logics);
        this.processes = Map.copyOf(b.processes);
        this.ownsWorkRoot = ownsWorkRoot;
        this.finished = java.util.Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, LocalJob.State> eldest) {
                return size() > FINISHED_STATES_KEPT;
            }
        });
        this.pool = new ThreadPoolExecutor(b.threads, b.threads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(b.queueCapacity), new NamedThreads("uws-local-" + b.name + "-"),
                new ThreadPoolExecutor.AbortPolicy());
    }

    /**
     * A new builder with the defaults named above.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return settings.name();
    }

    @Override
    public boolean accepts(String jobType) {
        return logics.containsKey(jobType) || processes.containsKey(jobType);
    }

    /** @return the directory holding the jobs' work directories */
    public Path workRoot() {
        return settings.workRoot();
    }

    /** @return the number of pool threads, i.e. the most jobs that run at once */
    public int threads() {
        return pool.getMaximumPoolSize();
    }

    /**
     * {@inheritDoc}
     *
     * @return {@code <jobId>.<n>}, unique within this backend instance
     * @throws BackendException if the backend is closed, does not run the job type, or its queue is full
     */
    @Override
    public String submit(JobTemplate template, ExecutionEvents events) throws BackendException {
        Objects.requireNonNull(template, "template");
        Objects.requireNonNull(events, "events");
        if (closed.get()) {
            throw new BackendException("the local backend '" + name() + "' is shut down");
        }
        Execution execution;
        if (logics.containsKey(template.jobType())) {
            execution = new LogicExecution(logics.get(template.jobType()));
        } else if (processes.containsKey(template.jobType())) {
            execution = new ProcessExecution(processes.get(template.jobType()));
        } else {
            throw new BackendException("the local backend '" + name() + "' has no job logic or process for job type "
                    + template.jobType());
        }
        try {
            ResultStore.checkName(template.jobId());
        } catch (IllegalArgumentException e) {
            throw new BackendException("job id '" + template.jobId() + "' cannot name a work directory");
        }
        String ref = template.jobId() + "." + sequence.incrementAndGet();
        LocalJob job = new LocalJob(ref, template, events, execution, settings, this::finished);
        jobs.put(ref, job);
        try {
            pool.execute(job);
        } catch (RejectedExecutionException e) {
            jobs.remove(ref);
            throw new BackendException(closed.get()
                    ? "the local backend '" + name() + "' is shut down"
                    : "the local backend '" + name() + "' is full: " + pool.getQueue().size() + " jobs wait already");
        }
        return ref;
    }

    @Override
    public void abort(String backendRef) {
        LocalJob job = backendRef == null ? null : jobs.get(backendRef);
        if (job != null) {
            cancel(job, "aborted");
        }
    }

    @Override
    public Map<String, BackendState> states(Collection<String> backendRefs) {
        Map<String, BackendState> out = new LinkedHashMap<>();
        for (String ref : backendRefs) {
            LocalJob job = jobs.get(ref);
            LocalJob.State s = job != null ? job.state() : finished.get(ref);
            out.put(ref, s == null ? BackendState.UNKNOWN : switch (s) {
                case QUEUED -> BackendState.QUEUED;
                case RUNNING -> BackendState.RUNNING;
                case DONE -> BackendState.DONE;
                case FAILED -> BackendState.FAILED;
                case ABORTED -> BackendState.ABORTED;
            });
        }
        return out;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        pool.shutdown();
        for (LocalJob job : jobs.values()) {
            cancel(job, "the local backend shut down");
        }
        long waitMillis = settings.killGrace().toMillis() + TimeUnit.SECONDS.toMillis(CLOSE_EXTRA_WAIT_SECONDS);
        try {
            if (!pool.awaitTermination(waitMillis, TimeUnit.MILLISECONDS)) {
                LOG.warn("local backend {}: {} job(s) ignored the abort and still run after {} ms",
                        name(), pool.getActiveCount(), waitMillis);
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
        if (ownsWorkRoot) {
            try {
                WorkDirs.deleteTree(settings.workRoot());
            } catch (IOException e) {
                LOG.warn("local backend {}: cannot delete its work root {}", name(), settings.workRoot(), e);
            }
        }
        LOG.debug("local backend {} closed", name());
    }

    private void cancel(LocalJob job, String reason) {
        if (job.cancel(reason) && pool.remove(job)) {
            job.abortWithoutRunning();
        }
    }

    private void finished(LocalJob job) {
        finished.put(job.ref(), job.state());
        jobs.remove(job.ref());
    }

    @Override
    public String toString() {
        return "LocalBackend[" + name() + ", " + threads() + " threads, types " + logics.keySet() + " "
                + processes.keySet() + "]";
    }

    private static final class NamedThreads implements ThreadFactory {
        private final String prefix;
        private final AtomicInteger count = new AtomicInteger();

        NamedThreads(String prefix) {
            this.prefix = prefix;
        }

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, prefix + count.incrementAndGet());
            // user logic that ignores interrupts must not keep the JVM alive after close()
            t.setDaemon(true);
            t.setContextClassLoader(LocalBackend.class.getClassLoader());
            return t;
        }
    }

    /**
     * Builds a {@link LocalBackend}. Defaults: {@link #DEFAULT_NAME}, {@link #DEFAULT_THREADS},
     * {@link #DEFAULT_KILL_GRACE}, {@link #DEFAULT_QUEUE_CAPACITY}, the system UTC clock, work directories in a new
     * temporary directory (deleted on close) and deleted after each job. Bad settings fail at the setter or at
     * {@link #build()} with an {@link IllegalArgumentException} naming the setting. Not thread-safe.
     */
    public static final class Builder {
        private String name = DEFAULT_NAME;
        private final Map<String, JobLogic> logics = new LinkedHashMap<>();
        private final Map<String, ProcessTemplate> processes = new LinkedHashMap<>();
        private int threads = DEFAULT_THREADS;
        private int queueCapacity = DEFAULT_QUEUE_CAPACITY;
        private Path workRoot;
        private Duration killGrace = DEFAULT_KILL_GRACE;
        private Clock clock = Clock.systemUTC();
        private boolean keepWorkDirs;

        private Builder() {
        }

        /** The backend name (stored in leases, used in thread names): {@code [A-Za-z0-9][A-Za-z0-9._-]*}, ≤ 64. */
        public Builder name(String v) {
            if (v == null || !NAME.matcher(v).matches()) {
                throw new IllegalArgumentException("backend name '" + v + "' must match " + NAME);
            }
            name = v;
            return this;
        }

        /** Runs jobs of {@code jobType} with in-JVM logic. */
        public Builder logic(String jobType, JobLogic logic) {
            checkType(jobType);
            logics.put(jobType, Objects.requireNonNull(logic, "logic"));
            return this;
        }

        /** Runs jobs of {@code jobType} as OS processes. */
        public Builder process(String jobType, ProcessTemplate template) {
            checkType(jobType);
            processes.put(jobType, Objects.requireNonNull(template, "template"));
            return this;
        }

        /** Pool threads (≥ 1): at most this many jobs run at once. */
        public Builder threads(int v) {
            if (v < 1) {
                throw new IllegalArgumentException("threads must be >= 1, got " + v);
            }
            threads = v;
            return this;
        }

        /** How many submitted jobs may wait for a thread (≥ 1); beyond it submit fails. */
        public Builder queueCapacity(int v) {
            if (v < 1) {
                throw new IllegalArgumentException("queueCapacity must be >= 1, got " + v);
            }
            queueCapacity = v;
            return this;
        }

        /** The directory for per-job work directories; created if missing, never deleted by the backend. */
        public Builder workRoot(Path v) {
            workRoot = Objects.requireNonNull(v, "workRoot");
            return this;
        }

        /** Time between SIGTERM and SIGKILL when a process tree is stopped (≥ 0). */
        public Builder killGrace(Duration v) {
            Objects.requireNonNull(v, "killGrace");
            if (v.isNegative()) {
                throw new IllegalArgumentException("killGrace must not be negative, got " + v);
            }
            killGrace = v;
            return this;
        }

        /** The clock for deadlines and log timestamps; use the JobService's clock. */
        public Builder clock(Clock v) {
            clock = Objects.requireNonNull(v, "clock");
            return this;
        }

        /** Keep each job's work directory after the job ends (for debugging); default false. */
        public Builder keepWorkDirs(boolean v) {
            keepWorkDirs = v;
            return this;
        }

        /**
         * Builds the backend (pool threads start with the first jobs); creates the work root if needed.
         *
         * @return a new backend
         * @throws IllegalArgumentException if no job type was registered or the work root is not a usable directory
         */
        public LocalBackend build() {
            if (logics.isEmpty() && processes.isEmpty()) {
                throw new IllegalArgumentException("a LocalBackend needs at least one job logic or process");
            }
            Path root;
            boolean owns;
            try {
                if (workRoot == null) {
                    root = Files.createTempDirectory("uws-local-" + name + "-");
                    owns = true;
                } else {
                    root = Files.createDirectories(workRoot).toAbsolutePath();
                    owns = false;
                }
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot create the work root " + workRoot + ": " + e, e);
            }
            if (!Files.isDirectory(root) || !Files.isWritable(root)) {
                throw new IllegalArgumentException("workRoot " + root + " is not a writable directory");
            }
            LocalBackend backend = new LocalBackend(this, root, owns);
            LOG.info("local backend {}: {} threads, queue {}, killGrace {}, workRoot {}, logic {}, processes {}",
                    name, threads, queueCapacity, killGrace, root, logics.keySet(), processes.keySet());
            return backend;
        }

        private void checkType(String jobType) {
            if (jobType == null || jobType.isBlank()) {
                throw new IllegalArgumentException("a job type name is required");
            }
            if (logics.containsKey(jobType) || processes.containsKey(jobType)) {
                throw new IllegalArgumentException("job type " + jobType + " registered twice");
            }
        }
    }
}
