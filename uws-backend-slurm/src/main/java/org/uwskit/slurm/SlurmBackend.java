package org.uwskit.slurm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.uwskit.slurm.drmaa.JobInfo;
import org.uwskit.slurm.drmaa.JobSession;
import org.uwskit.slurm.drmaa.UnreachableException;
import org.uwskit.slurm.internal.ClusterHealth;
import org.uwskit.slurm.internal.JobCompLog;
import org.uwskit.slurm.internal.JobTracker;
import org.uwskit.slurm.internal.SlurmTemplates;
import org.uwskit.slurm.internal.Submissions;
import org.uwskit.slurm.internal.WorkDir;
import org.uwskit.spi.ExecutionBackend;
import org.uwskit.spi.ExecutionEvents;
import org.uwskit.spi.Holdable;
import org.uwskit.spi.JobTemplate;
import org.uwskit.spi.Reattachable;
import org.uwskit.spi.Suspendable;

/**
 * An {@link ExecutionBackend} that runs jobs on SLURM, through the commands or slurmrestd (a {@link JobSession},
 * chosen by configuration). Build with {@link #builder()}.
 *
 * <p><b>Submission.</b> Each job gets a working directory {@code <workRoot>/<jobId>} on a file system the service
 * and the nodes share, holding a fixed batch script, the command line and environment as NUL-separated files
 * (client values are never shell text), and the input files of its {@link SlurmJobType}. The time limit is the
 * execution duration rounded up to whole minutes (SLURM's unit; an unlimited duration gets
 * {@link SlurmLimits#maxMinutes()}), with SIGUSR2 {@link Builder#warningSeconds} before it ({@code --signal
 * B:USR2@N}; only for limits of at least the warning plus two minutes, since SLURM may send it up to a minute
 * early, which would kill a short job whose command does not handle USR2); {@code --no-requeue}
 * unless the type says otherwise; CPUs, memory and partition within {@link SlurmLimits}, or the job is refused.
 *
 * <p><b>State.</b> One thread, {@code uws-slurm-<name>-poll}, asks the session for the states of all active jobs in
 * one call per {@link Builder#pollInterval} (sooner after a submission or an abort); jobs slurmctld forgot are
 * looked up in the job completion log, and a job found nowhere for {@link Builder#forgetAfterPolls} cycles ends in
 * ERROR. SLURM states become events: held → {@link ExecutionEvents#held()}, released →
 * {@link ExecutionEvents#released()}, running → started, suspended → suspended/resumed, COMPLETED → completed,
 * CANCELLED and TIMEOUT → aborted (results so far kept), FAILED, NODE_FAIL, OUT_OF_MEMORY, BOOT_FAIL, DEADLINE,
 * PREEMPTED → failed with the exit code or signal, SLURM's reason in words and the tail of stderr. Before the
 * terminal event, {@code stdout}, {@code stderr} and the declared output files are copied into result storage.
 * While SLURM cannot be reached, jobs keep their phase and polling goes on.
 *
 * <p><b>SLURM down.</b> Every SLURM job is named {@code uws-<UWS job id>}, its marker. A call that cannot reach SLURM
 * (an {@link UnreachableException}) marks it down until a call succeeds; meanwhile submissions do not call it.
 * With {@link WhenClusterDown#RETRY} (the default) a submission then returns the marker as the job's reference and
 * the job waits QUEUED; each poll cycle first looks all waiting markers up in SLURM (one call, then the completion
 * log) and adopts the jobs found, then submits the others: a submission whose answer was lost never runs twice.
 * With {@link WhenClusterDown#FAIL} the job ends in ERROR. A job SLURM refuses ends in ERROR with SLURM's message.
 *
 * <p><b>Restarts.</b> The backend reference is the SLURM job id (or the marker, for a job that waited for SLURM). {@link #close()} leaves jobs running;
 * {@link #reattach} tracks them again without submitting anything; a reference that is null (the service died
 * between sbatch and storing the id) or a marker is looked up by the marker first. {@link #abort} cancels ({@code scancel}) on an
 * owned thread {@code uws-slurm-<name>-control}, so it never blocks. Thread-safe.
 */
public final class SlurmBackend implements ExecutionBackend, Reattachable, Holdable, Suspendable {
    /** The default backend name. */
    public static final String DEFAULT_NAME = "slurm";
    /** The default time between two polls. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(2);
    /** The default seconds between SIGUSR2 and the time limit. */
    public static final int DEFAULT_WARNING_SECONDS = 30;
    /** The default number of polls a job may be missing from SLURM and its log before it ends in ERROR. */
    public static final int DEFAULT_FORGET_AFTER_POLLS = 3;

    /**
     * The default when SLURM cannot be reached at submission: {@link WhenClusterDown#RETRY}. A stopped slurmctld is
     * usually maintenance or a restart of a few minutes; a client that submitted a job expects it to wait in the
     * queue as it would behind other jobs, not to fail and have to be submitted again.
     */
    public static final WhenClusterDown DEFAULT_WHEN_CLUSTER_DOWN = WhenClusterDown.RETRY;
    /** The message of a job refused because SLURM cannot be reached ({@link WhenClusterDown#FAIL}). */
    static final String DOWN_MESSAGE = "SLURM cannot be reached; the job was not run (submit it again later)";

    private static final Logger LOG = LoggerFactory.getLogger(SlurmBackend.class);
    private static final Pattern SLURM_ID = Pattern.compile("[0-9]+");

    private final String name;
    private final JobSession session;
    private final Path workRoot;
    private final Map<String, SlurmJobType> types;
    private final Duration pollInterval;
    private final JobCompLog jobComp;
    private final JobTracker tracked;
    private final ClusterHealth health;
    private final SlurmTemplates templates;
    private final Submissions submissions;
    private final WhenClusterDown whenClusterDown;
    private final Object wake = new Object();
    private final ExecutorService control;
    private final Thread poller;
    private volatile boolean wakeRequested;
    private volatile boolean closed;

    /** What a submission does while SLURM cannot be reached (slurmctld or slurmrestd down, no answer). */
    public enum WhenClusterDown {
        /**
         * The job stays QUEUED and is submitted when SLURM answers; before that, SLURM is asked for a job of the
         * same name (the marker {@code uws-<jobId>}), so that a submission whose answer was lost is not repeated.
         */
        RETRY,
        /**
         * The job ends in ERROR at once ("SLURM cannot be reached"); a SLURM job its lost submission may have made
         * is cancelled when SLURM answers again.
         */
        FAIL
    }

    private SlurmBackend(Builder b) {
        name = b.name;
        session = Objects.requireNonNull(b.session, "a SLURM backend needs a session (commands or REST)");
        workRoot = Objects.requireNonNull(b.workRoot, "a SLURM backend needs a shared work root");
        types = Map.copyOf(b.types);
        pollInterval = b.pollInterval;
        jobComp = b.jobCompLog == null ? null : new JobCompLog(b.jobCompLog);
        control = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "uws-slurm-" + name + "-control");
            t.setDaemon(true);
            return t;
        });
        health = new ClusterHealth(name);
        templates = new SlurmTemplates(b.limits, b.warningSeconds);
        whenClusterDown = b.whenClusterDown;
        tracked = new JobTracker(name, session, jobComp, b.forgetAfterPolls, control, health);
        submissions = new Submissions(name, session, jobComp, tracked, health, control);
        poller = new Thread(this::pollLoop, "uws-slurm-" + name + "-poll");
        poller.setDaemon(true);
        poller.start();
    }

    /** @return a builder with the defaults named above */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean accepts(String jobType) {
        return types.containsKey(jobType);
    }

    /** @return the session this backend reaches SLURM through */
    public JobSession session() {
        return session;
    }

    /** @return the number of jobs this backend reports on now */
    public int activeJobs() {
        return tracked.size();
    }

    /**
     * {@inheritDoc}
     *
     * @return the SLURM job id
     * @throws BackendException if the job asks more than the limits allow, cannot be prepared, or SLURM refused it
     *                          or cannot be reached (with SLURM's message)
     */
    @Override
    public String submit(JobTemplate template, ExecutionEvents events) throws BackendException {
        if (closed) {
            throw new BackendException("the SLURM backend " + name + " is closed");
        }
        SlurmJobType type = types.get(template.jobType());
        if (type == null) {
            throw new BackendException("the SLURM backend " + name + " does not run job type "
                    + template.jobType());
        }
        WorkDir dir = new WorkDir(workRoot.resolve(template.jobId()));
        org.uwskit.slurm.drmaa.JobTemplate t = templates.of(type, template, dir);
        prepare(dir, type, template, events);
        if (health.isDown()) { // a call now would wait for SLURM's own retries (about 9 s) and fail
            if (whenClusterDown == WhenClusterDown.FAIL) {
                throw new BackendException(DOWN_MESSAGE);
            }
            return waitForSlurm(template, type, dir, events, t, false);
        }
        String id;
        try {
            id = session.runJob(t);
            health.up();
        } catch (UnreachableException e) {
            health.down(e);
            if (whenClusterDown == WhenClusterDown.FAIL) {
                // SLURM may have the job all the same (an answer lost): it is cancelled once SLURM answers
                submissions.add(template.jobId(), type, dir, events, t, true);
                submissions.abort(Submissions.marker(template.jobId()));
                throw new BackendException(DOWN_MESSAGE);
            }
            return waitForSlurm(template, type, dir, events, t, true);
        }
        tracked.track(id, template.jobId(), type, dir, events);
        events.info("slurmJobId", id);
        wakePoller();
        return id;
    }

    /** Keeps a job QUEUED until SLURM answers; its reference is its marker until then. */
    private String waitForSlurm(JobTemplate template, SlurmJobType type, WorkDir dir, ExecutionEvents events,
                                org.uwskit.slurm.drmaa.JobTemplate t, boolean maybeSubmitted) {
        String marker = submissions.add(template.jobId(), type, dir, events, t, maybeSubmitted);
        events.info("slurmSubmission", "waiting: SLURM cannot be reached; the job is submitted when it answers");
        return marker;
    }

    private static void prepare(WorkDir dir, SlurmJobType type, JobTemplate template, ExecutionEvents events)
            throws BackendException {
        try {
            dir.prepare(type, template, events);
        } catch (WorkDir.SetupException e) {
            throw new BackendException(e.getMessage());
        } catch (IOException e) {
            throw new BackendException("the job's working directory could not be written", e);
        }
    }

    @Override
    public void abort(String backendRef) {
        if (closed || backendRef == null) {
            return;
        }
        if (!SLURM_ID.matcher(backendRef).matches()) { // a marker: the job waited for SLURM
            String id = submissions.abort(backendRef);
            if (id == null) {
                wakePoller(); // dropped, or cancelled if SLURM has it, at the next cycle
                return;
            }
            backendRef = id;
        }
        String ref = backendRef;
        if (!tracked.abortRequested(ref)) {
            return;
        }
        control.execute(() -> {
            try {
                session.terminate(ref);
            } catch (BackendException | RuntimeException e) {
                LOG.warn("SLURM backend {}: cancelling job {} failed: {}", name, ref, e.getMessage());
            }
            wakePoller();
        });
    }

    /**
     * {@inheritDoc}
     *
     * <p>One session call for all references (plus one read of the completion log for jobs slurmctld forgot).
     * While SLURM cannot be reached, every reference is {@link BackendState#UNKNOWN}.
     */
    @Override
    public Map<String, BackendState> states(Collection<String> backendRefs) {
        Map<String, BackendState> out = new LinkedHashMap<>();
        Map<String, String> refOfId = new LinkedHashMap<>();
        for (String r : backendRefs) {
            out.put(r, BackendState.UNKNOWN);
            if (r == null) {
                continue;
            }
            if (SLURM_ID.matcher(r).matches()) {
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

    /**
     * {@inheritDoc}
     *
     * <p>By SLURM job id: asks SLURM once; a job it knows (or its completion log has) is tracked again and its outcome
     * reported; while SLURM cannot be reached the job is tracked too, and the polls decide. Nothing is submitted.
     * By marker, or with a null reference (the service died between sbatch and storing the id): the job waits like
     * one submitted while SLURM was down, so the next poll cycle looks it up by its marker and adopts the SLURM job
     * found; only a job SLURM never had (no job of that name, no record in the completion log, no output file) is
     * submitted, once.
     */
    @Override
    public boolean reattach(String backendRef, JobTemplate template, ExecutionEvents events) {
        SlurmJobType type = types.get(template.jobType());
        if (closed || type == null) {
            return false;
        }
        WorkDir dir = new WorkDir(workRoot.resolve(template.jobId()));
        if (backendRef == null || backendRef.equals(Submissions.marker(template.jobId()))) {
            return reattachByMarker(template, type, dir, events);
        }
        if (!SLURM_ID.matcher(backendRef).matches()) {
            return false;
        }
        if (health.isDown()) { // asking would take SLURM's retries (about 9 s) per job: the polls decide
            tracked.track(backendRef, template.jobId(), type, dir, events);
            return true;
        }
        try {
            Map<String, JobInfo> known = new LinkedHashMap<>(session.jobInfos(List.of(backendRef)));
            health.up();
            if (known.isEmpty() && jobComp != null) {
                known.putAll(jobComp.find(List.of(backendRef)));
            }
            if (known.isEmpty()) {
                return false;
            }
        } catch (BackendException e) {
            tracked.unreachable(e); // cannot tell now: track it, the polls decide
        } catch (IOException e) {
            LOG.warn("SLURM backend {}: reading the job completion log failed: {}", name, e.toString());
        }
        tracked.track(backendRef, template.jobId(), type, dir, events);
        wakePoller();
        return true;
    }

    /** {@inheritDoc} Here: the job's marker, which abort, hold and the polls resolve to its SLURM job. */
    @Override
    public String referenceOf(String jobId) {
        return Submissions.marker(jobId);
    }

    /**
     * A job whose SLURM id was never stored (the service died between sbatch and storing it) or that waited for
     * SLURM: the next poll cycle looks it up by its marker and adopts the SLURM job found, or submits it if SLURM
     * never had it (and its output file does not exist).
     */
    private boolean reattachByMarker(JobTemplate template, SlurmJobType type, WorkDir dir, ExecutionEvents events) {
        org.uwskit.slurm.drmaa.JobTemplate t;
        try {
            t = templates.of(type, template, dir);
            if (!Files.exists(dir.script())) { // never prepared completely: SLURM cannot have it
                prepare(dir, type, template, events);
            }
        } catch (BackendException e) {
            LOG.warn("SLURM backend {}: job {} cannot be re-attached: {}", name, template.jobId(), e.getMessage());
            return false;
        }
        submissions.add(template.jobId(), type, dir, events, t, true);
        wakePoller();
        return true;
    }

    @Override
    public void hold(String backendRef) throws BackendException {
        session.hold(slurmId(backendRef));
        wakePoller();
    }

    @Override
    public void release(String backendRef) throws BackendException {
        session.release(slurmId(backendRef));
        wakePoller();
    }

    @Override
    public void suspend(String backendRef) throws BackendException {
        session.suspend(slurmId(backendRef));
        wakePoller();
    }

    @Override
    public void resume(String backendRef) throws BackendException {
        session.resume(slurmId(backendRef));
        wakePoller();
    }

    /** The SLURM job id of a reference (a marker once its job was submitted), or a refusal while it waits. */
    private String slurmId(String ref) throws BackendException {
        if (ref != null && SLURM_ID.matcher(ref).matches()) {
            return ref;
        }
        String id = ref == null ? null : submissions.slurmId(ref);
        if (id == null) {
            throw new BackendException("the job is not in SLURM yet: it waits until SLURM can be reached");
        }
        return id;
    }

    // ---------------------------------------------------------------- polling

    private void wakePoller() {
        synchronized (wake) {
            wakeRequested = true;
            wake.notifyAll();
        }
    }

    private void pollLoop() {
        while (!closed) {
            try {
                synchronized (wake) {
                    if (!wakeRequested) {
                        wake.wait(pollInterval.toMillis());
                    }
                    wakeRequested = false;
                }
                if (!closed) {
                    pollNow();
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warn("SLURM backend {}: a poll failed", name, e);
            }
        }
    }


    /**
     * Runs one poll cycle on the caller's thread: one session call for every active job (plus the completion log
     * for jobs SLURM forgot), then the events. The poll thread calls it every poll interval; tests and benchmarks
     * may call it too.
     */
    public void pollNow() {
        if (!submissions.retry()) {
            return; // SLURM is down: the states would not come either
        }
        if (health.isDown() && tracked.size() == 0) {
            probe(); // nothing else would find out that SLURM is back
        }
        tracked.pollNow();
    }

    private void probe() {
        try {
            session.jobIdsByName(List.of(Submissions.marker("probe")));
            health.up();
        } catch (BackendException e) {
            tracked.unreachable(e);
        }
    }

    /**
     * Stops polling and releases the session. SLURM jobs keep running (this backend is {@link Reattachable}); no
     * event is reported afterwards. Idempotent; waits at most a few seconds for the poll thread.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        submissions.close();
        tracked.close(); // no event after this
        health.close();
        poller.interrupt();
        try {
            poller.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        control.shutdown();
        try {
            control.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        session.close();
    }

    /** Fluent builder. */
    public static final class Builder {
        private String name = DEFAULT_NAME;
        private JobSession session;
        private Path workRoot;
        private final Map<String, SlurmJobType> types = new LinkedHashMap<>();
        private SlurmLimits limits = SlurmLimits.defaults();
        private int warningSeconds = DEFAULT_WARNING_SECONDS;
        private Duration pollInterval = DEFAULT_POLL_INTERVAL;
        private int forgetAfterPolls = DEFAULT_FORGET_AFTER_POLLS;
        private Path jobCompLog;
        private WhenClusterDown whenClusterDown = DEFAULT_WHEN_CLUSTER_DOWN;

        private Builder() {
        }

        /** The backend's name (default {@value #DEFAULT_NAME}), stored in job leases. */
        public Builder name(String n) {
            name = Objects.requireNonNull(n, "name");
            return this;
        }

        /** How SLURM is reached: {@link CommandSession} or {@link RestSession}. Required. */
        public Builder session(JobSession s) {
            session = s;
            return this;
        }

        /** The directory, shared by the service and the nodes, holding the jobs' working directories. Required. */
        public Builder workRoot(Path p) {
            workRoot = p;
            return this;
        }

        /** Runs jobs of {@code jobType} as {@code type} describes. */
        public Builder jobType(String jobType, SlurmJobType type) {
            types.put(Objects.requireNonNull(jobType, "jobType"), Objects.requireNonNull(type, "type"));
            return this;
        }

        /** What a job may ask (default {@link SlurmLimits#defaults()}). */
        public Builder limits(SlurmLimits l) {
            limits = Objects.requireNonNull(l, "limits");
            return this;
        }

        /** Seconds between the SIGUSR2 warning and the time limit (default 30; 0 = no warning). */
        public Builder warningSeconds(int s) {
            if (s < 0) {
                throw new IllegalArgumentException("warningSeconds must not be negative");
            }
            warningSeconds = s;
            return this;
        }

        /** The time between two polls (default 2 s). */
        public Builder pollInterval(Duration d) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("pollInterval must be positive");
            }
            pollInterval = d;
            return this;
        }

        /** Polls a job may be missing from SLURM and the log before it ends in ERROR (default 3). */
        public Builder forgetAfterPolls(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("forgetAfterPolls must be at least 1");
            }
            forgetAfterPolls = n;
            return this;
        }

        /** SLURM's job completion log ({@code JobCompLoc} of {@code jobcomp/filetxt}), readable by the service. */
        public Builder jobCompLog(Path p) {
            jobCompLog = p;
            return this;
        }

        /**
         * What a submission does while SLURM cannot be reached (default {@link #DEFAULT_WHEN_CLUSTER_DOWN},
         * {@link WhenClusterDown#RETRY}). A job SLURM refuses (a bad partition, over a limit) ends in ERROR with
         * SLURM's message either way.
         */
        public Builder whenClusterDown(WhenClusterDown w) {
            whenClusterDown = Objects.requireNonNull(w, "whenClusterDown");
            return this;
        }

        /** @return the backend, its poll thread started */
        public SlurmBackend build() {
            return new SlurmBackend(this);
        }
    }
}
