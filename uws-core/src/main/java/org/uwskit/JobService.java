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
 * {@link QuotaExceededException} 429 (with {@code Retry-After}), {@link StoreUnavailableException} 503. Every method may throw {@link StoreUnavailableException} when the store
 * fails; a job-list name the service does not offer, and a job id that is malformed or belongs to another job list,
 * are a {@link JobNotFoundException}. A null {@code caller} or request object is a programming error
 * ({@link NullPointerException}), never client input.
 *
 * <p><b>Threading:</b> thread-safe; any number of request threads may call any method at once. Methods block only
 * while they talk to the job store and result storage; none waits for a job's execution ({@link #awaitChange}
 * returns a future instead of blocking).
 *
 * <p><b>Lifecycle:</b> build with {@link #builder()}; the service works at once, there is nothing to start.
 * {@link #close()} stops the service's own threads. It does not close the {@link JobStore} or the
 * {@link ResultStore} (not even the defaults the builder created): the code that built the service owns them. Close
 * the engines built on a service first, then the service, then the stores.
 */
public interface JobService extends AutoCloseable {

    /**
     * The job lists this service offers, in the order added to the builder.
     *
     * @return an unmodifiable view; never empty
     */
    Collection<JobList> jobLists();

    /**
     * A job list by name (exact, case-sensitive match).
     *
     * @param name the job list name
     * @return the job list, or empty if this service does not offer it
     */
    Optional<JobList> jobList(String name);

    /**
     * The clock every instant of this service (and of the engines built on it) comes from.
     *
     * @return the clock given to the builder, by default {@link Clock#systemUTC()}
     */
    Clock clock();

    /**
     * Counts one request of the caller to a job list against the list's request-rate quota
     * ({@link Quotas#requestsPerSecond()}, {@link Quotas#requestBurst()}). The servlet adapter calls it once per HTTP
     * request to a job list, once its body has arrived (read without a container thread); other front ends should do
     * the same. The other quotas (active jobs, stored jobs, upload bytes) are checked by the methods that change them.
     *
     * @param caller  who asks (administrators are not counted; anonymous callers share one owner)
     * @param jobList the job list name
     * @throws QuotaExceededException if the owner's request rate is exceeded ({@code retryAfter} says when a request
     *                                will be admitted again)
     * @throws JobNotFoundException   if there is no such job list
     */
    default void admit(Caller caller, String jobList) {
        // a service without request-rate quotas admits every request
    }

    /**
     * Creates a job in PENDING (or QUEUED when {@code request.run()}), after validating its parameters against the
     * selected job definition and the job list's limits, and storing its uploads. The owner is
     * {@code caller.ownerId()}; the execution duration and destruction are the request's, clamped by the job list's
     * policy, or the policy's defaults. With several job definitions the selector parameter chooses the type. Upload
     * streams are read and closed here; if creation fails, whatever was stored for the job is deleted again. If RUN
     * was asked but refused, the job is not kept.
     *
     * @param caller  who asks
     * @param jobList the job list name
     * @param request the parameters, uploads and control values
     * @return the stored job
     * @throws InvalidRequestException   listing every invalid parameter
     * @throws PayloadTooLargeException  if a value or upload exceeds the policy
     * @throws JobRejectedException      if RUN was asked and the job list's active-job limit is reached
     * @throws QuotaExceededException    if the owner's stored-jobs or upload-bytes quota, or with RUN its
     *                                   active-jobs quota, is reached (nothing is kept)
     * @throws AccessDeniedException     if the caller may not use the job list
     * @throws JobNotFoundException      if there is no such job list
     */
    Job create(Caller caller, String jobList, JobRequest request);

    /**
     * The current snapshot of a job.
     *
     * @param caller  who asks
     * @param jobList the job list the job belongs to
     * @param jobId   the job id
     * @return the stored snapshot
     * @throws JobNotFoundException  if there is no such job in that list
     * @throws AccessDeniedException if the caller may not use the list or access the job
     */
    Job get(Caller caller, String jobList, String jobId);

    /**
     * Lists jobs with the UWS filters (the filter's owner fields are replaced by what the caller may see). The stream
     * is lazy and pages through the store (a million jobs are never held in memory); close it when done.
     * Jobs come newest first (creationTime descending, then jobId descending); {@code filter.last()} keeps the
     * first n of them. A caller who does not see all owners sees only its own jobs (anonymous callers: anonymous
     * jobs).
     *
     * <p>Access is checked when this method is called; the store is read while the stream is consumed, so
     * {@link StoreUnavailableException} may also be thrown then. The stream is for one thread; a job changing while
     * the list is read may appear with its old or new phase, and a job created meanwhile may be missing.
     *
     * @param caller who asks
     * @param filter the job list and UWS filters
     * @return a lazy, ordered stream of job references
     * @throws JobNotFoundException  if there is no such job list
     * @throws AccessDeniedException if the caller may not use the job list
     */
    Stream<JobRef> list(Caller caller, JobFilter filter);

    /**
     * PHASE=RUN: PENDING → QUEUED (HELD → EXECUTING). An engine executes the job later; this method does not wait
     * for it. Idempotent for a job already QUEUED or EXECUTING (the current snapshot is returned unchanged).
     *
     * @param caller  who asks
     * @param jobList the job list the job belongs to
     * @param jobId   the job id
     * @return the stored job
     * @throws IllegalPhaseTransitionException if RUN is not allowed in the job's phase (a finished job, for instance)
     * @throws JobRejectedException            if queueing it would exceed the job list's active-job limit
     * @throws QuotaExceededException          if queueing it would exceed the owner's active-jobs quota
     * @throws JobNotFoundException            if there is no such job in that list
     * @throws AccessDeniedException           if the caller may not access the job
     */
    Job run(Caller caller, String jobList, String jobId);

    /**
     * PHASE=ABORT: PENDING/QUEUED/EXECUTING → ABORTED; the executing node stops the work, results so far are kept.
     * Returns once ABORTED is stored, without waiting for the work to stop. Idempotent for a job already ABORTED.
     *
     * @param caller  who asks
     * @param jobList the job list the job belongs to
     * @param jobId   the job id
     * @return the stored job, in ABORTED
     * @throws IllegalPhaseTransitionException if the job is in another phase (finished, HELD, SUSPENDED, ARCHIVED)
     * @throws JobNotFoundException            if there is no such job in that list
     * @throws AccessDeniedException           if the caller may not access the job
     */
    Job abort(Caller caller, String jobList, String jobId);

    /**
     * Sets the execution duration (seconds, 0 = unlimited), clamped by the policy. Allowed while PENDING only.
     *
     * @param caller  who asks
     * @param jobList the job list the job belongs to
     * @param jobId   the job id
     * @param seconds the requested duration; 0 asks for no limit (the policy's cap applies when it has one)
     * @return the stored job
     * @throws InvalidRequestException if {@code seconds} is negative
     * @throws InvalidStateException   if the job is not PENDING
     * @throws JobNotFoundException    if there is no such job in that list
     * @throws AccessDeniedException   if the caller may not access the job
     */
    Job setExecutionDuration(Caller caller, String jobList, String jobId, long seconds);

    /**
     * Sets the destruction instant, clamped to the job's creationTime plus the policy's maxRetention and truncated to
     * milliseconds. Allowed in any phase but ARCHIVED. An instant in the past makes the job due for destruction at
     * the engine's next housekeeping.
     *
     * @param caller      who asks
     * @param jobList     the job list the job belongs to
     * @param jobId       the job id
     * @param destruction the requested instant
     * @return the stored job
     * @throws InvalidRequestException if {@code destruction} is null
     * @throws InvalidStateException   if the job is ARCHIVED
     * @throws JobNotFoundException    if there is no such job in that list
     * @throws AccessDeniedException   if the caller may not access the job
     */
    Job setDestruction(Caller caller, String jobList, String jobId, Instant destruction);

    /**
     * Replaces the values of parameters (by name, case-insensitive; a name given several times gets all those
     * values). Allowed while PENDING only. Parameters the definition does not declare are added in a lenient
     * definition and refused in a strict one; the whole set is re-validated. Same as
     * {@link #updateParameters(Caller, String, String, List, List)} without uploads.
     *
     * @param caller     who asks
     * @param jobList    the job list the job belongs to
     * @param jobId      the job id
     * @param parameters the new values (control parameters already taken out)
     * @return the stored job
     * @throws InvalidRequestException  if a value is invalid
     * @throws PayloadTooLargeException if a value or the number of values exceeds the policy
     * @throws InvalidStateException    if the job is not PENDING, or a parameter would change its job type
     * @throws JobNotFoundException     if there is no such job in the list
     * @throws AccessDeniedException    if the caller may not access the job
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
     * @param caller     who asks
     * @param jobList    the job list the job belongs to
     * @param jobId      the job id
     * @param parameters the new values (control parameters already taken out)
     * @param uploads    the inline uploads, possibly empty
     * @return the stored job
     * @throws InvalidRequestException  if a value is invalid, an upload name is malformed or repeated, or an upload
     *                                  cannot be read
     * @throws PayloadTooLargeException if a value, the number of values or an upload exceeds the policy
     * @throws QuotaExceededException   if the uploads would exceed the owner's upload-bytes quota
     * @throws InvalidStateException    if the job is not PENDING, or a parameter would change its job type
     * @throws JobNotFoundException     if there is no such job in the list
     * @throws AccessDeniedException    if the caller may not access the job
     * @throws StoreUnavailableException if the job or upload storage fails
     */
    Job updateParameters(Caller caller, String jobList, String jobId, List<Parameter> parameters,
                         List<JobRequest.Upload> uploads);

    /**
     * Destroys a job now (HTTP DELETE or ACTION=DELETE): a PENDING, QUEUED or EXECUTING job is aborted first (the
     * engine running it stops the work), then the job, its results and its uploads are deleted and listeners are told
     * {@link JobListener#destroyed}. Later requests for the job get {@link JobNotFoundException}. Failing to delete
     * result bytes is logged, not thrown.
     *
     * @param caller  who asks
     * @param jobList the job list the job belongs to
     * @param jobId   the job id
     * @throws JobNotFoundException  if there is no such job in that list (also when it was already destroyed)
     * @throws AccessDeniedException if the caller may not access the job
     */
    void delete(Caller caller, String jobList, String jobId);

    /**
     * Opens a result stored in result storage. Results with an external location are not served here: clients follow
     * their {@link Result#location()}.
     *
     * @param caller   who asks
     * @param jobList  the job list the job belongs to
     * @param jobId    the job id
     * @param resultId the result id
     * @param offset   first byte (≥ 0)
     * @param length   bytes wanted, or -1 for the rest
     * @return the opened range; the caller must close it
     * @throws JobNotFoundException    if there is no such job or result, the result lives elsewhere, or its bytes are
     *                                 gone
     * @throws InvalidRequestException if the range is outside the result
     * @throws AccessDeniedException   if the caller may not access the job
     * @throws IOException             if result storage fails
     */
    ResultContent openResult(Caller caller, String jobList, String jobId, String resultId, long offset, long length)
            throws IOException;

    /**
     * Opens an inline upload of a job (served at {@code /parameters/{name}}).
     *
     * @param caller  who asks
     * @param jobList the job list the job belongs to
     * @param jobId   the job id
     * @param name    the parameter name (case-insensitive) or the upload's part name
     * @param offset  first byte (≥ 0)
     * @param length  bytes wanted, or -1 for the rest
     * @return the opened range; the caller must close it
     * @throws JobNotFoundException    if there is no such job or uploaded parameter, or its bytes are gone
     * @throws InvalidRequestException if the range is outside the upload
     * @throws AccessDeniedException   if the caller may not access the job
     * @throws IOException             if result storage fails
     */
    ResultContent openUpload(Caller caller, String jobList, String jobId, String name, long offset, long length)
            throws IOException;

    /**
     * Waits for a change of the job, without holding a thread. The future completes with the current snapshot:
     * at once if the job is not in an active phase or if {@code expected} is given and differs from the current
     * phase; otherwise on the next phase change, or when {@code timeout} (capped by the job list's maxWait) elapses.
     * It completes exceptionally with {@link JobNotFoundException} if the job is deleted meanwhile. Cancelling the
     * future releases everything it holds.
     *
     * <p>Access is checked, and the job read, before this method returns (those exceptions are thrown, not put in the
     * future). The future completes on the thread that stored or reported the change, or on the service's timer
     * thread: dependent actions must not block there (use the {@code ...Async} variants to move work elsewhere). After
     * {@link #close()}, pending and new waits complete at once with the current snapshot.
     *
     * @param caller   who asks
     * @param jobList  the job list the job belongs to
     * @param jobId    the job id
     * @param timeout  how long to wait at most; null or negative = the policy's cap
     * @param expected the phase the client last saw, or null
     * @return a future of the job's snapshot
     * @throws JobNotFoundException  if there is no such job in that list
     * @throws AccessDeniedException if the caller may not access the job
     */
    CompletableFuture<Job> awaitChange(Caller caller, String jobList, String jobId, Duration timeout, Phase expected);

    /**
     * Stops the service's own threads (wait timer, change feed subscription) and completes pending waits with the
     * current snapshot. Idempotent; does not close the stores (see the class comment).
     */
    @Override
    void close();

    /**
     * A new builder with the defaults listed on {@link Builder}.
     *
     * @return a new builder
     */
    static Builder builder() {
        return new Builder();
    }

    /**
     * Builds a {@link JobService}. Defaults: an in-memory store, result storage in a new temporary directory, the
     * system UTC clock, owner-only authorization, a quote estimator that learns from finished jobs.
     *
     * <p>Setters reject null with {@link NullPointerException}; {@link #build()} fails with
     * {@link IllegalArgumentException} when no job list was added. Not thread-safe: configure on one thread. The
     * getters expose the configuration to the implementation and to tools. Each {@link #build()} makes a new service;
     * services built from one builder share the store and result store given to it (defaults are made per build).
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

        /** The job store (default: a new {@link org.uwskit.memory.InMemoryJobStore}); not closed by the service. */
        public Builder store(JobStore v) { store = Objects.requireNonNull(v); return this; }
        /** Where result and upload bytes go (default: a {@link org.uwskit.memory.FileResultStore} in a new temp dir). */
        public Builder resultStore(ResultStore v) { resultStore = Objects.requireNonNull(v); return this; }
        /** The source of every instant (default: {@link Clock#systemUTC()}); tests pass a settable clock. */
        public Builder clock(Clock v) { clock = Objects.requireNonNull(v); return this; }
        /** Who may do what (default: {@link Authorizer#ownerOnly()}). */
        public Builder authorizer(Authorizer v) { authorizer = Objects.requireNonNull(v); return this; }
        /** The quote estimator (default: one that learns from the durations of finished jobs). */
        public Builder quoteEstimator(QuoteEstimator v) { quoteEstimator = Objects.requireNonNull(v); return this; }
        /** Adds a listener told of changes made through this service; listeners are called in the order added. */
        public Builder listener(JobListener v) { listeners.add(Objects.requireNonNull(v)); return this; }

        /**
         * Adds a job list.
         *
         * @param list the job list
         * @return this builder
         * @throws IllegalArgumentException if a job list of that name was added before
         */
        public Builder jobList(JobList list) {
            if (jobLists.putIfAbsent(list.name(), list) != null) {
                throw new IllegalArgumentException("job list " + list.name() + " added twice");
            }
            return this;
        }

        /** @return the configured store, or null for the default */
        public JobStore store() { return store; }
        /** @return the configured result store, or null for the default */
        public ResultStore resultStore() { return resultStore; }
        /** @return the clock */
        public Clock clock() { return clock; }
        /** @return the authorizer */
        public Authorizer authorizer() { return authorizer; }
        /** @return the configured quote estimator, or null for the default */
        public QuoteEstimator quoteEstimator() { return quoteEstimator; }
        /** @return the job lists by name, in the order added (unmodifiable view) */
        public Map<String, JobList> jobLists() { return java.util.Collections.unmodifiableMap(jobLists); }
        /** @return a copy of the listeners, in the order added */
        public List<JobListener> listeners() { return List.copyOf(listeners); }

        /**
         * Builds the service.
         *
         * @return a new service, ready to use
         * @throws IllegalArgumentException if no job list was added
         */
        public JobService build() {
            if (jobLists.isEmpty()) {
                throw new IllegalArgumentException("a JobService needs at least one job list");
            }
            return org.uwskit.internal.DefaultJobService.create(this);
        }
    }
}
