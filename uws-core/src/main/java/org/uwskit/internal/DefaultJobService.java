package org.uwskit.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import java.util.Spliterator;
import java.util.Spliterators;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.uwskit.AccessDeniedException;
import org.uwskit.BlobKind;
import org.uwskit.Caller;
import org.uwskit.InvalidRequestException;
import org.uwskit.InvalidStateException;
import org.uwskit.Job;
import org.uwskit.JobDefinition;
import org.uwskit.JobFilter;
import org.uwskit.JobIds;
import org.uwskit.JobList;
import org.uwskit.JobListPolicy;
import org.uwskit.JobNotFoundException;
import org.uwskit.JobRef;
import org.uwskit.JobRejectedException;
import org.uwskit.JobRequest;
import org.uwskit.JobService;
import org.uwskit.Parameter;
import org.uwskit.PayloadTooLargeException;
import org.uwskit.Phase;
import org.uwskit.PhaseChange;
import org.uwskit.PhaseMachine;
import org.uwskit.Result;
import org.uwskit.ResultContent;
import org.uwskit.StaleVersionException;
import org.uwskit.StoreUnavailableException;
import org.uwskit.spi.Authorizer;
import org.uwskit.spi.JobChangeFeed;
import org.uwskit.spi.JobChangeFeed.JobChange;
import org.uwskit.spi.JobListener;
import org.uwskit.spi.JobStore;
import org.uwskit.spi.QuoteEstimator;
import org.uwskit.spi.ResultStore;
import org.uwskit.memory.FileResultStore;
import org.uwskit.memory.InMemoryJobStore;

/**
 * The implementation of {@link JobService}. Not API: build services with {@link JobService#builder()}.
 *
 * <p>Every change is a read–modify–compare-and-set loop on the job's version ({@link #change}), checked with the
 * {@link PhaseMachine}; after a change is stored, listeners, WAIT requests and engines on this node are told. The
 * engine ({@link DefaultEngine}) changes jobs through the same loop, so both roles share one set of rules.
 */
public final class DefaultJobService implements JobService {
    /** How many times a change is re-applied after losing a compare-and-set race before giving up (503). */
    public static final int MAX_CHANGE_ATTEMPTS = 100;
    /** Rows read per store page when streaming a job list. */
    public static final int LIST_PAGE_SIZE = 500;

    private static final Logger LOG = LoggerFactory.getLogger(DefaultJobService.class);
    private static final Set<Phase> ACTIVE = EnumSet.of(Phase.QUEUED, Phase.EXECUTING, Phase.HELD, Phase.SUSPENDED);

    private final JobStore store;
    private final ResultStore resultStore;
    private final Clock clock;
    private final Authorizer authorizer;
    private final QuoteEstimator quotes;
    private final Map<String, JobList> jobLists;
    private final List<JobListener> listeners;
    private final ChangeWaiters waiters;
    private final List<Consumer<JobChange>> hooks = new CopyOnWriteArrayList<>();
    private final AutoCloseable feedSubscription;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * A rule applied to the current snapshot of a job inside a compare-and-set loop. It returns the changed job
     * (its version is set by the loop), or the same instance or null for "nothing to change"; it may throw a
     * {@link org.uwskit.UwsException} to refuse. It may run several times, so it must not have side effects.
     */
    @FunctionalInterface
    public interface Rule {
        Job apply(Job current);
    }

    private DefaultJobService(JobService.Builder b) {
        this.store = b.store() != null ? b.store() : new InMemoryJobStore();
        this.resultStore = b.resultStore() != null ? b.resultStore() : FileResultStore.inTempDirectory();
        this.clock = b.clock();
        this.authorizer = b.authorizer();
        this.quotes = b.quoteEstimator() != null ? b.quoteEstimator() : new AverageDurationQuoteEstimator();
        this.jobLists = new LinkedHashMap<>(b.jobLists());
        this.listeners = List.copyOf(b.listeners());
        this.waiters = new ChangeWaiters(store::get);
        this.feedSubscription = store instanceof JobChangeFeed feed ? feed.subscribe(this::dispatchChange) : null;
    }

    /** Builds the service the builder describes (called by {@link JobService.Builder#build()}). */
    public static DefaultJobService create(JobService.Builder builder) {
        DefaultJobService s = new DefaultJobService(builder);
        LOG.debug("JobService: store={} resultStore={} clock={} jobLists={}", s.store.getClass().getSimpleName(),
                s.resultStore.getClass().getSimpleName(), s.clock, s.jobLists.keySet());
        return s;
    }

    // ---------------------------------------------------------------- API

    @Override
    public Collection<JobList> jobLists() {
        return java.util.Collections.unmodifiableCollection(jobLists.values());
    }

    @Override
    public Optional<JobList> jobList(String name) {
        return Optional.ofNullable(jobLists.get(name));
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public Job create(Caller caller, String jobListName, JobRequest request) {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(request, "request");
        JobList list = requireList(jobListName);
        checkUse(caller, list);
        JobListPolicy policy = list.policy();

        String selectorValue = null;
        for (Parameter p : request.parameters()) {
            if (list.isSelector(p.name())) {
                selectorValue = p.value();
                break;
            }
        }
        JobDefinition definition = list.select(selectorValue);

        checkUploadNames(request.uploads());
        List<Parameter> placeholder = withUploads(request, Map.of());
        checkParameterLimits(policy, placeholder);
        definition.validate(withoutSelector(list, placeholder));

        if (request.executionDuration() != null && request.executionDuration() < 0) {
            throw new InvalidRequestException("EXECUTIONDURATION must be a non-negative number of seconds, got "
                    + request.executionDuration());
        }
        long duration = policy.clampExecutionDuration(request.executionDuration() != null
                ? request.executionDuration() : policy.defaultExecutionDuration().toSeconds());
        if (request.run()) {
            checkActiveLimits(list, caller.ownerId());
        }

        String jobId = JobIds.next();
        Instant now = now();
        Instant destruction = request.destruction() != null ? request.destruction()
                : policy.defaultRetention() == null ? null : now.plus(policy.defaultRetention());
        if (destruction != null) {
            destruction = policy.clampDestruction(now, destruction).truncatedTo(ChronoUnit.MILLIS);
        }

        Job job;
        try {
            Map<String, Parameter.Upload> stored = new HashMap<>();
            for (JobRequest.Upload u : request.uploads()) {
                stored.put(u.name(), storeUpload(jobId, u, policy.maxUploadSize()));
            }
            Job draft = Job.builder(jobId, list.name(), definition.name(), now)
                    .runId(request.runId())
                    .ownerId(caller.ownerId())
                    .executionDuration(duration)
                    .destruction(destruction)
                    .parameters(withUploads(request, stored))
                    .phase(Phase.PENDING, now, "created")
                    .build();
            job = draft.toBuilder().quote(quote(draft, list, now)).build();
            store.insert(job);
        } catch (RuntimeException e) {
            deleteBlobsQuietly(jobId);
            throw e;
        }
        afterCommit(null, job);
        if (request.run()) {
            try {
                return run(list, jobId, "client RUN at creation");
            } catch (JobRejectedException e) {
                destroy(job);
                throw e;
            }
        }
        return job;
    }

    @Override
    public Job get(Caller caller, String jobList, String jobId) {
        return load(caller, jobList, jobId);
    }

    @Override
    public Stream<JobRef> list(Caller caller, JobFilter filter) {
        Objects.requireNonNull(filter, "filter");
        JobList list = requireList(filter.jobList());
        checkUse(caller, list);
        JobFilter f;
        if (authorizer.seesAllOwners(caller, list)) {
            f = !filter.allOwners() && filter.ownerId() != null ? filter
                    : new JobFilter(filter.jobList(), null, true, filter.phases(), filter.after(), filter.last());
        } else {
            f = filter.withOwner(caller.ownerId());
        }
        Iterator<JobRef> pages = new PagingIterator(f);
        Stream<JobRef> s = StreamSupport.stream(Spliterators.spliteratorUnknownSize(pages,
                Spliterator.ORDERED | Spliterator.NONNULL | Spliterator.DISTINCT), false);
        return f.last() == null ? s : s.limit(f.last());
    }

    @Override
    public Job run(Caller caller, String jobList, String jobId) {
        load(caller, jobList, jobId);
        return run(requireList(jobList), jobId, "client RUN");
    }

    private Job run(JobList list, String jobId, String reason) {
        return change(jobId, cur -> {
            Phase p = cur.phase();
            if (p == Phase.QUEUED || p == Phase.EXECUTING) {
                return cur;
            }
            Phase to = PhaseMachine.afterRun(p);
            PhaseMachine.check(p, to);
            Instant now = now();
            Job.Builder b = cur.toBuilder().phase(to, now, reason);
            if (to == Phase.QUEUED) {
                checkActiveLimits(list, cur.ownerId());
                b.quote(quote(cur, list, now));
            }
            return b.build();
        });
    }

    @Override
    public Job abort(Caller caller, String jobList, String jobId) {
        load(caller, jobList, jobId);
        return abort(jobId, "client ABORT");
    }

    /** Aborts a job (no access check): PENDING/QUEUED/EXECUTING → ABORTED; idempotent for an ABORTED job. */
    public Job abort(String jobId, String reason) {
        return change(jobId, cur -> {
            if (cur.phase() == Phase.ABORTED) {
                return cur;
            }
            PhaseMachine.checkAbort(cur.phase());
            Instant now = now();
            return cur.toBuilder().phase(Phase.ABORTED, now, reason).endTime(now).lease(null).build();
        });
    }

    @Override
    public Job setExecutionDuration(Caller caller, String jobList, String jobId, long seconds) {
        JobList list = requireList(jobList);
        load(caller, jobList, jobId);
        if (seconds < 0) {
            throw new InvalidRequestException("EXECUTIONDURATION must be a non-negative number of seconds, got "
                    + seconds);
        }
        long clamped = list.policy().clampExecutionDuration(seconds);
        return change(jobId, cur -> {
            requirePending(cur, "the execution duration");
            return cur.executionDuration() == clamped ? cur : cur.toBuilder().executionDuration(clamped).build();
        });
    }

    @Override
    public Job setDestruction(Caller caller, String jobList, String jobId, Instant destruction) {
        JobList list = requireList(jobList);
        load(caller, jobList, jobId);
        if (destruction == null) {
            throw new InvalidRequestException("DESTRUCTION must be an ISO 8601 instant");
        }
        return change(jobId, cur -> {
            if (cur.phase() == Phase.ARCHIVED) {
                throw new InvalidStateException("the destruction time of an ARCHIVED job cannot be changed");
            }
            Instant d = list.policy().clampDestruction(cur.creationTime(), destruction).truncatedTo(ChronoUnit.MILLIS);
            return d.equals(cur.destruction()) ? cur : cur.toBuilder().destruction(d).build();
        });
    }

    @Override
    public Job updateParameters(Caller caller, String jobList, String jobId, List<Parameter> parameters,
                                List<JobRequest.Upload> uploads) {
        Objects.requireNonNull(parameters, "parameters");
        Objects.requireNonNull(uploads, "uploads");
        List<Path> spooled = new ArrayList<>();
        try {
            JobList list = requireList(jobList);
            Job before = load(caller, jobList, jobId);
            checkUploadNames(uploads);
            if (uploads.isEmpty()) {
                return change(jobId, parameterRule(list, parameters));
            }
            // refuse before reading or storing any byte: not PENDING, invalid values, limits
            parameterRule(list, withUploads(parameters, uploads, Map.of())).apply(before);
            long max = list.policy().maxUploadSize();
            Map<String, Parameter.Upload> stored = new HashMap<>();
            for (JobRequest.Upload u : uploads) {
                Path file = spool(u, max);
                spooled.add(file);
                stored.put(u.name(), new Parameter.Upload(u.fileName(), u.mimeType(), sizeOf(file)));
            }
            // every upload was read whole: only now replace the job's blobs
            for (int i = 0; i < uploads.size(); i++) {
                copyToStore(jobId, uploads.get(i).name(), spooled.get(i));
            }
            return change(jobId, parameterRule(list, withUploads(parameters, uploads, stored)));
        } finally {
            for (JobRequest.Upload u : uploads) {
                try {
                    u.content().close();
                } catch (IOException e) {
                    LOG.debug("closing upload {} failed: {}", u.name(), e.toString());
                }
            }
            for (Path p : spooled) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    LOG.warn("could not delete the spooled upload {}", p, e);
                }
            }
        }
    }

    /** Replaces the named parameters of a PENDING job by {@code parameters} and re-validates the whole set. */
    private Rule parameterRule(JobList list, List<Parameter> parameters) {
        Set<String> names = new HashSet<>();
        for (Parameter p : parameters) {
            names.add(p.name().toUpperCase(Locale.ROOT));
        }
        return cur -> {
            requirePending(cur, "parameters");
            List<Parameter> merged = new ArrayList<>();
            for (Parameter p : cur.parameters()) {
                if (!names.contains(p.name().toUpperCase(Locale.ROOT))) {
                    merged.add(p);
                }
            }
            for (Parameter p : parameters) {
                if (list.isSelector(p.name()) && !p.value().trim().equalsIgnoreCase(cur.jobType())) {
                    throw new InvalidStateException("the job type of a job cannot be changed (it is " + cur.jobType()
                            + ")");
                }
                merged.add(p);
            }
            checkParameterLimits(list.policy(), merged);
            JobDefinition def = list.definition(cur.jobType()).orElseThrow(() -> new InvalidStateException(
                    "the job type " + cur.jobType() + " is no longer offered by " + list.name()));
            def.validate(withoutSelector(list, merged));
            return cur.toBuilder().parameters(merged).build();
        };
    }

    @Override
    public void delete(Caller caller, String jobList, String jobId) {
        Job job = load(caller, jobList, jobId);
        if (job.phase().isActive()) {
            try {
                job = abort(jobId, "destroyed by client");
            } catch (JobNotFoundException e) {
                return;
            } catch (org.uwskit.IllegalPhaseTransitionException e) {
                // the job moved on meanwhile: delete it as it is
            }
        }
        destroy(job);
    }

    /**
     * Deletes a job, its results and its uploads, and tells listeners and waiters (no access check, no abort:
     * callers abort first when the job is active).
     */
    public void destroy(Job job) {
        boolean deleted = store.delete(job.jobId());
        deleteBlobsQuietly(job.jobId());
        if (!deleted) {
            return;
        }
        for (JobListener l : listeners) {
            try {
                l.destroyed(job);
            } catch (RuntimeException e) {
                LOG.warn("JobListener {} failed on destroyed({})", l, job.jobId(), e);
            }
        }
        if (!(store instanceof JobChangeFeed)) {
            dispatchChange(new JobChange(job.jobId(), job.jobList(), null, -1));
        }
    }

    @Override
    public ResultContent openResult(Caller caller, String jobList, String jobId, String resultId, long offset,
                                    long length) throws IOException {
        Job job = load(caller, jobList, jobId);
        Result r = job.result(resultId).orElseThrow(() -> new JobNotFoundException(jobId,
                "job '" + jobId + "' has no result '" + resultId + "'"));
        if (!r.isStored()) {
            throw new JobNotFoundException(jobId, "result '" + resultId + "' is not stored here; it is at "
                    + r.location());
        }
        return open(jobId, BlobKind.RESULT, resultId, r.mimeType(), offset, length);
    }

    @Override
    public ResultContent openUpload(Caller caller, String jobList, String jobId, String name, long offset,
                                    long length) throws IOException {
        Job job = load(caller, jobList, jobId);
        for (Parameter p : job.parameters()) {
            if (p.upload() != null && p.value().startsWith("param:")
                    && (p.isNamed(name) || p.value().substring(6).equals(name))) {
                return open(jobId, BlobKind.UPLOAD, p.value().substring(6), p.upload().mimeType(), offset, length);
            }
        }
        throw new JobNotFoundException(jobId, "job '" + jobId + "' has no uploaded parameter '" + name + "'");
    }

    private ResultContent open(String jobId, BlobKind kind, String name, String mimeType, long offset, long length)
            throws IOException {
        long size = resultStore.size(jobId, kind, name);
        if (size < 0) {
            throw new JobNotFoundException(jobId, "the bytes of '" + name + "' of job '" + jobId + "' are gone");
        }
        if (offset < 0 || offset > size || length < -1 || (length >= 0 && offset + length > size)) {
            throw new InvalidRequestException("byte range " + offset + (length < 0 ? "-" : "+" + length)
                    + " is outside '" + name + "' (" + size + " bytes)");
        }
        long n = length < 0 ? size - offset : length;
        return new ResultContent(name, mimeType, size, offset, n, resultStore.read(jobId, kind, name, offset, n));
    }

    @Override
    public CompletableFuture<Job> awaitChange(Caller caller, String jobList, String jobId, Duration timeout,
                                              Phase expected) {
        JobList list = requireList(jobList);
        Job job = load(caller, jobList, jobId);
        if (!job.phase().isActive() || (expected != null && expected != job.phase())) {
            return CompletableFuture.completedFuture(job);
        }
        Duration cap = list.policy().maxWait();
        Duration t = timeout == null || timeout.isNegative() || timeout.compareTo(cap) > 0 ? cap : timeout;
        if (t.isZero()) {
            return CompletableFuture.completedFuture(job);
        }
        return waiters.register(job, t);
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (feedSubscription != null) {
            try {
                feedSubscription.close();
            } catch (Exception e) {
                LOG.warn("closing the job change feed subscription failed", e);
            }
        }
        waiters.close();
    }

    // ---------------------------------------------------------------- internal, for the engine

    /** The job store. */
    public JobStore store() {
        return store;
    }

    /** The result store. */
    public ResultStore resultStore() {
        return resultStore;
    }

    /** The job lists by name. */
    public Map<String, JobList> jobListMap() {
        return java.util.Collections.unmodifiableMap(jobLists);
    }

    /** The quote estimator. */
    public QuoteEstimator quoteEstimator() {
        return quotes;
    }

    /** The clock's now, truncated to milliseconds (the precision every store keeps). */
    public Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /** The number of WAIT requests currently registered. */
    public int waiterCount() {
        return waiters.size();
    }

    /**
     * Registers a hook told of every change (made on this node, or reported by the store's change feed), including
     * the feed's {@linkplain JobChange#resync() resync} signal (no job id). Hooks run on the changing thread and
     * must be quick and must not throw.
     *
     * @return a handle that unregisters the hook
     */
    public AutoCloseable onChange(Consumer<JobChange> hook) {
        hooks.add(hook);
        return () -> hooks.remove(hook);
    }

    /**
     * Applies {@code rule} to the current snapshot and stores the result with a compare-and-set, re-reading and
     * re-applying it after a lost race (at most {@value #MAX_CHANGE_ATTEMPTS} times). After the change is stored,
     * listeners, waiters and hooks are told.
     *
     * @return the stored snapshot (the current one if the rule changed nothing)
     * @throws JobNotFoundException      if the job does not exist
     * @throws StoreUnavailableException if the job kept changing under the rule
     */
    public Job change(String jobId, Rule rule) {
        for (int attempt = 1; ; attempt++) {
            Job cur = store.get(jobId).orElseThrow(() -> new JobNotFoundException(jobId));
            Job next = rule.apply(cur);
            if (next == null || next == cur) {
                return cur;
            }
            Job stored = next.toBuilder().version(cur.version() + 1).build();
            try {
                store.update(stored);
            } catch (StaleVersionException e) {
                if (attempt >= MAX_CHANGE_ATTEMPTS) {
                    throw new StoreUnavailableException("job '" + jobId + "' kept changing concurrently; retry", e);
                }
                continue;
            }
            afterCommit(cur, stored);
            return stored;
        }
    }

    private void afterCommit(Job before, Job after) {
        int known = before == null ? 0 : before.history().size();
        List<PhaseChange> changes = after.history().subList(Math.min(known, after.history().size()),
                after.history().size());
        if (before != null && !before.phase().isFinished() && after.phase().isFinished()) {
            try {
                quotes.finished(after);
            } catch (RuntimeException e) {
                LOG.warn("quote estimator failed on {}", after.jobId(), e);
            }
        }
        for (JobListener l : listeners) {
            try {
                for (PhaseChange c : changes) {
                    l.phaseChanged(after, c);
                }
                if (before != null) {
                    for (Result r : after.results()) {
                        if (!before.results().contains(r)) {
                            l.resultAdded(after, r);
                        }
                    }
                }
            } catch (RuntimeException e) {
                LOG.warn("JobListener {} failed on job {}", l, after.jobId(), e);
            }
        }
        if (!(store instanceof JobChangeFeed)) {
            dispatchChange(new JobChange(after.jobId(), after.jobList(), after.phase(), after.version()));
        }
    }

    private void dispatchChange(JobChange change) {
        waiters.changed(change);
        for (Consumer<JobChange> h : hooks) {
            try {
                h.accept(change);
            } catch (RuntimeException e) {
                LOG.warn("change hook failed for {}", change, e);
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    private JobList requireList(String name) {
        JobList l = name == null ? null : jobLists.get(name);
        if (l == null) {
            throw new JobNotFoundException(null, "no job list '" + name + "'");
        }
        return l;
    }

    private void checkUse(Caller caller, JobList list) {
        Objects.requireNonNull(caller, "caller");
        if (!authorizer.mayUse(caller, list)) {
            boolean anonymous = caller.isAnonymous();
            throw new AccessDeniedException(anonymous
                    ? "job list " + list.name() + " requires authentication"
                    : "you may not use job list " + list.name(), anonymous);
        }
    }

    private Job load(Caller caller, String jobList, String jobId) {
        JobList list = requireList(jobList);
        checkUse(caller, list);
        if (!JobIds.isWellFormed(jobId)) {
            throw new JobNotFoundException(jobId);
        }
        Job job = store.get(jobId).filter(j -> j.jobList().equals(list.name()))
                .orElseThrow(() -> new JobNotFoundException(jobId));
        if (!authorizer.mayAccess(caller, job)) {
            boolean anonymous = caller.isAnonymous();
            throw new AccessDeniedException(anonymous
                    ? "job '" + jobId + "' requires authentication"
                    : "you may not access job '" + jobId + "'", anonymous, jobId);
        }
        return job;
    }

    private static void requirePending(Job job, String what) {
        if (job.phase() != Phase.PENDING) {
            throw new InvalidStateException(what + " can only be changed while the job is PENDING; job '"
                    + job.jobId() + "' is " + job.phase());
        }
    }

    private void checkActiveLimits(JobList list, String ownerId) {
        JobListPolicy p = list.policy();
        if (p.maxActiveJobs() > 0) {
            long n = store.count(new JobFilter(list.name(), null, true, ACTIVE, null, null));
            if (n >= p.maxActiveJobs()) {
                throw new JobRejectedException("job list " + list.name() + " already has " + n
                        + " active jobs, its limit; try again later");
            }
        }
        if (p.maxActiveJobsPerOwner() > 0) {
            long n = store.count(new JobFilter(list.name(), ownerId, false, ACTIVE, null, null));
            if (n >= p.maxActiveJobsPerOwner()) {
                throw new JobRejectedException("you already have " + n + " active jobs in " + list.name()
                        + ", the limit per owner; try again when one has finished");
            }
        }
    }

    private static void checkParameterLimits(JobListPolicy policy, List<Parameter> params) {
        if (params.size() > policy.maxParameters()) {
            throw new PayloadTooLargeException("too many parameter values: " + params.size() + "; the limit is "
                    + policy.maxParameters());
        }
        for (Parameter p : params) {
            if (!p.byReference() && p.value().length() > policy.maxParameterLength()) {
                throw new PayloadTooLargeException("the value of parameter " + p.name() + " is "
                        + p.value().length() + " characters long; the limit is " + policy.maxParameterLength());
            }
        }
    }

    private static List<Parameter> withoutSelector(JobList list, List<Parameter> params) {
        List<Parameter> out = new ArrayList<>(params.size());
        for (Parameter p : params) {
            if (!list.isSelector(p.name())) {
                out.add(p);
            }
        }
        return out;
    }

    /**
     * The job's parameters: the request's, where a value {@code param:x} naming an upload becomes an uploaded
     * parameter, plus one uploaded parameter for each upload no parameter refers to.
     */
    private static List<Parameter> withUploads(JobRequest request, Map<String, Parameter.Upload> stored) {
        return withUploads(request.parameters(), request.uploads(), stored);
    }

    private static List<Parameter> withUploads(List<Parameter> parameters, List<JobRequest.Upload> uploads,
                                               Map<String, Parameter.Upload> stored) {
        Set<String> uploadNames = new HashSet<>();
        uploads.forEach(u -> uploadNames.add(u.name()));
        Set<String> referenced = new HashSet<>();
        List<Parameter> out = new ArrayList<>();
        for (Parameter p : parameters) {
            String v = p.value();
            if (v.startsWith("param:") && uploadNames.contains(v.substring(6))) {
                referenced.add(v.substring(6));
                out.add(new Parameter(p.name(), v, true, stored.get(v.substring(6))));
            } else {
                out.add(p);
            }
        }
        for (JobRequest.Upload u : uploads) {
            if (!referenced.contains(u.name())) {
                out.add(new Parameter(u.name(), "param:" + u.name(), true, stored.get(u.name())));
            }
        }
        return out;
    }

    private static void checkUploadNames(List<JobRequest.Upload> uploads) {
        Set<String> uploadNames = new HashSet<>();
        for (JobRequest.Upload u : uploads) {
            try {
                ResultStore.checkName(u.name());
            } catch (IllegalArgumentException e) {
                throw new InvalidRequestException("upload name '" + u.name()
                        + "' is not allowed: use 1 to 128 characters of A-Z a-z 0-9 . _ - not starting with a dot");
            }
            if (!uploadNames.add(u.name())) {
                throw new InvalidRequestException("the upload '" + u.name() + "' was sent twice");
            }
        }
    }

    /** Reads an upload whole into a temporary file, enforcing the size limit; the file is deleted on failure. */
    private static Path spool(JobRequest.Upload u, long maxSize) {
        Path file;
        try {
            file = Files.createTempFile("uwskit-upload-", ".part");
        } catch (IOException e) {
            throw new StoreUnavailableException("cannot spool the upload '" + u.name() + "': " + e.getMessage(), e);
        }
        boolean ok = false;
        try (OutputStream out = Files.newOutputStream(file)) {
            copyLimited(u, out, maxSize);
            ok = true;
        } catch (IOException e) {
            throw new StoreUnavailableException("cannot spool the upload '" + u.name() + "': " + e.getMessage(), e);
        } finally {
            if (!ok) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    LOG.warn("could not delete the spooled upload {}", file, e);
                }
            }
        }
        return file;
    }

    /** Copies an upload's stream to {@code out}; a read failure is the client's (400), a write failure is thrown. */
    private static long copyLimited(JobRequest.Upload u, OutputStream out, long maxSize) throws IOException {
        long total = 0;
        byte[] buf = new byte[8192];
        InputStream in = u.content();
        while (true) {
            int n;
            try {
                n = in.read(buf);
            } catch (IOException e) {
                throw new InvalidRequestException("the upload '" + u.name() + "' could not be read: "
                        + e.getMessage());
            }
            if (n < 0) {
                return total;
            }
            total += n;
            if (total > maxSize) {
                throw new PayloadTooLargeException("the upload '" + u.name() + "' is larger than the limit of "
                        + maxSize + " bytes");
            }
            out.write(buf, 0, n);
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new StoreUnavailableException("cannot read the spooled upload: " + e.getMessage(), e);
        }
    }

    private void copyToStore(String jobId, String name, Path file) {
        try (OutputStream out = resultStore.create(jobId, BlobKind.UPLOAD, name)) {
            Files.copy(file, out);
        } catch (IOException e) {
            throw new StoreUnavailableException("cannot store the upload '" + name + "': " + e.getMessage(), e);
        }
    }

    private Parameter.Upload storeUpload(String jobId, JobRequest.Upload u, long maxSize) {
        long total = 0;
        byte[] buf = new byte[8192];
        try (InputStream in = u.content()) {
            try (OutputStream out = resultStore.create(jobId, BlobKind.UPLOAD, u.name())) {
                while (true) {
                    int n;
                    try {
                        n = in.read(buf);
                    } catch (IOException e) {
                        throw new InvalidRequestException("the upload '" + u.name() + "' could not be read: "
                                + e.getMessage());
                    }
                    if (n < 0) {
                        break;
                    }
                    total += n;
                    if (total > maxSize) {
                        throw new PayloadTooLargeException("the upload '" + u.name() + "' is larger than the limit of "
                                + maxSize + " bytes");
                    }
                    out.write(buf, 0, n);
                }
            }
        } catch (IOException e) {
            throw new StoreUnavailableException("cannot store the upload '" + u.name() + "': " + e.getMessage(), e);
        }
        return new Parameter.Upload(u.fileName(), u.mimeType(), total);
    }

    private void deleteBlobsQuietly(String jobId) {
        try {
            resultStore.deleteAll(jobId);
        } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
            LOG.warn("could not delete the blobs of job {}", jobId, e);
        }
    }

    /**
     * The quote for a job: a user's {@link QuoteEstimator} that throws must not fail the client's request, so its
     * failure is logged and the quote is "don't know".
     */
    private Instant quote(Job job, JobList list, Instant now) {
        try {
            return truncate(quotes.quote(job, list, now));
        } catch (RuntimeException e) {
            LOG.warn("quote estimator {} failed for job {}; no quote", quotes.getClass().getName(), job.jobId(), e);
            return null;
        }
    }

    private static Instant truncate(Instant i) {
        return i == null ? null : i.truncatedTo(ChronoUnit.MILLIS);
    }

    /** Pages lazily through the store with a keyset cursor. */
    private final class PagingIterator implements Iterator<JobRef> {
        private final JobFilter filter;
        private final int pageSize;
        private List<JobRef> page = List.of();
        private int pos;
        private JobStore.Cursor cursor;
        private boolean exhausted;

        PagingIterator(JobFilter filter) {
            this.filter = filter;
            this.pageSize = filter.last() == null ? LIST_PAGE_SIZE : Math.min(LIST_PAGE_SIZE, filter.last());
        }

        @Override
        public boolean hasNext() {
            if (pos < page.size()) {
                return true;
            }
            if (exhausted) {
                return false;
            }
            page = store.list(filter, cursor, pageSize);
            pos = 0;
            if (page.size() < pageSize) {
                exhausted = true;
            }
            if (!page.isEmpty()) {
                cursor = JobStore.Cursor.after(page.get(page.size() - 1));
            }
            return !page.isEmpty();
        }

        @Override
        public JobRef next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return page.get(pos++);
        }
    }
}
