package org.uwskit.internal;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.uwskit.Job;
import org.uwskit.JobFilter;
import org.uwskit.JobRef;
import org.uwskit.spi.JobStore;

/** A test store that forwards every call to another store; tests override only the calls they observe or alter. */
class ForwardingJobStore implements JobStore {
    final JobStore inner;

    ForwardingJobStore(JobStore inner) {
        this.inner = inner;
    }

    @Override
    public void insert(Job job) {
        inner.insert(job);
    }

    @Override
    public Optional<Job> get(String jobId) {
        return inner.get(jobId);
    }

    @Override
    public List<JobRef> list(JobFilter filter, Cursor cursor, int limit) {
        return inner.list(filter, cursor, limit);
    }

    @Override
    public long count(JobFilter filter) {
        return inner.count(filter);
    }

    @Override
    public void update(Job updated) {
        inner.update(updated);
    }

    @Override
    public boolean delete(String jobId) {
        return inner.delete(jobId);
    }

    @Override
    public List<Job> dueForDestruction(Instant now, int limit) {
        return inner.dueForDestruction(now, limit);
    }

    @Override
    public List<Job> dueForTimeout(Instant now, int limit) {
        return inner.dueForTimeout(now, limit);
    }

    @Override
    public List<Job> claimQueued(String jobList, String nodeId, Instant now, Instant leaseUntil, int limit) {
        return inner.claimQueued(jobList, nodeId, now, leaseUntil, limit);
    }

    @Override
    public List<Job> expiredLeases(Instant now, int limit) {
        return inner.expiredLeases(now, limit);
    }

    @Override
    public void close() {
        inner.close();
    }
}
