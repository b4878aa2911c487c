package org.uwskit.slurm.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.uwskit.slurm.SlurmJobType;
import org.uwskit.slurm.drmaa.JobInfo;
import org.uwskit.slurm.drmaa.JobSession;
import org.uwskit.slurm.drmaa.UnreachableException;
import org.uwskit.spi.ExecutionBackend.BackendException;
import org.uwskit.spi.ExecutionEvents;
import org.uwskit.spi.JobTemplate;

/**
 * Submission and re-attachment of a SLURM backend's jobs: prepares the working directory (with the callback files
 * when callbacks are on), submits, or keeps the job waiting for SLURM (its marker as reference) when SLURM cannot be
 * reached and the backend retries; re-attaches a job by its SLURM id (asking SLURM once) or by its marker (the next
 * poll cycle looks it up); cancels ({@link #abort}) on the control thread; runs a poll cycle. Thread-safe.
 */
public final class Launcher {
    private static final Logger LOG = LoggerFactory.getLogger(Launcher.class);
    /** A SLURM job id (anything else a backend reference may be is a marker). */
    public static final Pattern SLURM_ID = Pattern.compile("[0-9]+");
    /** The message of a job refused because SLURM cannot be reached and the backend does not retry. */
    public static final String DOWN_MESSAGE = "SLURM cannot be reached; the job was not run (submit it again later)";

    /** Where the parts of a backend are; one per backend. */
    public record Parts(String name, JobSession session, Path workRoot, Map<String, SlurmJobType> types,
                        SlurmTemplates templates, JobCompLog jobComp, JobTracker tracked, Submissions submissions,
                        ClusterHealth health, boolean retryWhenDown, String callbackBase, CallbackTokens tokens,
                        Executor control, Runnable wake) {
    }

    private final Parts p;

    /** @param parts the backend's parts */
    public Launcher(Parts parts) {
        this.p = parts;
    }

    /** The submission of {@link org.uwskit.spi.ExecutionBackend#submit}; returns the SLURM id, or the marker. */
    public String submit(JobTemplate template, ExecutionEvents events) throws BackendException {
        SlurmJobType type = p.types().get(template.jobType());
        if (type == null) {
            throw new BackendException("the SLURM backend " + p.name() + " does not run job type "
                    + template.jobType());
        }
        WorkDir dir = dir(template);
        org.uwskit.slurm.drmaa.JobTemplate t = p.templates().of(type, template, dir);
        prepare(dir, type, template, events);
        if (p.health().isDown()) { // a call now would wait for SLURM's own retries (about 9 s) and fail
            if (!p.retryWhenDown()) {
                throw new BackendException(DOWN_MESSAGE);
            }
            return waitForSlurm(template, type, dir, events, t, false);
        }
        String id;
        try {
            id = p.session().runJob(t);
            p.health().up();
        } catch (UnreachableException e) {
            p.health().down(e);
            if (!p.retryWhenDown()) {
                // SLURM may have the job all the same (an answer lost): it is cancelled once SLURM answers
                p.submissions().add(template.jobId(), type, dir, events, t, true);
                p.submissions().abort(Submissions.marker(template.jobId()));
                throw new BackendException(DOWN_MESSAGE);
            }
            return waitForSlurm(template, type, dir, events, t, true);
        }
        p.tracked().track(id, template.jobId(), type, dir, events);
        events.info("slurmJobId", id);
        p.wake().run();
        return id;
    }

    private WorkDir dir(JobTemplate template) {
        return new WorkDir(p.workRoot().resolve(template.jobId()));
    }

    /** Keeps a job QUEUED until SLURM answers; its reference is its marker until then. */
    private String waitForSlurm(JobTemplate template, SlurmJobType type, WorkDir dir, ExecutionEvents events,
                                org.uwskit.slurm.drmaa.JobTemplate t, boolean maybeSubmitted) {
        String marker = p.submissions().add(template.jobId(), type, dir, events, t, maybeSubmitted);
        events.info("slurmSubmission", "waiting: SLURM cannot be reached; the job is submitted when it answers");
        return marker;
    }

    private void prepare(WorkDir dir, SlurmJobType type, JobTemplate template, ExecutionEvents events)
            throws BackendException {
        String url = p.callbackBase() == null ? null : p.callbackBase() + template.jobId() + "/";
        try {
            dir.prepare(type, template, events, url, url == null ? null : p.tokens().token(template.jobId()));
        } catch (WorkDir.SetupException e) {
            throw new BackendException(e.getMessage());
        } catch (IOException e) {
            throw new BackendException("the job's working directory could not be written", e);
        }
    }

    /** The re-attachment of {@link org.uwskit.spi.Reattachable#reattach}. */
    public boolean reattach(String backendRef, JobTemplate template, ExecutionEvents events) {
        SlurmJobType type = p.types().get(template.jobType());
        if (type == null) {
            return false;
        }
        WorkDir dir = dir(template);
        if (backendRef == null || backendRef.equals(Submissions.marker(template.jobId()))) {
            return reattachByMarker(template, type, dir, events);
        }
        if (!SLURM_ID.matcher(backendRef).matches()) {
            return false;
        }
        if (p.health().isDown()) { // asking would take SLURM's retries (about 9 s) per job: the polls decide
            p.tracked().track(backendRef, template.jobId(), type, dir, events);
            return true;
        }
        try {
            Map<String, JobInfo> known = new LinkedHashMap<>(p.session().jobInfos(List.of(backendRef)));
            p.health().up();
            if (known.isEmpty() && p.jobComp() != null) {
                known.putAll(p.jobComp().find(List.of(backendRef)));
            }
            if (known.isEmpty()) {
                return false;
            }
        } catch (BackendException e) {
            p.tracked().unreachable(e); // cannot tell now: track it, the polls decide
        } catch (IOException e) {
            LOG.warn("SLURM backend {}: reading the job completion log failed: {}", p.name(), e.toString());
        }
        p.tracked().track(backendRef, template.jobId(), type, dir, events);
        p.wake().run();
        return true;
    }

    /**
     * A job whose SLURM id was never stored (the service died between sbatch and storing it) or that waited for
     * SLURM: the next poll cycle looks it up by its marker and adopts the SLURM job found, or submits it if SLURM
     * never had it (and its output file does not exist).
     */
    private boolean reattachByMarker(JobTemplate template, SlurmJobType type, WorkDir dir, ExecutionEvents events) {
        org.uwskit.slurm.drmaa.JobTemplate t;
        try {
            t = p.templates().of(type, template, dir);
            if (!Files.exists(dir.script())) { // never prepared completely: SLURM cannot have it
                prepare(dir, type, template, events);
            }
        } catch (BackendException e) {
            LOG.warn("SLURM backend {}: job {} cannot be re-attached: {}", p.name(), template.jobId(),
                    e.getMessage());
            return false;
        }
        p.submissions().add(template.jobId(), type, dir, events, t, true);
        p.wake().run();
        return true;
    }

    /** The abort of {@link org.uwskit.spi.ExecutionBackend#abort}: cancels on the control thread, never blocks. */
    public void abort(String backendRef) {
        if (!SLURM_ID.matcher(backendRef).matches()) { // a marker: the job waited for SLURM
            String id = p.submissions().abort(backendRef);
            if (id == null) {
                p.wake().run(); // dropped, or cancelled if SLURM has it, at the next cycle
                return;
            }
            backendRef = id;
        }
        String ref = backendRef;
        if (!p.tracked().abortRequested(ref)) {
            return;
        }
        p.control().execute(() -> {
            try {
                p.session().terminate(ref);
            } catch (BackendException | RuntimeException e) {
                LOG.warn("SLURM backend {}: cancelling job {} failed: {}", p.name(), ref, e.getMessage());
            }
            p.wake().run();
        });
    }

    /** The detachment of {@link org.uwskit.spi.Reattachable#detach}: stops following a job, leaves it in SLURM. */
    public void detach(String backendRef) {
        String id = SLURM_ID.matcher(backendRef).matches() ? backendRef : p.submissions().detach(backendRef);
        if (id != null && p.tracked().untrack(id)) {
            LOG.info("SLURM backend {}: no longer following SLURM job {} (another node does)", p.name(), id);
        }
    }

    /**
     * @param ref a backend reference (a marker once its job was submitted)
     * @return its SLURM job id
     * @throws BackendException while the job waits for SLURM
     */
    public String slurmId(String ref) throws BackendException {
        if (ref != null && SLURM_ID.matcher(ref).matches()) {
            return ref;
        }
        String id = ref == null ? null : p.submissions().slurmId(ref);
        if (id == null) {
            throw new BackendException("the job is not in SLURM yet: it waits until SLURM can be reached");
        }
        return id;
    }

    /** One poll cycle: the waiting submissions first, then one session call for every active job. */
    public void pollCycle() {
        if (!p.submissions().retry()) {
            return; // SLURM is down: the states would not come either
        }
        if (p.health().isDown() && p.tracked().size() == 0) {
            try { // nothing else would find out that SLURM is back
                p.session().jobIdsByName(List.of(Submissions.marker("probe")));
                p.health().up();
            } catch (BackendException e) {
                p.tracked().unreachable(e);
            }
        }
        p.tracked().pollNow();
    }
}
