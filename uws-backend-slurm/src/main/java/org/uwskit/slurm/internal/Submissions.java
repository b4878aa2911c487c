package org.uwskit.slurm.internal;

import java.io.IOException;
import java.nio.file.Files;
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
import org.uwskit.slurm.drmaa.JobTemplate;
import org.uwskit.slurm.drmaa.UnreachableException;
import org.uwskit.spi.ExecutionBackend.BackendException;
import org.uwskit.spi.ExecutionEvents;

/**
 * The jobs whose SLURM job id is not known: submitted while SLURM could not be reached (they wait, QUEUED, and are
 * submitted when it answers), submitted without an answer (sbatch timed out: SLURM may have the job), or re-attached
 * after a service crashed between sbatch and storing the id. Each is known by its marker, the SLURM job name
 * {@code uws-<UWS job id>}. Every {@link #retry} first asks SLURM for the jobs of all markers in one call (and the
 * completion log for those it forgot): a job found is adopted, never submitted again; one whose output file exists
 * was started by SLURM and is not submitted again either; only the others are submitted. A job SLURM refuses ends
 * in ERROR with SLURM's message. Thread-safe; {@link #retry} runs on the poll thread.
 */
public final class Submissions {
    private static final Logger LOG = LoggerFactory.getLogger(Submissions.class);
    /** The prefix of the SLURM job name of a UWS job. */
    public static final String MARKER_PREFIX = "uws-";

    /** jobInfo {@code slurmSubmission} of a job found in SLURM by its marker. */
    public static final String FOUND = "found in SLURM by its name";
    /** jobInfo {@code slurmSubmission} of a job submitted after it waited. */
    public static final String SUBMITTED = "submitted when SLURM answered";

    private final String name;
    private final JobSession session;
    private final JobCompLog jobComp;
    private final JobTracker tracker;
    private final ClusterHealth health;
    private final Executor control;
    private final Map<String, Waiting> waiting = new LinkedHashMap<>(); // by marker, in submission order
    private final Map<String, String> submittedLater = new ConcurrentHashMap<>(); // marker -> SLURM job id
    private volatile boolean closed;

    /**
     * @param name    the backend's name, for logs
     * @param session how SLURM is reached
     * @param jobComp the completion log, or null
     * @param tracker where adopted jobs are followed
     * @param health  told whether each call reached SLURM
     * @param control where cancellations run
     */
    public Submissions(String name, JobSession session, JobCompLog jobComp, JobTracker tracker, ClusterHealth health,
                       Executor control) {
        this.name = name;
        this.session = session;
        this.jobComp = jobComp;
        this.tracker = tracker;
        this.health = health;
        this.control = control;
    }

    /** @param uwsJobId a UWS job id @return the SLURM job name that marks it */
    public static String marker(String uwsJobId) {
        return MARKER_PREFIX + uwsJobId;
    }

    /** One job without a known SLURM id. */
    private static final class Waiting {
        final String jobId;
        final SlurmJobType type;
        final WorkDir dir;
        final ExecutionEvents events;
        final JobTemplate template;
        /** Whether SLURM may have it: a submission without an answer, or a re-attachment. */
        boolean maybeSubmitted;
        boolean abortRequested;

        Waiting(String jobId, SlurmJobType type, WorkDir dir, ExecutionEvents events, JobTemplate template,
                boolean maybeSubmitted) {
            this.jobId = jobId;
            this.type = type;
            this.dir = dir;
            this.events = events;
            this.template = template;
            this.maybeSubmitted = maybeSubmitted;
        }
    }

    /**
     * Keeps a job until SLURM answers.
     *
     * @param jobId          the UWS job id
     * @param type           its type
     * @param dir            its prepared working directory
     * @param events         where to report
     * @param template       what to submit (its job name is the marker)
     * @param maybeSubmitted whether SLURM may already have it
     * @return the marker, the job's backend reference until it is submitted
     */
    public synchronized String add(String jobId, SlurmJobType type, WorkDir dir, ExecutionEvents events,
                                   JobTemplate template, boolean maybeSubmitted) {
        String m = marker(jobId);
        waiting.put(m, new Waiting(jobId, type, dir, events, template, maybeSubmitted));
        return m;
    }

    /** @return the number of jobs waiting */
    public synchronized int size() {
        return waiting.size();
    }

    /** @param marker a marker @return whether that job still waits for SLURM */
    public synchronized boolean isWaiting(String marker) {
        return waiting.containsKey(marker);
    }

    /**
     * The SLURM job id of a marker whose job was submitted after it waited.
     *
     * @param marker a marker
     * @return the id, or null
     */
    public String slurmId(String marker) {
        return submittedLater.get(marker);
    }

    /**
     * An abort of a job by its marker: a waiting job is dropped at the next {@link #retry} (cancelled in SLURM
     * if SLURM turns out to have it).
     *
     * @param marker the marker
     * @return the SLURM id to cancel if the job was submitted meanwhile, else null (handled here, or unknown)
     */
    public synchronized String abort(String marker) {
        Waiting w = waiting.get(marker);
        if (w != null) {
            w.abortRequested = true;
            return null;
        }
        return submittedLater.get(marker);
    }

    /**
     * Forgets a job by its marker (another node follows it now): a waiting job is dropped, never submitted from here.
     *
     * @param marker the marker
     * @return the SLURM id of the job if it was submitted or found after it waited, else null
     */
    public synchronized String detach(String marker) {
        waiting.remove(marker);
        return submittedLater.remove(marker);
    }

    /**
     * Looks up every waiting job in SLURM (one call) and its completion log, adopts those found and submits the
     * others, in order, until SLURM fails to answer.
     *
     * @return false if SLURM could not be reached (the jobs keep waiting), else true
     */
    public boolean retry() {
        submittedLater.values().removeIf(id -> !tracker.isTracked(id)); // finished: their references are done
        List<String> markers;
        synchronized (this) {
            markers = new ArrayList<>(waiting.keySet());
        }
        if (markers.isEmpty()) {
            return true;
        }
        Map<String, List<String>> found;
        try {
            found = session.jobIdsByName(markers);
            health.up();
        } catch (BackendException e) {
            tracker.unreachable(e);
            return false;
        }
        Map<String, JobInfo> logged = Map.of();
        List<String> missing = markers.stream().filter(m -> !found.containsKey(m)).toList();
        if (jobComp != null && !missing.isEmpty()) {
            try {
                logged = jobComp.findByName(missing);
            } catch (IOException e) {
                LOG.warn("SLURM backend {}: reading the job completion log failed: {}; waiting jobs keep waiting",
                        name, e.toString());
                return true;
            }
        }
        for (String m : markers) {
            if (closed) {
                return true;
            }
            Waiting w;
            synchronized (this) {
                w = waiting.get(m);
            }
            if (w == null) {
                continue;
            }
            List<String> ids = found.get(m);
            String id = ids != null ? ids.get(0) : logged.containsKey(m) ? logged.get(m).jobId() : null;
            if (ids != null && ids.size() > 1) {
                cancelDuplicates(m, ids.subList(1, ids.size()));
            }
            if (id != null) {
                adopt(m, w, id, FOUND);
            } else if (w.maybeSubmitted && Files.exists(w.dir.stdout())) {
                drop(m, w);
                w.events.failed("SLURM started job " + m + " (its output exists) but no longer knows it, and the"
                        + " completion log has no record of it; it is not submitted again", null);
            } else if (abortRequested(w)) {
                drop(m, w);
                w.events.aborted("aborted before it reached SLURM");
            } else if (!submit(m, w)) {
                return false;
            }
        }
        return true;
    }

    private synchronized boolean abortRequested(Waiting w) {
        return w.abortRequested;
    }

    /** @return false if SLURM could not be reached (the job keeps waiting, maybe submitted) */
    private boolean submit(String m, Waiting w) {
        String id;
        try {
            id = session.runJob(w.template);
            health.up();
        } catch (UnreachableException e) {
            synchronized (this) {
                w.maybeSubmitted = true;
            }
            health.down(e);
            return false;
        } catch (BackendException e) {
            drop(m, w);
            w.events.failed(e.getMessage() == null ? "SLURM refused the job" : e.getMessage(), null);
            return true;
        } catch (RuntimeException e) {
            LOG.error("SLURM backend {}: submitting job {} failed", name, w.jobId, e);
            return true; // kept: tried again at the next cycle
        }
        adopt(m, w, id, SUBMITTED);
        return true;
    }

    private void adopt(String m, Waiting w, String id, String how) {
        boolean abort;
        synchronized (this) {
            if (waiting.remove(m) != w) {
                return;
            }
            submittedLater.put(m, id);
            tracker.track(id, w.jobId, w.type, w.dir, w.events);
            abort = w.abortRequested;
            if (abort) {
                tracker.abortRequested(id);
            }
        }
        LOG.info("SLURM backend {}: job {} is SLURM job {} ({})", name, w.jobId, id, how);
        w.events.info("slurmJobId", id);
        w.events.info("slurmSubmission", how);
        if (abort) {
            control.execute(() -> cancel(id));
        }
    }

    private synchronized void drop(String m, Waiting w) {
        waiting.remove(m, w);
    }

    private void cancelDuplicates(String m, List<String> extra) {
        LOG.warn("SLURM backend {}: SLURM holds several jobs named {} ({}); cancelling all but the first", name, m,
                extra);
        for (String id : extra) {
            control.execute(() -> cancel(id));
        }
    }

    private void cancel(String id) {
        try {
            session.terminate(id);
        } catch (BackendException | RuntimeException e) {
            LOG.warn("SLURM backend {}: cancelling job {} failed: {}", name, id, e.getMessage());
        }
    }

    /** Forgets every waiting job (the backend closes; nothing is reported afterwards). */
    public synchronized void close() {
        closed = true;
        waiting.clear();
    }
}
