package org.uwskit.memory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
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
            if (!indexes.insert(job)) {
                throw new IllegalStateException("a job with id '" + job.jobId() + "' already exists");
            }
        } finally {
            lock.writeLock().unlock();
        }
        publish(job);
    }

    @Override
    public Optional<Job> get(String jobId) {
        return Optional.ofNullable(read(() -> indexes.get(jobId)));
    }

    @Override
    public List<JobRef> list(JobFilter filter, Cursor cursor, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1");
        }
        return read(() -> indexes.list(filter, cursor, limit));
    }

    @Override
    public long count(JobFilter filter) {
        return read(() -> indexes.count(filter));
    }

    /** Read from counters kept current on every change: no job is visited. */
    @Override
    public OwnerUsage ownerUsage(String jobList, String ownerId) {
        return read(() -> indexes.ownerUsage(jobList, ownerId));
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
        return read(() -> indexes.dueForDestruction(now, limit));
    }

    @Override
    public List<Job> dueForTimeout(Instant now, int limit) {
        return read(() -> indexes.dueForTimeout(now, limit));
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
        return read(() -> indexes.expiredLeases(now, limit));
    }

    /** The number of stored jobs. */
    public int size() {
        return read(() -> indexes.size());
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

    /** Runs a query of the indexes under the read lock. */
    private <T> T read(Supplier<T> query) {
        lock.readLock().lock();
        try {
            return query.get();
        } finally {
            lock.readLock().unlock();
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
