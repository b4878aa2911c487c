package org.uwskit;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.uwskit.spi.Authorizer;
import org.uwskit.spi.JobListener;
import org.uwskit.spi.JobStore;
import org.uwskit.spi.QuoteEstimator;
import org.uwskit.spi.ResultStore;

/**
 * The client role: everything a UWS client can ask of a job list, as Java calls. The servlet adapter is a thin
 * translation of HTTP into these methods; users' own code may call them directly. It never executes jobs: an
 * {@link Engine} built on the same service (or on another node sharing the store) does.
 *
 * <p>Every method takes the {@link Caller} and checks access with the {@link Authorizer}. Exceptions map one to one
 * to HTTP statuses: {@link JobNotFoundException} 404 (also for a job of another job list),
 * {@link AccessDeniedException} 403, {@link IllegalPhaseTransitionException} and {@link InvalidStateException} 403,
 * {@link JobRejectedException} 403, {@link InvalidRequestException} 400, {@link PayloadTooLargeException} 413,
 * {@link StoreUnavailableException} 503. Thread-safe. Build with {@link #builder()}.
 */
public interface JobService extends AutoCloseable {

    /** The job lists this service offers, in the order added. */
    Collection<JobList> jobLists();

    /** A job list by name. */
    Optional<JobList> jobList(String name);

    /** The clock every instant of this service comes from. */
    Clock clock();

    /**
     * Creates a job in PENDING (or QUEUED when {@code request.run()}), after validating its parameters against the
     * selected job definition and the job list's limits, and storing its uploads.
     *
     * @return the stored job
     * @throws InvalidRequestException   listing every invalid parameter
     * @throws PayloadTooLargeException  if a value or upload exceeds the policy
     * @throws JobRejectedException      if RUN was asked and an active-job limit is reached
     * @throws AccessDeniedException     if the caller may not use the job list
     */
    Job create(Caller caller, String jobList, JobRequest request);

    /** The current snapshot of a job. */
    Job get(Caller caller, String jobList, String jobId);

    /**
     * Lists jobs with the UWS filters (the filter's owner fields are replaced by what the caller may see). The stream
     * is lazy and pages through the store (a million jobs are never held in memory); close it when done.
     */
    Stream<JobRef> list(Caller caller, JobFilter filter);

    /** PHASE=RUN: PENDING → QUEUED (HELD → EXECUTING). */
    Job run(Caller caller, String jobList, String jobId);

    /** PHASE=ABORT: PENDING/QUEUED/EXECUTING → ABORTED; the executing node stops the work, results so far are kept. */
    Job abort(Caller caller, String jobList, String jobId);

    /**
     * Sets the execution duration (seconds, 0 = unlimited), clamped by the policy. Allowed while PENDING only.
     *
     * @throws InvalidRequestException if {@code seconds} is negative
     * @throws InvalidStateException   if the job is not PENDING
     */
    Job setExecutionDuration(Caller caller, String jobList, String jobId, long seconds);

    /** Sets the destruction instant, clamped by the policy. Allowed in any phase but ARCHIVED. */
    Job setDestruction(Caller caller, String jobList, String jobId, Instant destruction);

    /**
     * Replaces the values of parameters (by name, case-insensitive; a name given several times gets all those
     * values). Allowed while PENDING only. Parameters the definition does not declare are added in a lenient
     * definition and refused in a strict one; the whole set is re-validated. Same as
     * {@link #updateParameters(Caller, String, String, List, List)} without uploads.
     */
    default Job updateParameters(Caller caller, String jobList, String jobId, List<Parameter> parameters) {
        return updateParameters(caller, jobList, jobId, parameters, List.of());
    }

    /**
     * Replaces the values of parameters and stores inline uploads (a multipart POST to {@code /parameters}, as
     * pyvo sends with {@code UPLOAD=name,param:name}). Allowed while PENDING only. Uploads become parameters as at
     * creation: a parameter whose value is {@code param:x} naming an upload {@code x} refers to it; an upload no
     * parameter refers to becomes the parameter {@code x = param:x}. An upload replaces the bytes of a previous
     * upload of the same name. Parameters are replaced by name (case-insensitive; a name given several times gets
     * all those values); the whole set is then checked against the job list's limits and re-validated.
     *
     * <p>Uploads obey the same limits as at creation (the job list's {@code maxUploadSize} per upload, names of 1
     * to 128 characters of {@code [A-Za-z0-9._-]}). The request is checked against the job before any byte is
     * stored, and an upload is stored only once it has been read whole, so a refused or failing request leaves the
     * job and its previous uploads unchanged, with one exception: if the job leaves PENDING between that check and
     * the commit (a concurrent RUN), the update is refused with {@link InvalidStateException} but an upload that
     * replaced one of the same name is not rolled back. Every upload stream is closed before this method returns.
     * Thread-safe; blocks while the uploads are read.
     *
     * @param parameters the new values (control parameters already taken out)
     * @param uploads    the inline uploads, possibly empty
     * @return the stored job
     * @throws InvalidRequestException  if a value is invalid, an upload name is malformed or repeated, or an upload
     *                                  cannot be read
     * @throws PayloadTooLargeException if a value, the number of values or an upload exceeds the policy
     * @throws InvalidStateException    if the job is not PENDING, or a parameter would change its job type
     * @throws JobNotFoundException     if there is no such job in the list
     * @throws AccessDeniedException    if the caller may not access the job
     * @throws StoreUnavailableException if the job or upload storage fails
     */
    Job updateParameters(Caller caller, String jobList, String jobId, List<Parameter> parameters,
                         List<JobRequest.Upload> uploads);

    /** Destroys a job now: aborts it if active, deletes it, its results and its uploads. */
    void delete(Caller caller, String jobList, String jobId);

    /**
     * Opens a result stored in result storage.
     *
     * @param offset first byte (≥ 0)
     * @param length bytes wanted, or -1 for the rest
     * @throws JobNotFoundException    if there is no such job or result, or the result lives elsewhere
     * @throws InvalidRequestException if the range is outside the result
     */
    ResultContent openResult(Caller caller, String jobList, String jobId, String resultId, long offset, long length)
            throws IOException;

    /** Opens an inline upload of a job (served at {@code /parameters/{name}}). */
    ResultContent openUpload(Caller caller, String jobList, String jobId, String name, long offset, long length)
            throws IOException;

    /**
     * Waits for a change of the job, without holding a thread. The future completes with the current snapshot:
     * at once if the job is not in an active phase or if {@code expected} is given and differs from the current
     * phase; otherwise on the next phase change, or when {@code timeout} (capped by the job list's maxWait) elapses.
     * It completes exceptionally with {@link JobNotFoundException} if the job is deleted meanwhile. Cancelling the
     * future releases everything it holds.
     *
     * @param timeout  how long to wait at most; null or negative = the policy's cap
     * @param expected the phase the client last saw, or null
     */
    CompletableFuture<Job> awaitChange(Caller caller, String jobList, String jobId, Duration timeout, Phase expected);

    /** Stops the service's own threads (wait timers, change feed subscription). Idempotent. */
    @Override
    void close();

    static Builder builder() {
        return new Builder();
    }

    /**
     * Builds a {@link JobService}. Defaults: an in-memory store, result storage in a new temporary directory, the
     * system UTC clock, owner-only authorization, a quote estimator that learns from finished jobs.
     */
    final class Builder {
        private JobStore store;
        private ResultStore resultStore;
        private Clock clock = Clock.systemUTC();
        private Authorizer authorizer = Authorizer.ownerOnly();
        private QuoteEstimator quoteEstimator;
        private final Map<String, JobList> jobLists = new LinkedHashMap<>();
        private final List<JobListener> listeners = new ArrayList<>();

        private Builder() {
        }

        public Builder store(JobStore v) { store = Objects.requireNonNull(v); return this; }
        public Builder resultStore(ResultStore v) { resultStore = Objects.requireNonNull(v); return this; }
        public Builder clock(Clock v) { clock = Objects.requireNonNull(v); return this; }
        public Builder authorizer(Authorizer v) { authorizer = Objects.requireNonNull(v); return this; }
        public Builder quoteEstimator(QuoteEstimator v) { quoteEstimator = Objects.requireNonNull(v); return this; }
        public Builder listener(JobListener v) { listeners.add(Objects.requireNonNull(v)); return this; }

        public Builder jobList(JobList list) {
            if (jobLists.putIfAbsent(list.name(), list) != null) {
                throw new IllegalArgumentException("job list " + list.name() + " added twice");
            }
            return this;
        }

        public JobStore store() { return store; }
        public ResultStore resultStore() { return resultStore; }
        public Clock clock() { return clock; }
        public Authorizer authorizer() { return authorizer; }
        public QuoteEstimator quoteEstimator() { return quoteEstimator; }
        public Map<String, JobList> jobLists() { return java.util.Collections.unmodifiableMap(jobLists); }
        public List<JobListener> listeners() { return List.copyOf(listeners); }

        /** @throws IllegalArgumentException if no job list was added */
        public JobService build() {
            if (jobLists.isEmpty()) {
                throw new IllegalArgumentException("a JobService needs at least one job list");
            }
            return org.uwskit.internal.DefaultJobService.create(this);
        }
    }
}
