package org.uwskit.internal;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.uwskit.Job;
import org.uwskit.JobFilter;
import org.uwskit.JobRef;
import org.uwskit.StoreUnavailableException;
import org.uwskit.spi.JobStore;

/**
 * A {@link JobStore} that simulates a database outage on demand: while {@link #down} is set every call throws
 * {@link StoreUnavailableException}, as the JDBC store does when PostgreSQL is stopped; while {@link #updatesFail}
 * is set only {@link #update} does (the database went away between a claim and the next write). Delegates to
 * another store otherwise. Thread-safe if the delegate is. Counts stored updates.
 */
final class OutageJobStore implements JobStore {
    final JobStore inner;
    volatile boolean down;
    volatile boolean updatesFail;
    final AtomicInteger updates = new AtomicInteger();
    final AtomicInteger refused = new AtomicInteger();

    OutageJobStore(JobStore inner) {
        this.inner = inner;
    }

    private void check(String op) {
        if (down) {
            refused.incrementAndGet();
            throw new StoreUnavailableException("job store unavailable (simulated outage) during " + op, null);
        }
    }

    @Override
    public void insert(Job job) {
        check("insert");
        inner.insert(job);
    }

    @Override
    public Optional<Job> get(String jobId) {
        check("get");
        return inner.get(jobId);
    }

    @Override
    public List<JobRef> list(JobFilter filter, Cursor cursor, int limit) {
        check("list");
        return inner.list(filter, cursor, limit);
    }

    @Override
    public long count(JobFilter filter) {
        check("count");
        return inner.count(filter);
    }

    @Override
    public void update(Job updated) {
        check("update");
        if (updatesFail) {
            refused.incrementAndGet();
            throw new StoreUnavailableException("job store unavailable (simulated) during update", null);
        }
        inner.update(updated);
        updates.incrementAndGet();
    }

    @Override
    public boolean delete(String jobId) {
        check("delete");
        return inner.delete(jobId);
    }

    @Override
    public List<Job> dueForDestruction(Instant now, int limit) {
        check("dueForDestruction");
        return inner.dueForDestruction(now, limit);
    }

    @Override
    public List<Job> dueForTimeout(Instant now, int limit) {
        check("dueForTimeout");
        return inner.dueForTimeout(now, limit);
    }

    @Override
    public List<Job> claimQueued(String jobList, String nodeId, Instant now, Instant leaseUntil, int limit) {
        check("claimQueued");
        return inner.claimQueued(jobList, nodeId, now, leaseUntil, limit);
    }

    @Override
    public List<Job> expiredLeases(Instant now, int limit) {
        check("expiredLeases");
        return inner.expiredLeases(now, limit);
    }

    @Override
    public void close() {
        inner.close();
    }
}
