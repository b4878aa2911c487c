package org.uwskit.servlet;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.uwskit.Job;
import org.uwskit.JobFilter;
import org.uwskit.JobRef;
import org.uwskit.StoreUnavailableException;
import org.uwskit.memory.InMemoryJobStore;
import org.uwskit.spi.JobStore;

/** The in-memory store, except that every call fails with {@link StoreUnavailableException} while {@link #down}. */
final class FlakyStore implements JobStore {
    private final JobStore delegate = new InMemoryJobStore();
    volatile boolean down;

    private void check() {
        if (down) {
            throw new StoreUnavailableException("test: database unreachable", null);
        }
    }

    @Override public void insert(Job job) { check(); delegate.insert(job); }
    @Override public Optional<Job> get(String jobId) { check(); return delegate.get(jobId); }
    @Override public List<JobRef> list(JobFilter filter, Cursor cursor, int limit) { check(); return delegate.list(filter, cursor, limit); }
    @Override public long count(JobFilter filter) { check(); return delegate.count(filter); }
    @Override public void update(Job updated) { check(); delegate.update(updated); }
    @Override public boolean delete(String jobId) { check(); return delegate.delete(jobId); }
    @Override public List<Job> dueForDestruction(Instant now, int limit) { check(); return delegate.dueForDestruction(now, limit); }
    @Override public List<Job> dueForTimeout(Instant now, int limit) { check(); return delegate.dueForTimeout(now, limit); }
    @Override public List<Job> claimQueued(String jobList, String nodeId, Instant now, Instant leaseUntil, int limit) {
        check();
        return delegate.claimQueued(jobList, nodeId, now, leaseUntil, limit);
    }
    @Override public List<Job> expiredLeases(Instant now, int limit) { check(); return delegate.expiredLeases(now, limit); }
    @Override public void close() { delegate.close(); }
}
