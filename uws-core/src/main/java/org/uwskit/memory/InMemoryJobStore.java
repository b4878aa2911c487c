package org.uwskit.memory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.uwskit.Job;
import org.uwskit.JobFilter;
import org.uwskit.JobNotFoundException;
import org.uwskit.JobRef;
import org.uwskit.Lease;
import org.uwskit.Phase;
import org.uwskit.StaleVersionException;
import org.uwskit.spi.JobChangeFeed;
import org.uwskit.spi.JobStore;
import org.uwskit.spi.OwnerUsage;

/**
 * A {@link JobStore} in memory, for tests, demos and single-node services that may lose their jobs on restart.
 *
 * <p>Indexed so that job-list pages, LAST=n and phase or owner filters read only what they return: per job list a
 * sorted set in list order (creationTime descending, jobId descending), per (job list, phase) and per (job list,
 * owner) the same, plus sorted indexes of destruction instants and execution deadlines. A million jobs cost the
 * snapshots themselves plus a few tree entries each.
 *
 * <p><b>Threading:</b> thread-safe; one read-write lock guards the snapshots and indexes (reads run in parallel,
 * writes are short). It also implements {@link JobChangeFeed}: subscribers are called synchronously on the thread
 * that made the change, after the lock is released; listener exceptions are logged and ignored.
 */
public final class InMemoryJobStore implements JobStore, JobChangeFeed {
    private static final Logger LOG = LoggerFactory.getLogger(InMemoryJobStore.class);

    /** List order: creationTime descending, then jobId descending (both never change in a job's life). */
    private static final Comparator<Job> LIST_ORDER = Comparator.comparing(Job::creationTime)
            .thenComparing(Job::jobId).reversed();
    /** Destruction order: instant ascending, then jobId (only jobs with a destruction are in the index). */
    private static final Comparator<Job> DESTRUCTION_ORDER = Comparator.comparing(Job::destruction)
            .thenComparing(Job::jobId);
    /** Deadline order: instant ascending, then jobId (only jobs with a deadline are in the index). */
    private static final Comparator<Job> DEADLINE_ORDER = Comparator.comparing((Job j) -> j.deadline().orElseThrow())
            .thenComparing(Job::jobId);

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<String, Job> jobs = new HashMap<>();
    private final Map<String, JobListIndex> lists = new HashMap<>();
    private final NavigableSet<Job> destructions = new TreeSet<>(DESTRUCTION_ORDER);
    private final NavigableSet<Job> deadlines = new TreeSet<>(DEADLINE_ORDER);
    private final List<Consumer<JobChange>> subscribers = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    private static final class JobListIndex {
        final NavigableSet<Job> all = new TreeSet<>(LIST_ORDER);
        final Map<Phase, NavigableSet<Job>> byPhase = new EnumMap<>(Phase.class);
        final Map<String, NavigableSet<Job>> byOwner = new HashMap<>();
        /** Per owner key: stored jobs, active jobs, upload bytes (what {@link #ownerUsage} returns), kept current. */
        final Map<String, long[]> usage = new HashMap<>();

        NavigableSet<Job> phase(Phase p) {
            return byPhase.computeIfAbsent(p, x -> new TreeSet<>(LIST_ORDER));
        }

        NavigableSet<Job> owner(String owner) {
            return byOwner.computeIfAbsent(ownerKey(owner), x -> new TreeSet<>(LIST_ORDER));
        }
    }

    /** Owner index key; anonymous jobs share one entry that no real owner id can equal. */
    private static String ownerKey(String ownerId) {
        return ownerId == null ? "\u0000anonymous" : ownerId;
    }

    @Override
    public void insert(Job job) {
        Objects.requireNonNull(job, "job");
        lock.writeLock().lock();
        try {
            if (jobs.containsKey(job.jobId())) {
                throw new IllegalStateException("a job with id '" + job.jobId() + "' already exists");
            }
            index(job);
        } finally {
            lock.writeLock().unlock();
        }
        publish(job);
    }

    @Override
    public Optional<Job> get(String jobId) {
        lock.readLock().lock();
        try {
            return Optional.ofNullable(jobs.get(jobId));
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public List<JobRef> list(JobFilter filter, Cursor cursor, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1");
        }
        lock.readLock().lock();
        try {
            JobListIndex idx = lists.get(filter.jobList());
            if (idx == null) {
                return List.of();
            }
            Job from = cursor == null ? null
                    : Job.builder(cursor.jobId(), filter.jobList(), "", cursor.creationTime()).build();
            List<NavigableSet<Job>> sources = sources(idx, filter);
            List<JobRef> out = new ArrayList<>();
            for (NavigableSet<Job> source : sources) {
                collect(source, from, filter, limit, out);
            }
            if (sources.size() > 1) {
                out.sort(Comparator.comparing(JobRef::creationTime).thenComparing(JobRef::jobId).reversed());
                if (out.size() > limit) {
                    out.subList(limit, out.size()).clear();
                }
            }
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public long count(JobFilter filter) {
        lock.readLock().lock();
        try {
            JobListIndex idx = lists.get(filter.jobList());
            if (idx == null) {
                return 0;
            }
            long n = 0;
            if (filter.after() == null && filter.allOwners()) {
                // whole index sets match: no need to visit them
                if (filter.phases().isEmpty()) {
                    NavigableSet<Job> archived = idx.byPhase.get(Phase.ARCHIVED);
                    return idx.all.size() - (archived == null ? 0 : archived.size());
                }
                for (NavigableSet<Job> source : sources(idx, filter)) {
                    n += source.size();
                }
                return n;
            }
            for (NavigableSet<Job> source : sources(idx, filter)) {
                for (Job k : source) {
                    if (filter.after() != null && !k.creationTime().isAfter(filter.after())) {
                        break;
                    }
                    if (filter.matches(k.ref())) {
                        n++;
                    }
                }
            }
            return n;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Read from counters kept current on every change: no job is visited. */
    @Override
    public OwnerUsage ownerUsage(String jobList, String ownerId) {
        lock.readLock().lock();
        try {
            JobListIndex idx = lists.get(jobList);
            long[] u = idx == null ? null : idx.usage.get(ownerKey(ownerId));
            return u == null ? OwnerUsage.NONE : new OwnerUsage(u[0], u[1], u[2]);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Adds ({@code sign} 1) or removes (-1) a job's share of its owner's usage. */
    private static void count(JobListIndex idx, Job job, int sign) {
        if (job.phase() == Phase.ARCHIVED) {
            return;
        }
        String owner = ownerKey(job.ownerId());
        long[] u = idx.usage.computeIfAbsent(owner, x -> new long[3]);
        u[0] += sign;
        if (OwnerUsage.ACTIVE_PHASES.contains(job.phase())) {
            u[1] += sign;
        }
        u[2] += sign * OwnerUsage.uploadBytesOf(job);
        if (u[0] == 0) {
            idx.usage.remove(owner);
        }
    }

    /** The smallest index sets whose union holds every job the filter can match. */
    private static List<NavigableSet<Job>> sources(JobListIndex idx, JobFilter filter) {
        if (!filter.phases().isEmpty()) {
            List<NavigableSet<Job>> out = new ArrayList<>();
            for (Phase p : filter.phases()) {
                NavigableSet<Job> s = idx.byPhase.get(p);
                if (s != null && !s.isEmpty()) {
                    out.add(s);
                }
            }
            return out;
        }
        if (!filter.allOwners()) {
            NavigableSet<Job> s = idx.byOwner.get(ownerKey(filter.ownerId()));
            return s == null ? List.of() : List.of(s);
        }
        return List.of(idx.all);
    }

    private static void collect(NavigableSet<Job> source, Job from, JobFilter filter, int limit, List<JobRef> out) {
        Iterable<Job> keys = from == null ? source : source.tailSet(from, false);
        int taken = 0;
        for (Job k : keys) {
            if (filter.after() != null && !k.creationTime().isAfter(filter.after())) {
                break;
            }
            JobRef ref = k.ref();
            if (filter.matches(ref)) {
                out.add(ref);
                if (++taken >= limit) {
                    break;
                }
            }
        }
    }

    @Override
    public void update(Job updated) {
        Objects.requireNonNull(updated, "updated");
        lock.writeLock().lock();
        try {
            Job e = jobs.get(updated.jobId());
            if (e == null) {
                throw new JobNotFoundException(updated.jobId());
            }
            if (e.version() != updated.version() - 1) {
                throw new StaleVersionException(updated.jobId(), updated.version() - 1);
            }
            unindex(e);
            index(updated);
        } finally {
            lock.writeLock().unlock();
        }
        publish(updated);
    }

    @Override
    public boolean delete(String jobId) {
        Job e;
        lock.writeLock().lock();
        try {
            e = jobs.get(jobId);
            if (e != null) {
                unindex(e);
            }
        } finally {
            lock.writeLock().unlock();
        }
        if (e != null) {
            fire(new JobChange(jobId, e.jobList(), null, -1));
        }
        return e != null;
    }

    @Override
    public List<Job> dueForDestruction(Instant now, int limit) {
        return due(destructions, Job::destruction, now, limit, j -> j.phase() != Phase.ARCHIVED);
    }

    @Override
    public List<Job> dueForTimeout(Instant now, int limit) {
        return due(deadlines, j -> j.deadline().orElseThrow(), now, limit, j -> j.phase() == Phase.EXECUTING);
    }

    private List<Job> due(NavigableSet<Job> index, java.util.function.Function<Job, Instant> at, Instant now,
                          int limit, java.util.function.Predicate<Job> ok) {
        lock.readLock().lock();
        try {
            List<Job> out = new ArrayList<>();
            for (Job j : index) {
                if (at.apply(j).isAfter(now) || out.size() >= limit) {
                    break;
                }
                if (ok.test(j)) {
                    out.add(j);
                }
            }
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public List<Job> claimQueued(String jobList, String nodeId, Instant now, Instant leaseUntil, int limit) {
        List<Job> claimed = new ArrayList<>();
        lock.writeLock().lock();
        try {
            JobListIndex idx = lists.get(jobList);
            NavigableSet<Job> queued = idx == null ? null : idx.byPhase.get(Phase.QUEUED);
            if (queued == null || limit < 1) {
                return List.of();
            }
            List<Job> picked = new ArrayList<>();
            // oldest first: the list order is newest first
            for (Iterator<Job> it = queued.descendingIterator(); it.hasNext() && picked.size() < limit; ) {
                Job e = it.next();
                Lease l = e.lease();
                if (l == null || l.expiresAt().isBefore(now)) {
                    picked.add(e);
                }
            }
            for (Job e : picked) {
                Job j = e.toBuilder().lease(new Lease(nodeId, leaseUntil, null, null))
                        .version(e.version() + 1).build();
                unindex(e);
                index(j);
                claimed.add(j);
            }
        } finally {
            lock.writeLock().unlock();
        }
        claimed.forEach(this::publish);
        return claimed;
    }

    @Override
    public List<Job> expiredLeases(Instant now, int limit) {
        lock.readLock().lock();
        try {
            List<Job> out = new ArrayList<>();
            for (JobListIndex idx : lists.values()) {
                for (Phase p : Set.of(Phase.QUEUED, Phase.EXECUTING, Phase.SUSPENDED, Phase.HELD)) {
                    NavigableSet<Job> s = idx.byPhase.get(p);
                    if (s == null) {
                        continue;
                    }
                    for (Job j : s) {
                        if (out.size() >= limit) {
                            return out;
                        }
                        if (j.lease() != null && j.lease().expiresAt().isBefore(now)) {
                            out.add(j);
                        }
                    }
                }
            }
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The number of stored jobs. */
    public int size() {
        lock.readLock().lock();
        try {
            return jobs.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public AutoCloseable subscribe(Consumer<JobChange> listener) {
        Objects.requireNonNull(listener, "listener");
        subscribers.add(listener);
        return () -> subscribers.remove(listener);
    }

    @Override
    public void close() {
        closed = true;
        subscribers.clear();
    }

    /**
     * Puts the snapshot in the map and in every index. The index sets hold the snapshots themselves, ordered by
     * what never changes in a job's life (creation time, job id) or by the instant they are indexed for, so a job
     * costs its snapshot and one tree entry per index, with no key objects beside it; an update takes the old
     * snapshot out ({@link #unindex}) and puts the new one in.
     */
    private void index(Job job) {
        jobs.put(job.jobId(), job);
        JobListIndex idx = lists.computeIfAbsent(job.jobList(), x -> new JobListIndex());
        idx.all.add(job);
        idx.phase(job.phase()).add(job);
        idx.owner(job.ownerId()).add(job);
        count(idx, job, 1);
        if (job.destruction() != null && job.phase() != Phase.ARCHIVED) {
            destructions.add(job);
        }
        if (job.deadline().isPresent()) {
            deadlines.add(job);
        }
    }

    private void unindex(Job job) {
        jobs.remove(job.jobId());
        JobListIndex idx = lists.get(job.jobList());
        idx.all.remove(job);
        idx.phase(job.phase()).remove(job);
        NavigableSet<Job> owned = idx.owner(job.ownerId());
        owned.remove(job);
        if (owned.isEmpty()) {
            idx.byOwner.remove(ownerKey(job.ownerId()));
        }
        count(idx, job, -1);
        if (job.destruction() != null) {
            destructions.remove(job);
        }
        if (job.deadline().isPresent()) {
            deadlines.remove(job);
        }
    }

    private void publish(Job job) {
        fire(new JobChange(job.jobId(), job.jobList(), job.phase(), job.version()));
    }

    private void fire(JobChange change) {
        if (closed) {
            return;
        }
        for (Consumer<JobChange> s : subscribers) {
            try {
                s.accept(change);
            } catch (RuntimeException ex) {
                LOG.warn("job change subscriber failed for {}", change, ex);
            }
        }
    }
}
