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
 *
 * <p><b>Fidelity:</b> a stored job reads back equal to what was written, every field included (parameters, results,
 * jobInfo in order, history, lease, version); instants keep at least millisecond precision (the API truncates to
 * milliseconds) and are UTC whatever the database session's zone. Methods return snapshots: later changes do not
 * alter a returned {@link Job}. <b>Lifecycle:</b> the code that creates a store closes it, after every service
 * and engine using it.
 */
public interface JobStore extends AutoCloseable {

    /**
     * Stores a new job (its version is as given, normally 0).
     *
     * @param job the job to store
     * @throws IllegalStateException     if a job with that id exists
     * @throws StoreUnavailableException if the store cannot be reached
     */
    void insert(Job job);

    /**
     * The stored snapshot of a job.
     *
     * @param jobId the job id (of any job list)
     * @return the job, or empty if there is none
     * @throws StoreUnavailableException if the store cannot be reached
     */
    Optional<Job> get(String jobId);

    /**
     * Lists jobs matching the filter's job list, owner, phases and {@code after}, ordered by creationTime
     * descending then jobId descending, starting strictly after {@code cursor} in that order. {@code filter.last()}
     * is ignored: the caller counts. Must not read more than {@code limit} rows and must use indexes rather than
     * scan every job when a phase or owner is given.
     *
     * @param filter the job list and filters
     * @param cursor the position after which to continue, or null to start with the newest job
     * @param limit  the most refs to return (≥ 1)
     * @return at most {@code limit} refs in list order; fewer than {@code limit} only at the end of the list
     * @throws StoreUnavailableException if the store cannot be reached
     */
    List<JobRef> list(JobFilter filter, Cursor cursor, int limit);

    /**
     * Counts jobs matching the filter's job list, owner, phases and {@code after} ({@code last} is ignored). Used for
     * the active-job limits, so it must be cheap for a phase set and an owner.
     *
     * @param filter the job list and filters
     * @return the number of matching jobs
     * @throws StoreUnavailableException if the store cannot be reached
     */
    long count(JobFilter filter);

    /**
     * What one owner holds in one job list (jobs stored, active jobs, upload bytes; ARCHIVED jobs not counted), for
     * the per-owner {@link org.uwskit.Quotas}. Called on job creation, RUN and upload changes of non-admin callers,
     * so a store should answer it with one indexed query; this default reads the owner's jobs one by one and is only
     * a fallback for stores that do not override it.
     *
     * @param jobList the job list
     * @param ownerId the owner, or null for the anonymous owner (jobs without an owner)
     * @return the owner's usage, {@link OwnerUsage#NONE} if the owner has no job there
     * @throws StoreUnavailableException if the store cannot be reached
     */
    default OwnerUsage ownerUsage(String jobList, String ownerId) {
        JobFilter all = new JobFilter(jobList, ownerId, false, java.util.Set.of(), null, null);
        long stored = 0;
        long active = 0;
        long bytes = 0;
        Cursor cursor = null;
        while (true) {
            List<JobRef> page = list(all, cursor, 500);
            for (JobRef ref : page) {
                Optional<Job> job = get(ref.jobId());
                if (job.isPresent() && job.get().phase() != org.uwskit.Phase.ARCHIVED) {
                    stored++;
                    active += OwnerUsage.ACTIVE_PHASES.contains(job.get().phase()) ? 1 : 0;
                    bytes += OwnerUsage.uploadBytesOf(job.get());
                }
            }
            if (page.size() < 500) {
                return new OwnerUsage(stored, active, bytes);
            }
            cursor = Cursor.after(page.get(page.size() - 1));
        }
    }

    /**
     * Replaces a job if and only if the stored version is {@code updated.version() - 1}. Atomic: a concurrent reader
     * sees the old or the new snapshot, never a mix. Callers never change a job's id, job list or creation time.
     *
     * @param updated the new snapshot, its version already bumped by one
     * @throws StaleVersionException     if the stored version differs (a concurrent change won); nothing is written
     * @throws JobNotFoundException      if the job no longer exists
     * @throws StoreUnavailableException if the store cannot be reached
     */
    void update(Job updated);

    /**
     * Deletes a job, whatever its version. Result bytes are not the store's business ({@link ResultStore} holds
     * them).
     *
     * @param jobId the job id
     * @return whether a job was deleted (false if there was none)
     * @throws StoreUnavailableException if the store cannot be reached
     */
    boolean delete(String jobId);

    /**
     * Jobs whose destruction instant is at or before {@code now}, except ARCHIVED ones, oldest destruction first.
     *
     * @param now   the instant to compare with
     * @param limit the most jobs to return
     * @return the due jobs, at most {@code limit}
     * @throws StoreUnavailableException if the store cannot be reached
     */
    List<Job> dueForDestruction(Instant now, int limit);

    /**
     * EXECUTING jobs whose deadline (startTime + executionDuration, duration &gt; 0) is at or before {@code now}.
     *
     * @param now   the instant to compare with
     * @param limit the most jobs to return
     * @return the overdue jobs, at most {@code limit}
     * @throws StoreUnavailableException if the store cannot be reached
     */
    List<Job> dueForTimeout(Instant now, int limit);

    /**
     * Claims up to {@code limit} QUEUED jobs of a job list that no node holds (no lease, or a lease that expired
     * before {@code now}), oldest creationTime first: each gets a {@link org.uwskit.Lease} for {@code nodeId} until
     * {@code leaseUntil} and its version bumped. Two nodes claiming at once never get the same job; a store must not
     * take a global lock to achieve this (PostgreSQL: FOR UPDATE SKIP LOCKED). The engine passes an early
     * {@code now} so that it claims only unleased jobs; lapsed leases are left to {@link #expiredLeases}.
     *
     * @param jobList    the job list to claim from
     * @param nodeId     the claiming engine node
     * @param now        leases that expired before this instant count as free
     * @param leaseUntil the expiry of the new leases
     * @param limit      the most jobs to claim
     * @return the claimed jobs as now stored
     * @throws StoreUnavailableException if the store cannot be reached
     */
    List<Job> claimQueued(String jobList, String nodeId, Instant now, Instant leaseUntil, int limit);

    /**
     * Jobs in QUEUED, EXECUTING, SUSPENDED or HELD whose lease expired before {@code now} (their node died or lost
     * the store). Read only: the engine decides what to do with each through {@link #update}.
     *
     * @param now   the instant to compare with
     * @param limit the most jobs to return
     * @return the jobs with lapsed leases, at most {@code limit}
     * @throws StoreUnavailableException if the store cannot be reached
     */
    List<Job> expiredLeases(Instant now, int limit);

    /**
     * Releases resources (pools, threads, listener subscriptions). Idempotent. Stored jobs stay stored (a store over
     * a database keeps them; the in-memory store drops them with itself).
     */
    @Override
    void close();

    /**
     * A keyset position in the list order (creationTime descending, jobId descending).
     *
     * @param creationTime the creationTime of the last job returned
     * @param jobId        the jobId of the last job returned
     */
    record Cursor(Instant creationTime, String jobId) {
        /**
         * The position just after a job returned by {@link #list}.
         *
         * @param ref the last job of the previous page
         * @return the cursor that continues after it
         */
        public static Cursor after(JobRef ref) {
            return new Cursor(ref.creationTime(), ref.jobId());
        }
    }
}
