package org.uwskit.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import java.util.Spliterator;
import java.util.Spliterators;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.uwskit.BlobKind;
import org.uwskit.Caller;
import org.uwskit.InvalidRequestException;
import org.uwskit.InvalidStateException;
import org.uwskit.Job;
import org.uwskit.JobDefinition;
import org.uwskit.JobFilter;
import org.uwskit.JobList;
import org.uwskit.JobNotFoundException;
import org.uwskit.JobRef;
import org.uwskit.JobRejectedException;
import org.uwskit.JobRequest;
import org.uwskit.JobService;
import org.uwskit.Parameter;
import org.uwskit.Phase;
import org.uwskit.PhaseMachine;
import org.uwskit.Result;
import org.uwskit.ResultContent;
import org.uwskit.spi.Authorizer;
import org.uwskit.spi.JobStore;
import org.uwskit.spi.QuoteEstimator;
import org.uwskit.spi.ResultStore;
import org.uwskit.memory.FileResultStore;
import org.uwskit.memory.InMemoryJobStore;

/**
 * The implementation of {@link JobService}. Not API: build services with {@link JobService#builder()}.
 *
 * <p>Layers: this class holds the client operations (create, run, abort, parameters, delete, content, WAIT);
 * {@link JobCreation} checks a creation request and inserts the new job; {@link Quotes} asks the quote estimator;
 * {@link Guards} decides access, limits and the parameter-change rule; {@link Uploads} checks and copies uploads;
 * {@link Contents} reads byte ranges of results and uploads; {@link JobRefPages} streams job lists; every change goes through the {@link JobKernel}'s read–modify–compare-and-set loop, checked with the
 * {@link PhaseMachine}, after which listeners, WAIT requests and engines on this node are told. The engine works
 * over the same kernel, so both roles share one set of rules without depending on each other.
 */
public final class DefaultJobService implements JobService {
    /** How many times a change is re-applied after losing a compare-and-set race before giving up (503). */
    public static final int MAX_CHANGE_ATTEMPTS = JobKernel.MAX_CHANGE_ATTEMPTS;
    /** Rows read per store page when streaming a job list. */
    public static final int LIST_PAGE_SIZE = 500;

    private static final Logger LOG = LoggerFactory.getLogger(DefaultJobService.class);

    private final JobKernel kernel;
    private final JobStore store;
    private final ResultStore resultStore;
    private final Authorizer authorizer;
    private final Quotes quotes;
    private final Map<String, JobList> jobLists;
    private final Guards guards;
    private final Uploads uploadStore;
    private final Contents contents;
    private final OwnerQuotas ownerQuotas;
    private final JobCreation creation;

    private DefaultJobService(JobService.Builder b) {
        JobStore st = b.store() != null ? b.store() : new InMemoryJobStore();
        ResultStore rs = b.resultStore() != null ? b.resultStore() : FileResultStore.inTempDirectory();
        QuoteEstimator q = b.quoteEstimator() != null ? b.quoteEstimator() : new AverageDurationQuoteEstimator();
        this.kernel = new JobKernel(st, rs, b.clock(), b.jobLists(), b.listeners(), q);
        this.store = st;
        this.resultStore = rs;
        this.authorizer = b.authorizer();
        this.quotes = new Quotes(q);
        this.jobLists = kernel.jobListMap();
        this.guards = new Guards(jobLists, authorizer, st);
        this.uploadStore = new Uploads(rs);
        this.contents = new Contents(rs);
        this.ownerQuotas = new OwnerQuotas(st, b.clock());
        this.creation = new JobCreation(kernel, guards, uploadStore, ownerQuotas, quotes);
    }

    /** Builds the service the builder describes (called by {@link JobService.Builder#build()}). */
    public static DefaultJobService create(JobService.Builder builder) {
        DefaultJobService s = new DefaultJobService(builder);
        JobKernel.register(s, s.kernel);
        LOG.debug("JobService: store={} resultStore={} clock={} jobLists={}", s.store.getClass().getSimpleName(),
                s.resultStore.getClass().getSimpleName(), s.kernel.clock(), s.jobLists.keySet());
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
        return kernel.clock();
    }

    @Override
    public void admit(Caller caller, String jobList) {
        JobList list = guards.requireList(jobList);
        guards.checkUse(caller, list);
        ownerQuotas.admitRequest(caller, list);
    }

    @Override
    public Job create(Caller caller, String jobListName, JobRequest request) {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(request, "request");
        JobList list = guards.requireList(jobListName);
        guards.checkUse(caller, list);
        Job job = creation.insert(caller, list, request);
        afterCommit(null, job);
        if (request.run()) {
            try {
                return run(list, job.jobId(), "client RUN at creation");
            } catch (JobRejectedException e) {
                destroy(job);
                throw e;
            }
        }
        return job;
    }

    @Override
    public Job get(Caller caller, String jobList, String jobId) {
        return guards.load(caller, jobList, jobId);
    }

    @Override
    public Stream<JobRef> list(Caller caller, JobFilter filter) {
        Objects.requireNonNull(filter, "filter");
        JobList list = guards.requireList(filter.jobList());
        guards.checkUse(caller, list);
        JobFilter f;
        if (authorizer.seesAllOwners(caller, list)) {
            f = !filter.allOwners() && filter.ownerId() != null ? filter
                    : new JobFilter(filter.jobList(), null, true, filter.phases(), filter.after(), filter.last());
        } else {
            f = filter.withOwner(caller.ownerId());
        }
        Iterator<JobRef> pages = new JobRefPages(store, f, LIST_PAGE_SIZE);
        Stream<JobRef> s = StreamSupport.stream(Spliterators.spliteratorUnknownSize(pages,
                Spliterator.ORDERED | Spliterator.NONNULL | Spliterator.DISTINCT), false);
        return f.last() == null ? s : s.limit(f.last());
    }

    @Override
    public Job run(Caller caller, String jobList, String jobId) {
        Job job = guards.load(caller, jobList, jobId);
        ownerQuotas.checkRun(caller, guards.requireList(jobList), job);
        return run(guards.requireList(jobList), jobId, "client RUN");
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
                guards.checkActiveLimits(list);
                b.quote(quotes.quote(cur, list, now));
            }
            return b.build();
        });
    }

    @Override
    public Job abort(Caller caller, String jobList, String jobId) {
        guards.load(caller, jobList, jobId);
        return abort(jobId, "client ABORT");
    }

    /** Aborts a job (no access check): PENDING/QUEUED/EXECUTING → ABORTED; idempotent for an ABORTED job. */
    private Job abort(String jobId, String reason) {
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
        JobList list = guards.requireList(jobList);
        guards.load(caller, jobList, jobId);
        if (seconds < 0) {
            throw new InvalidRequestException("EXECUTIONDURATION must be a non-negative number of seconds, got "
                    + seconds);
        }
        long clamped = list.policy().clampExecutionDuration(seconds);
        return change(jobId, cur -> {
            Guards.requirePending(cur, "the execution duration");
            return cur.executionDuration() == clamped ? cur : cur.toBuilder().executionDuration(clamped).build();
        });
    }

    @Override
    public Job setDestruction(Caller caller, String jobList, String jobId, Instant destruction) {
        JobList list = guards.requireList(jobList);
        guards.load(caller, jobList, jobId);
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
            JobList list = guards.requireList(jobList);
            Job before = guards.load(caller, jobList, jobId);
            Uploads.checkUploadNames(uploads);
            if (uploads.isEmpty()) {
                return change(jobId, Guards.parameterRule(list, parameters));
            }
            // refuse before reading or storing any byte: not PENDING, invalid values, limits
            Guards.parameterRule(list, Uploads.withUploads(parameters, uploads, Map.of())).apply(before);
            JobDefinition definition = list.definition(before.jobType()).orElse(null);
            Map<String, Parameter.Upload> stored = new HashMap<>();
            for (JobRequest.Upload u : uploads) {
                Path file = Uploads.spool(u, Uploads.limitFor(definition, parameters, u.name(),
                        list.policy().maxUploadSize()));
                spooled.add(file);
                stored.put(u.name(), new Parameter.Upload(u.fileName(), u.mimeType(), Uploads.sizeOf(file)));
            }
            ownerQuotas.checkUploads(caller, list, before, stored);
            // every upload was read whole: only now replace the job's blobs
            for (int i = 0; i < uploads.size(); i++) {
                uploadStore.copyToStore(jobId, uploads.get(i).name(), spooled.get(i));
            }
            return change(jobId, Guards.parameterRule(list, Uploads.withUploads(parameters, uploads, stored)));
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

    @Override
    public void delete(Caller caller, String jobList, String jobId) {
        Job job = guards.load(caller, jobList, jobId);
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

    @Override
    public ResultContent openResult(Caller caller, String jobList, String jobId, String resultId, long offset,
                                    long length) throws IOException {
        Job job = guards.load(caller, jobList, jobId);
        Result r = job.result(resultId).orElseThrow(() -> new JobNotFoundException(jobId,
                "job '" + jobId + "' has no result '" + resultId + "'"));
        if (!r.isStored()) {
            throw new JobNotFoundException(jobId, "result '" + resultId + "' is not stored here; it is at "
                    + r.location());
        }
        return contents.open(jobId, BlobKind.RESULT, resultId, r.mimeType(), offset, length);
    }

    @Override
    public ResultContent openUpload(Caller caller, String jobList, String jobId, String name, long offset,
                                    long length) throws IOException {
        Job job = guards.load(caller, jobList, jobId);
        for (Parameter p : job.parameters()) {
            if (p.upload() != null && p.value().startsWith("param:")
                    && (p.isNamed(name) || p.value().substring(6).equals(name))) {
                return contents.open(jobId, BlobKind.UPLOAD, p.value().substring(6), p.upload().mimeType(), offset, length);
            }
        }
        throw new JobNotFoundException(jobId, "job '" + jobId + "' has no uploaded parameter '" + name + "'");
    }

    @Override
    public CompletableFuture<Job> awaitChange(Caller caller, String jobList, String jobId, Duration timeout,
                                              Phase expected) {
        JobList list = guards.requireList(jobList);
        Job job = guards.load(caller, jobList, jobId);
        if (!job.phase().isActive() || (expected != null && expected != job.phase())) {
            return CompletableFuture.completedFuture(job);
        }
        Duration cap = list.policy().maxWait();
        Duration t = timeout == null || timeout.isNegative() || timeout.compareTo(cap) > 0 ? cap : timeout;
        if (t.isZero()) {
            return CompletableFuture.completedFuture(job);
        }
        return kernel.waiters().register(job, t);
    }

    @Override
    public void close() {
        kernel.close();
    }

    // ---------------------------------------------------------------- the kernel's, for this role

    private Instant now() {
        return kernel.now();
    }

    private Job change(String jobId, JobKernel.Rule rule) {
        return kernel.change(jobId, rule);
    }

    private void afterCommit(Job before, Job after) {
        kernel.afterCommit(before, after);
    }

    private void destroy(Job job) {
        kernel.destroy(job);
    }
}
