package org.uwskit.slurm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.uwskit.slurm.drmaa.JobSession;
import org.uwskit.slurm.internal.CallbackTokens;
import org.uwskit.slurm.internal.Callbacks;
import org.uwskit.slurm.internal.ClusterHealth;
import org.uwskit.slurm.internal.JobCompLog;
import org.uwskit.slurm.internal.JobTracker;
import org.uwskit.slurm.internal.Launcher;
import org.uwskit.slurm.internal.Poller;
import org.uwskit.slurm.internal.SlurmTemplates;
import org.uwskit.slurm.internal.States;
import org.uwskit.slurm.internal.Submissions;
import org.uwskit.spi.CallbackReceiver;
import org.uwskit.spi.ExecutionBackend;
import org.uwskit.spi.ExecutionEvents;
import org.uwskit.spi.Holdable;
import org.uwskit.spi.JobTemplate;
import org.uwskit.spi.Reattachable;
import org.uwskit.spi.Suspendable;

/**
 * An {@link ExecutionBackend} that runs jobs on SLURM, through the commands or slurmrestd (a {@link JobSession},
 * chosen by configuration). Build with {@link #builder()}; the module's README tells the whole story.
 *
 * <p><b>Submission.</b> Each job gets a working directory {@code <workRoot>/<jobId>} on a file system the service
 * and the nodes share: a fixed batch script, the command line and environment as NUL-separated files (client
 * values are never shell text), the input files of its {@link SlurmJobType}. The time limit is the execution
 * duration rounded up to minutes (unlimited: {@link SlurmLimits#maxMinutes()}), with SIGUSR2
 * {@link Builder#warningSeconds} before it for limits of at least the warning plus two minutes; {@code --no-requeue}
 * unless the type says otherwise; CPUs, memory and partition within {@link SlurmLimits}, or the job is refused.
 *
 * <p><b>State.</b> The thread {@code uws-slurm-<name>-poll} asks for the states of all active jobs in one call per
 * {@link Builder#pollInterval} (sooner after a submission, an abort or a callback); jobs slurmctld forgot are looked
 * up in the completion log, and a job found nowhere for {@link Builder#forgetAfterPolls} cycles ends in ERROR.
 * SLURM states become events (held, released, started, suspended, resumed, completed, aborted for CANCELLED and
 * TIMEOUT, failed with the exit code or signal, the reason in words and the stderr tail), after the results were
 * copied. While SLURM cannot be reached, jobs keep their phase and polling goes on.
 *
 * <p><b>SLURM down.</b> Every SLURM job is named {@code uws-<UWS job id>}, its marker. A call that cannot reach
 * SLURM marks it down until a call succeeds. With {@link WhenClusterDown#RETRY} (the default) a submission then
 * returns the marker as the job's reference and the job waits QUEUED; each cycle first looks all waiting markers up
 * (one call, then the completion log), adopts the jobs found and submits the others, so a submission whose answer
 * was lost never runs twice. With {@link WhenClusterDown#FAIL} the job ends in ERROR.
 *
 * <p><b>Restarts.</b> The reference is the SLURM job id (or the marker). {@link #close()} leaves jobs running;
 * {@link #reattach} tracks them again without submitting anything. {@link #abort} cancels on an owned thread
 * {@code uws-slurm-<name>-control}, so it never blocks. Thread-safe.
 *
 * <p><b>Callbacks.</b> With {@link Builder#callbackUrl} the batch script posts {@code started} and {@code ended} to
 * {@code <url>/_callbacks/<name>/<jobId>/<event>}, where a servlet adapter mounts this backend as a
 * {@link CallbackReceiver}. Each job's token, {@code HMAC-SHA256(secret, "uws-slurm-callback|" + jobId)}, is written
 * only into its control directory (owner-only); a callback is a hint that makes the poll thread look at once (and in
 * a short burst until SLURM shows the change), never a phase: the poll stays the authority and catches lost
 * callbacks, so the poll interval can be long. The secret is {@link Builder#callbackSecret}, by default drawn at
 * random when the backend is built: several front-end nodes, or a restart that re-attaches running jobs, need a
 * configured shared secret, else the old jobs' callbacks are refused (403) and only the poll sees their end.
 */
public final class SlurmBackend implements ExecutionBackend, Reattachable, Holdable, Suspendable, CallbackReceiver {
    /** The default backend name. */
    public static final String DEFAULT_NAME = "slurm";
    /** The default time between two polls. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(2);
    /** The default seconds between SIGUSR2 and the time limit. */
    public static final int DEFAULT_WARNING_SECONDS = 30;
    /** The default callback secret: none configured, drawn at random (32 bytes) when the backend is built. */
    public static final String DEFAULT_CALLBACK_SECRET = "random per backend";
    /** The default number of polls a job may be missing from SLURM and its log before it ends in ERROR. */
    public static final int DEFAULT_FORGET_AFTER_POLLS = 3;

    /**
     * The default when SLURM cannot be reached at submission: {@link WhenClusterDown#RETRY}. A stopped slurmctld is
     * usually maintenance or a restart of a few minutes; a client that submitted a job expects it to wait in the
     * queue as it would behind other jobs, not to fail and have to be submitted again.
     */
    public static final WhenClusterDown DEFAULT_WHEN_CLUSTER_DOWN = WhenClusterDown.RETRY;

    private final String name;
    private final JobSession session;
    private final Map<String, SlurmJobType> types;
    private final JobTracker tracked;
    private final ClusterHealth health;
    private final Submissions submissions;
    private final ExecutorService control;
    private final Poller poller;
    private final Launcher launcher;
    private final Callbacks callbacks;
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
        Path workRoot = Objects.requireNonNull(b.workRoot, "a SLURM backend needs a shared work root");
        types = Map.copyOf(b.types);
        JobCompLog jobComp = b.jobCompLog == null ? null : new JobCompLog(b.jobCompLog);
        control = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "uws-slurm-" + name + "-control");
            t.setDaemon(true);
            return t;
        });
        health = new ClusterHealth(name);
        tracked = new JobTracker(name, session, jobComp, b.forgetAfterPolls, control, health);
        submissions = new Submissions(name, session, jobComp, tracked, health, control);
        poller = new Poller(name, b.pollInterval, this::pollNow, tracked::seen);
        CallbackTokens tokens = b.secret == null ? CallbackTokens.random() : new CallbackTokens(b.secret);
        String base = b.callbackUrl == null ? null : b.callbackUrl.toString().replaceAll("/+$", "") + "/"
                + CallbackReceiver.SEGMENT + "/" + name + "/";
        launcher = new Launcher(new Launcher.Parts(name, session, workRoot, types,
                new SlurmTemplates(b.limits, b.warningSeconds), jobComp, tracked, submissions, health,
                b.whenClusterDown == WhenClusterDown.RETRY, base, tokens, control, poller::wake));
        callbacks = new Callbacks(tokens, tracked, submissions, poller);
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
        return launcher.submit(template, events);
    }

    @Override
    public void abort(String backendRef) {
        if (!closed && backendRef != null) {
            launcher.abort(backendRef);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>One session call for all references (plus one read of the completion log for jobs slurmctld forgot).
     * While SLURM cannot be reached, every reference is {@link BackendState#UNKNOWN}.
     */
    @Override
    public Map<String, BackendState> states(Collection<String> backendRefs) {
        return States.of(backendRefs, tracked, submissions);
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
        return !closed && launcher.reattach(backendRef, template, events);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Here: the SLURM job is no longer polled (nor its callbacks accepted: 404) and nothing of it is reported; it
     * is not cancelled. A job still waiting for SLURM is forgotten, not submitted: the node holding its lease now
     * looks it up by its marker.
     */
    @Override
    public void detach(String backendRef) {
        if (!closed && backendRef != null) {
            launcher.detach(backendRef);
        }
    }

    /** {@inheritDoc} Here: the job's marker, which abort, hold and the polls resolve to its SLURM job. */
    @Override
    public String referenceOf(String jobId) {
        return Submissions.marker(jobId);
    }

    // hold, release, suspend, resume: SLURM is asked, then the poll reports the change
    @Override
    public void hold(String ref) throws BackendException { session.hold(launcher.slurmId(ref)); poller.wake(); }
    @Override
    public void release(String ref) throws BackendException { session.release(launcher.slurmId(ref)); poller.wake(); }
    @Override
    public void suspend(String ref) throws BackendException { session.suspend(launcher.slurmId(ref)); poller.wake(); }
    @Override
    public void resume(String ref) throws BackendException { session.resume(launcher.slurmId(ref)); poller.wake(); }

    /**
     * {@inheritDoc}
     *
     * <p>Here: {@code started} or {@code ended} from a job's batch script, with its token; accepted (a hint for the
     * poll thread, which decides) for a job this backend follows, refused with 400, 403 or 404 otherwise.
     */
    @Override
    public Answer receive(String jobId, String event, String token, byte[] body) {
        if (closed) {
            return Answer.refused(Outcome.NOT_FOUND, "the SLURM backend " + name + " is closed");
        }
        return callbacks.receive(jobId, event, token, body);
    }

    /**
     * Runs one poll cycle on the caller's thread: one session call for every active job (plus the completion log
     * for jobs SLURM forgot), then the events. The poll thread calls it every poll interval; tests and benchmarks
     * may call it too.
     */
    public void pollNow() {
        launcher.pollCycle();
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
        poller.close();
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
        private URI callbackUrl;
        private byte[] secret;

        private Builder() {
        }

        /** The backend's name (default {@value #DEFAULT_NAME}), stored in job leases. */
        public Builder name(String n) { name = Objects.requireNonNull(n, "name"); return this; }

        /** How SLURM is reached: {@link CommandSession} or {@link RestSession}. Required. */
        public Builder session(JobSession s) { session = s; return this; }

        /** The directory, shared by the service and the nodes, holding the jobs' working directories. Required. */
        public Builder workRoot(Path p) { workRoot = p; return this; }

        /** Runs jobs of {@code jobType} as {@code type} describes. */
        public Builder jobType(String jobType, SlurmJobType type) {
            types.put(Objects.requireNonNull(jobType, "jobType"), Objects.requireNonNull(type, "type"));
            return this;
        }

        /** What a job may ask (default {@link SlurmLimits#defaults()}). */
        public Builder limits(SlurmLimits l) { limits = Objects.requireNonNull(l, "limits"); return this; }

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
        public Builder jobCompLog(Path p) { jobCompLog = p; return this; }

        /**
         * What a submission does while SLURM cannot be reached (default {@link #DEFAULT_WHEN_CLUSTER_DOWN},
         * {@link WhenClusterDown#RETRY}). A job SLURM refuses (a bad partition, over a limit) ends in ERROR with
         * SLURM's message either way.
         */
        public Builder whenClusterDown(WhenClusterDown w) {
            whenClusterDown = Objects.requireNonNull(w, "whenClusterDown");
            return this;
        }

        /**
         * Turns completion callbacks on: the URL of the servlet that mounts this backend as a
         * {@link CallbackReceiver} (e.g. {@code https://uws.example.org/uws}), reachable from the nodes; jobs post
         * to {@code <url>/_callbacks/<name>/<jobId>/started|ended}. Default none: no callbacks, the poll alone.
         */
        public Builder callbackUrl(URI url) {
            if (url != null && !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))) {
                throw new IllegalArgumentException("callbackUrl must be an http(s) URL");
            }
            callbackUrl = url;
            return this;
        }

        /**
         * The secret the callback tokens are derived from, at least 32 bytes. Default
         * ({@link #DEFAULT_CALLBACK_SECRET}): random per backend, so several front-end nodes, or a restart that
         * re-attaches running jobs, need a configured shared secret for those jobs' callbacks to be accepted.
         */
        public Builder callbackSecret(byte[] s) {
            new CallbackTokens(s); // checks the length
            secret = s.clone();
            return this;
        }

        /**
         * The secret read from a file (its bytes, at least 32; keep it readable by the service alone).
         *
         * @throws UncheckedIOException if it cannot be read
         */
        public Builder callbackSecretFile(Path file) {
            try {
                return callbackSecret(Files.readAllBytes(file));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the callback secret " + file, e);
            }
        }

        /** @return the backend, its poll thread started */
        public SlurmBackend build() {
            return new SlurmBackend(this);
        }
    }
}
