package org.uwskit.spi;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.uwskit.Job;
import org.uwskit.JobFilter;
import org.uwskit.JobNotFoundException;
import org.uwskit.JobRef;
import org.uwskit.StaleVersionException;
import org.uwskit.StoreUnavailableException;

/**
 * Where jobs are kept. Implementations: the in-memory store of uws-core and the JDBC store of uws-store-jdbc; a
 * custom store proves itself by extending the contract suite {@code org.uwskit.testkit.JobStoreContract}.
 *
 * <p><b>Threading:</b> every method may be called from many threads at once; implementations are thread-safe.
 * <b>Consistency:</b> {@link #update} is a compare-and-set on {@link Job#version()}: the store never overwrites a
 * change it has not seen. <b>Exceptions:</b> a store that cannot reach its database throws
 * {@link StoreUnavailableException} (never a raw SQLException); the other exceptions are named per method.
 * Stores never call back into the engine or the API.
 */
public interface JobStore extends AutoCloseable {

    /**
     * Stores a new job (its version is as given, normally 0).
     *
     * @throws IllegalStateException if a job with that id exists
     */
    void insert(Job job);

    /** The stored snapshot of a job, or empty if there is none. */
    Optional<Job> get(String jobId);

    /**
     * Lists jobs matching the filter's job list, owner, phases and {@code after}, ordered by creationTime
     * descending then jobId descending, starting strictly after {@code cursor} in that order. {@code filter.last()}
     * is ignored: the caller counts. Must not read more than {@code limit} rows and must use indexes rather than
     * scan every job when a phase or owner is given.
     *
     * @param cursor the position after which to continue, or null to start with the newest job
     * @param limit  the most refs to return (≥ 1)
     */
    List<JobRef> list(JobFilter filter, Cursor cursor, int limit);

    /** Counts jobs matching the filter's job list, owner, phases and {@code after} ({@code last} is ignored). */
    long count(JobFilter filter);

    /**
     * Replaces a job if and only if the stored version is {@code updated.version() - 1}.
     *
     * @throws StaleVersionException if the stored version differs (a concurrent change won)
     * @throws JobNotFoundException  if the job no longer exists
     */
    void update(Job updated);

    /**
     * Deletes a job.
     *
     * @return whether a job was deleted
     */
    boolean delete(String jobId);

    /** Jobs whose destruction instant is at or before {@code now}, except ARCHIVED ones, oldest destruction first. */
    List<Job> dueForDestruction(Instant now, int limit);

    /** EXECUTING jobs whose deadline (startTime + executionDuration, duration &gt; 0) is at or before {@code now}. */
    List<Job> dueForTimeout(Instant now, int limit);

    /**
     * Claims up to {@code limit} QUEUED jobs of a job list that no node holds (no lease, or a lease that expired
     * before {@code now}), oldest creationTime first: each gets a {@link org.uwskit.Lease} for {@code nodeId} until
     * {@code leaseUntil} and its version bumped. Two nodes claiming at once never get the same job; a store must not
     * take a global lock to achieve this (PostgreSQL: FOR UPDATE SKIP LOCKED).
     *
     * @return the claimed jobs as now stored
     */
    List<Job> claimQueued(String jobList, String nodeId, Instant now, Instant leaseUntil, int limit);

    /** Jobs in QUEUED, EXECUTING, SUSPENDED or HELD whose lease expired before {@code now} (their node died). */
    List<Job> expiredLeases(Instant now, int limit);

    /** Releases resources (pools, threads). Idempotent. */
    @Override
    void close();

    /**
     * A keyset position in the list order (creationTime descending, jobId descending).
     *
     * @param creationTime the creationTime of the last job returned
     * @param jobId        the jobId of the last job returned
     */
    record Cursor(Instant creationTime, String jobId) {
        public static Cursor after(JobRef ref) {
            return new Cursor(ref.creationTime(), ref.jobId());
        }
    }
}
