package org.uwskit.slurm.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.uwskit.slurm.SlurmJobType;
import org.uwskit.slurm.drmaa.JobInfo;
import org.uwskit.slurm.drmaa.JobSession;
import org.uwskit.slurm.drmaa.JobState;
import org.uwskit.spi.ExecutionBackend.BackendException;
import org.uwskit.spi.ExecutionEvents;

/**
 * The SLURM jobs a backend reports on, and the poll cycle that turns their SLURM states into events: one session
 * call for all of them, the completion log for those SLURM forgot, then per job held/released/started/suspended/
 * resumed and, once, the outcome after the results were copied. Thread-safe; {@link #pollNow} is serialized.
 */
public final class JobTracker {
    private static final Logger LOG = LoggerFactory.getLogger(JobTracker.class);
    /** The most characters of stderr in an error's detail. */
    public static final int STDERR_TAIL = 4000;

    private final String name;
    private final JobSession session;
    private final JobCompLog jobComp;
    private final int forgetAfterPolls;
    private final Executor control;
    private final ClusterHealth health;
    private final Map<String, Tracked> tracked = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /**
     * @param name             the backend's name, for logs
     * @param session          how SLURM is reached
     * @param jobComp          the completion log, or null
     * @param forgetAfterPolls cycles a job may be missing everywhere before it fails
     * @param control          where cancellations run (never on the caller's thread)
     * @param health           told whether each call reached SLURM
     */
    public JobTracker(String name, JobSession session, JobCompLog jobComp, int forgetAfterPolls, Executor control,
                      ClusterHealth health) {
        this.name = name;
        this.health = health;
        this.session = session;
        this.jobComp = jobComp;
        this.forgetAfterPolls = forgetAfterPolls;
        this.control = control;
    }

    /** One job this backend reports on. */
    private static final class Tracked {
        final String ref;
        final String jobId;
        final SlurmJobType type;
        final WorkDir dir;
        final ExecutionEvents events;
        volatile JobState last;
        volatile boolean started;
        volatile boolean abortRequested;
        int missing;
        long startedHintAt;
        long endedHintAt;
        boolean startedHinted;
        boolean endedHinted;

        Tracked(String ref, String jobId, SlurmJobType type, WorkDir dir, ExecutionEvents events) {
            this.ref = ref;
            this.jobId = jobId;
            this.type = type;
            this.dir = dir;
            this.events = events;
        }
    }

    /**
     * Starts reporting on a job.
     *
     * @param ref    the SLURM job id
     * @param jobId  the UWS job id
     * @param type   its type (outputs, requeue)
     * @param dir    its working directory
     * @param events where to report
     */
    public void track(String ref, String jobId, SlurmJobType type, WorkDir dir, ExecutionEvents events) {
        tracked.put(ref, new Tracked(ref, jobId, type, dir, events));
    }

    /**
     * Notes that the service asked to abort a job (its CANCELLED then reads "aborted").
     *
     * @param ref the SLURM job id
     * @return whether the job is tracked
     */
    public boolean abortRequested(String ref) {
        Tracked t = ref == null ? null : tracked.get(ref);
        if (t == null) {
            return false;
        }
        t.abortRequested = true;
        return true;
    }

    /** What a callback hint about a job calls for. */
    public enum HintNeed {
        /** No job of that id is reported on here. */
        UNKNOWN,
        /** The poll already saw it, or a hint of the same kind came within the cool-down: nothing to do. */
        NONE,
        /** Poll now. */
        POLL
    }

    /**
     * Whether a callback's hint about a job is worth a poll: a "started" of a job not yet seen running, an "ended"
     * of a job still reported on; at most one of each kind per job within {@code cooldown} (replays cost nothing).
     *
     * @param jobId    the UWS job id
     * @param ended    an "ended" hint (else "started")
     * @param cooldown the least time between two hints of one kind that poll
     * @return what the hint calls for
     */
    public HintNeed hint(String jobId, boolean ended, Duration cooldown) {
        Tracked t = byJobId(jobId);
        if (t == null) {
            return HintNeed.UNKNOWN;
        }
        synchronized (t) {
            if (!ended && seenRunning(t)) {
                return HintNeed.NONE;
            }
            long now = System.nanoTime();
            long cool = cooldown.toNanos();
            if (ended) {
                if (t.endedHinted && now - t.endedHintAt < cool) {
                    return HintNeed.NONE;
                }
                t.endedHinted = true;
                t.endedHintAt = now;
            } else {
                if (t.startedHinted && now - t.startedHintAt < cool) {
                    return HintNeed.NONE;
                }
                t.startedHinted = true;
                t.startedHintAt = now;
            }
            return HintNeed.POLL;
        }
    }

    /**
     * Whether the polls saw what a hint said: the job runs (or ran), or it is no longer reported on (it ended).
     *
     * @param jobId the UWS job id
     * @param ended an "ended" hint (else "started")
     * @return whether the hint is answered
     */
    public boolean seen(String jobId, boolean ended) {
        Tracked t = byJobId(jobId);
        return t == null || !ended && seenRunning(t);
    }

    private static boolean seenRunning(Tracked t) {
        JobState s = t.last;
        return t.started || s == JobState.RUNNING || s == JobState.SUSPENDED;
    }

    private Tracked byJobId(String jobId) {
        for (Tracked t : tracked.values()) {
            if (t.jobId.equals(jobId)) {
                return t;
            }
        }
        return null;
    }

    /**
     * Stops reporting on a job (another node follows it): no more polls of it, no event, no result copied.
     *
     * @param ref the SLURM job id
     * @return whether it was reported on
     */
    public boolean untrack(String ref) {
        return tracked.remove(ref) != null;
    }

    /** @param ref a SLURM job id @return whether that job is reported on */
    public boolean isTracked(String ref) {
        return tracked.containsKey(ref);
    }

    /** @return the number of jobs reported on */
    public int size() {
        return tracked.size();
    }

    /** Stops reporting on every job (the backend closes; the jobs keep running). */
    public void close() {
        closed = true;
        tracked.clear();
    }

    /**
     * The session's answer plus the completion log for ids it did not know; empty while SLURM is unreachable.
     *
     * @param ids SLURM job ids
     * @return what is known of them
     */
    public Map<String, JobInfo> lookUp(List<String> ids) {
        Map<String, JobInfo> infos;
        try {
            infos = new LinkedHashMap<>(session.jobInfos(ids));
            health.up();
        } catch (BackendException e) {
            unreachable(e);
            return Map.of();
        }
        if (jobComp != null && infos.size() < ids.size()) {
            List<String> missing = ids.stream().filter(id -> !infos.containsKey(id)).toList();
            try {
                infos.putAll(jobComp.find(missing));
            } catch (IOException e) {
                LOG.warn("SLURM backend {}: reading the job completion log failed: {}", name, e.toString());
            }
        }
        return infos;
    }

    /**
     * A question to SLURM failed: it is down ({@link UnreachableException}) or does not answer queries (slurmrestd
     * answers "Failed while looking for jobs" while slurmctld is down); either way nothing was learnt, every job
     * keeps its phase, and submissions wait.
     *
     * @param e the failure
     */
    public void unreachable(BackendException e) {
        health.down(e);
    }


    /**
     * Runs one poll cycle on the caller's thread: one session call for every active job (plus the completion log
     * for jobs SLURM forgot), then the events. The poll thread calls it every poll interval; tests and benchmarks
     * may call it too.
     */
    public synchronized void pollNow() {
        List<Tracked> active = new ArrayList<>(tracked.values());
        if (active.isEmpty()) {
            return;
        }
        List<String> ids = active.stream().map(t -> t.ref).toList();
        Map<String, JobInfo> infos;
        try {
            infos = new LinkedHashMap<>(session.jobInfos(ids));
            health.up();
        } catch (BackendException e) {
            unreachable(e);
            return;
        }
        if (jobComp != null && infos.size() < ids.size()) {
            try {
                infos.putAll(jobComp.find(ids.stream().filter(id -> !infos.containsKey(id)).toList()));
            } catch (IOException e) {
                LOG.warn("SLURM backend {}: reading the job completion log failed: {}", name, e.toString());
            }
        }
        for (Tracked t : active) {
            if (closed) {
                return;
            }
            if (tracked.get(t.ref) != t) {
                continue; // untracked meanwhile (detached): nothing more of it is reported
            }
            JobInfo info = infos.get(t.ref);
            if (info != null) {
                t.missing = 0;
                apply(t, info);
            } else if (++t.missing >= forgetAfterPolls) {
                finish(t, null);
            }
        }
    }

    private void apply(Tracked t, JobInfo info) {
        JobState s = info.state();
        if (LOG.isDebugEnabled() && s != t.last) {
            LOG.debug("SLURM backend {}: job {} (SLURM {}) {} -> {} ({})", name, t.jobId, t.ref, t.last, s,
                    info.slurmState());
        }
        JobState last = t.last;
        switch (s) {
            case QUEUED, REQUEUED -> {
                if (last == JobState.QUEUED_HELD || last == JobState.REQUEUED_HELD) {
                    t.events.released();
                } else if ((last == JobState.RUNNING || last == JobState.SUSPENDED) && !t.type.requeue()) {
                    requeuedAgainstItsType(t);
                    return;
                }
            }
            case QUEUED_HELD, REQUEUED_HELD -> {
                if (last != JobState.QUEUED_HELD && last != JobState.REQUEUED_HELD) {
                    t.events.held();
                }
            }
            case RUNNING -> {
                if (last == JobState.SUSPENDED) {
                    t.events.resumed();
                } else if (last != JobState.RUNNING) {
                    t.events.started();
                    t.started = true;
                }
            }
            case SUSPENDED -> {
                if (last != JobState.SUSPENDED) {
                    if (last != JobState.RUNNING) {
                        t.events.started();
                        t.started = true;
                    }
                    t.events.suspended();
                }
            }
            case DONE, FAILED -> finish(t, info);
            case UNDETERMINED -> {
                // a state this mapping does not know: keep the phase
            }
        }
        t.last = s;
    }

    /**
     * SLURM put a job that ran back in its queue although its type is not rerunnable (slurmrestd v0.0.38 ignores
     * {@code "requeue": false}): it is cancelled and fails, so that it never runs twice.
     */
    private void requeuedAgainstItsType(Tracked t) {
        if (tracked.remove(t.ref, t)) {
            control.execute(() -> {
                try {
                    session.terminate(t.ref);
                } catch (BackendException | RuntimeException e) {
                    LOG.warn("SLURM backend {}: cancelling requeued job {} failed: {}", name, t.ref, e.getMessage());
                }
            });
            collectResults(t);
            t.events.failed("SLURM job " + t.ref + " was requeued after it started, but this job type must not run"
                    + " twice: it was cancelled", null);
        }
    }

    /** Reports the outcome (info null: SLURM forgot the job), after copying the results. Once per job. */
    private void finish(Tracked t, JobInfo info) {
        if (tracked.remove(t.ref, t)) {
            if (info != null && !t.started && info.state() == JobState.DONE) {
                t.events.started();
            }
            collectResults(t);
            if (info == null) {
                t.events.failed("SLURM no longer knows job " + t.ref + " and its completion log has no record of it",
                        null);
            } else if (info.state() == JobState.DONE) {
                t.events.completed();
            } else if (info.slurmState().equals("CANCELLED")) {
                t.events.aborted(t.abortRequested ? "aborted" : "cancelled in SLURM");
            } else if (info.slurmState().equals("TIMEOUT")) {
                t.events.aborted("SLURM time limit reached");
            } else {
                String tail = WorkDir.tail(t.dir.stderr(), STDERR_TAIL);
                t.events.failed(Outcomes.failure(info), tail.isBlank() ? null : "stderr (end):\n" + tail);
            }
        }
    }

    private void collectResults(Tracked t) {
        copy(t, t.dir.stdout(), "stdout", "text/plain");
        copy(t, t.dir.stderr(), "stderr", "text/plain");
        for (SlurmJobType.Output o : t.type.outputs()) {
            copy(t, t.dir.path().resolve(o.fileName()), o.fileName(), o.mimeType());
        }
    }

    private void copy(Tracked t, Path file, String id, String mime) {
        if (!Files.isRegularFile(file)) {
            return;
        }
        try (InputStream in = Files.newInputStream(file); OutputStream out = t.events.openResult(id, mime)) {
            in.transferTo(out);
        } catch (IOException | RuntimeException e) {
            LOG.warn("SLURM backend {}: keeping result {} of job {} failed: {}", name, id, t.jobId, e.toString());
        }
    }
}
