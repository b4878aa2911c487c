package org.uwskit.memory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
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
import org.uwskit.StaleVersionException;
import org.uwskit.spi.JobChangeFeed;
import org.uwskit.spi.JobStore;
import org.uwskit.spi.OwnerUsage;

/**
 * A {@link JobStore} in memory, for tests, demos and single-node services that may lose their jobs on restart.
 *
 * <p>Indexed so that job-list pages, LAST=n and phase or owner filters read only what they return: per job list a
 * sorted set in list order (creationTime descending, jobId descending), per (job list, phase) and per (job list,
 * owner) the same, plus sorted indexes of destruction instants and execution deadlines (all in {@link JobIndexes};
 * this class holds the lock, the compare-and-set and the change feed). A million jobs cost the snapshots themselves
 * plus a few tree entries each.
 *
 * <p><b>Threading:</b> thread-safe; one read-write lock guards the snapshots and indexes (reads run in parallel,
 * writes are short). It also implements {@link JobChangeFeed}: subscribers are called synchronously on the thread
 * that made the change, after the lock is released; listener exceptions are logged and ignored.
 */
public final class InMemoryJobStore implements JobStore, JobChangeFeed {
    private static final Logger LOG = LoggerFactory.getLogger(InMemoryJobStore.class);

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final JobIndexes indexes = new JobIndexes();
    private final List<Consumer<JobChange>> subscribers = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    /** An empty store. */
    public InMemoryJobStore() {
    }

    @Override
    public void insert(Job job) {
        Objects.requireNonNull(job, "job");
        lock.writeLock().lock();
        try {
            if (indexes.get(job.jobId()) != null) {
                throw new IllegalStateException("a job with id '" + job.jobId() + "' already exists");
            }
            indexes.replace(null, job);
        } finally {
            lock.writeLock().unlock();
        }
        publish(job);
    }

    @Override
    public Optional<Job> get(String jobId) {
        lock.readLock().lock();
        try {
            return Optional.ofNullable(indexes.get(jobId));
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
            return indexes.list(filter, cursor, limit);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public long count(JobFilter filter) {
        lock.readLock().lock();
        try {
            return indexes.count(filter);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Read from counters kept current on every change: no job is visited. */
    @Override
    public OwnerUsage ownerUsage(String jobList, String ownerId) {
        lock.readLock().lock();
        try {
            return indexes.ownerUsage(jobList, ownerId);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public void update(Job updated) {
        Objects.requireNonNull(updated, "updated");
        lock.writeLock().lock();
        try {
            Job e = indexes.get(updated.jobId());
            if (e == null) {
                throw new JobNotFoundException(updated.jobId());
            }
            if (e.version() != updated.version() - 1) {
                throw new StaleVersionException(updated.jobId(), updated.version() - 1);
            }
            indexes.replace(e, updated);
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
            e = indexes.get(jobId);
            if (e != null) {
                indexes.unindex(e);
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
        lock.readLock().lock();
        try {
            return indexes.dueForDestruction(now, limit);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public List<Job> dueForTimeout(Instant now, int limit) {
        lock.readLock().lock();
        try {
            return indexes.dueForTimeout(now, limit);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public List<Job> claimQueued(String jobList, String nodeId, Instant now, Instant leaseUntil, int limit) {
        List<Job> claimed = new ArrayList<>();
        lock.writeLock().lock();
        try {
            for (Job e : indexes.claimable(jobList, now, limit)) {
                Job j = e.toBuilder().lease(new Lease(nodeId, leaseUntil, null, null))
                        .version(e.version() + 1).build();
                indexes.replace(e, j);
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
            return indexes.expiredLeases(now, limit);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The number of stored jobs. */
    public int size() {
        lock.readLock().lock();
        try {
            return indexes.size();
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
