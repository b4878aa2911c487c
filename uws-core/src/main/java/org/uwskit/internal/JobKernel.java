package org.uwskit.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ref.WeakReference;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.uwskit.Job;
import org.uwskit.JobList;
import org.uwskit.JobNotFoundException;
import org.uwskit.JobService;
import org.uwskit.PhaseChange;
import org.uwskit.Result;
import org.uwskit.StaleVersionException;
import org.uwskit.StoreUnavailableException;
import org.uwskit.spi.JobChangeFeed;
import org.uwskit.spi.JobChangeFeed.JobChange;
import org.uwskit.spi.JobListener;
import org.uwskit.spi.JobStore;
import org.uwskit.spi.QuoteEstimator;
import org.uwskit.spi.ResultStore;

/**
 * The small kernel both roles receive: the job store and result store, the clock, the job lists, the
 * compare-and-set change loop ({@link #change}), what happens after a commit (listeners, the quote estimator, WAIT
 * requests and change hooks are told) and {@link #destroy}. The client role ({@link DefaultJobService}) and the
 * worker role ({@link DefaultEngine}) both change jobs only through it, so they share one set of rules without one
 * depending on the other's implementation. Not API.
 *
 * <p>A service built by {@code JobService.builder()} registers its kernel here ({@link #of}); an engine built on it
 * shares that kernel (so WAIT requests and listeners on this node hear of the engine's changes at once). An engine
 * built on any other {@link JobService} implementation gets a kernel of its own over the store it is given; it then
 * tells that service's node of its changes through the store's {@link JobChangeFeed}, if the store has one.
 *
 * <p>Thread-safe.
 */
public final class JobKernel implements AutoCloseable {
    /** How many times a change is re-applied after losing a compare-and-set race before giving up (503). */
    public static final int MAX_CHANGE_ATTEMPTS = 100;

    private static final Logger LOG = LoggerFactory.getLogger(JobKernel.class);
    /**
     * The kernels of the services built here, by service identity (a wrapper of a service may well forward
     * {@code equals}); the services are weakly held.
     */
    private static final List<Map.Entry<WeakReference<JobService>, JobKernel>> BY_SERVICE = new ArrayList<>();

    private final JobStore store;
    private final ResultStore resultStore;
    private final Clock clock;
    private final Map<String, JobList> jobLists;
    private final List<JobListener> listeners;
    private final QuoteEstimator quotes;
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

    /**
     * A kernel over a store; subscribes to the store's change feed, if it has one.
     *
     * @param store       the job store
     * @param resultStore the result and upload bytes
     * @param clock       the source of every instant
     * @param jobLists    the job lists, in order
     * @param listeners   told after every commit, in order
     * @param quotes      told of every job that finished
     */
    public JobKernel(JobStore store, ResultStore resultStore, Clock clock, Map<String, JobList> jobLists,
                     List<JobListener> listeners, QuoteEstimator quotes) {
        this.store = store;
        this.resultStore = resultStore;
        this.clock = clock;
        this.jobLists = Collections.unmodifiableMap(new LinkedHashMap<>(jobLists));
        this.listeners = List.copyOf(listeners);
        this.quotes = quotes;
        this.waiters = new ChangeWaiters(store::get, clock);
        this.feedSubscription = store instanceof JobChangeFeed feed ? feed.subscribe(this::dispatchChange) : null;
    }

    /** Records {@code kernel} as the kernel of {@code service}, for engines built on it. */
    static void register(JobService service, JobKernel kernel) {
        synchronized (BY_SERVICE) {
            BY_SERVICE.removeIf(e -> e.getKey().get() == null);
            BY_SERVICE.add(Map.entry(new WeakReference<>(service), kernel));
        }
    }

    /**
     * The kernel of a service built by {@code JobService.builder()}.
     *
     * @return the kernel, or empty for any other {@link JobService} implementation
     */
    public static Optional<JobKernel> of(JobService service) {
        synchronized (BY_SERVICE) {
            for (Map.Entry<WeakReference<JobService>, JobKernel> e : BY_SERVICE) {
                if (e.getKey().get() == service) {
                    return Optional.of(e.getValue());
                }
            }
        }
        return Optional.empty();
    }

    /** The job store. */
    public JobStore store() {
        return store;
    }

    /** The result store. */
    public ResultStore resultStore() {
        return resultStore;
    }

    /** The clock. */
    public Clock clock() {
        return clock;
    }

    /** The clock's now, truncated to milliseconds (the precision every store keeps). */
    public Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /** The job lists by name, in order (unmodifiable). */
    public Map<String, JobList> jobListMap() {
        return jobLists;
    }

    /** The quote estimator told of finished jobs. */
    public QuoteEstimator quoteEstimator() {
        return quotes;
    }

    /** The WAIT requests of this node. */
    ChangeWaiters waiters() {
        return waiters;
    }

    /** The number of WAIT requests currently registered on this kernel. */
    public int waiterCount() {
        return waiters.size();
    }

    /**
     * Registers a hook told of every change (made through this kernel, or reported by the store's change feed),
     * including the feed's {@linkplain JobChange#resync() resync} signal (no job id). Hooks run on the changing
     * thread and must be quick and must not throw.
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

    /**
     * Tells the quote estimator, listeners, waiters and hooks of a stored change.
     *
     * @param before the snapshot before, or null for a job just inserted
     * @param after  the stored snapshot
     */
    public void afterCommit(Job before, Job after) {
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

    /** Deletes every blob of a job, logging (not throwing) a failure. */
    public void deleteBlobsQuietly(String jobId) {
        try {
            resultStore.deleteAll(jobId);
        } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
            LOG.warn("could not delete the blobs of job {}", jobId, e);
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

    /** Unsubscribes from the change feed and completes pending waits. Idempotent. */
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
}
