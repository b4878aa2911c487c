package org.uwskit.slurm.drmaa;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.uwskit.spi.ExecutionBackend.BackendException;

/**
 * A way to reach the scheduler (DRMAA2's job session): the commands ({@code sbatch}, {@code squeue}, ...) or
 * slurmrestd. The backend depends on this interface only, so that the transport is a matter of configuration.
 *
 * <p>Thread-safe. Every method is one round trip to the scheduler (or one process), bounded in time by the
 * transport's timeout. {@link BackendException} messages are for clients: SLURM's own words, nothing secret.
 */
public interface JobSession extends AutoCloseable {

    /** @return a short name for logs and jobInfo ({@code commands}, {@code rest v0.0.38}) */
    String name();

    /**
     * Submits a job.
     *
     * @param template the job
     * @return the scheduler's job id
     * @throws UnreachableException if the scheduler cannot be reached or did not answer (the job may or may not have
     *                              been created: look it up by its name before submitting it again)
     * @throws BackendException     if the scheduler refused the job (with its message)
     */
    String runJob(JobTemplate template) throws BackendException;

    /**
     * The jobs the scheduler still holds under some names ({@link JobTemplate#jobName()}), in one round trip: how a
     * job whose submission had no answer, or whose id was never stored, is found again instead of being submitted
     * twice.
     *
     * @param jobNames job names
     * @return the ids of the jobs of each name found (ascending), by name; names without a job are absent
     * @throws UnreachableException if the scheduler cannot be reached
     * @throws BackendException     if the scheduler failed otherwise (then nothing is known either)
     */
    Map<String, List<String>> jobIdsByName(Collection<String> jobNames) throws BackendException;

    /**
     * The state of many jobs in one round trip. A transport may answer a job from a state it knows the scheduler has
     * not changed since (slurmrestd's {@code update_time}: see {@code RestSession}); it says a job is forgotten only
     * when the scheduler's answer said so.
     *
     * @param jobIds scheduler job ids
     * @return the jobs the scheduler still knows, by id; ids it has forgotten (or never had) are absent
     * @throws BackendException if the scheduler cannot be reached ({@link UnreachableException}) or failed (then no
     *                          state is known)
     */
    Map<String, JobInfo> jobInfos(Collection<String> jobIds) throws BackendException;

    /**
     * Cancels a job (SIGTERM, then SIGKILL after the cluster's KillWait). An unknown or finished job is ignored.
     *
     * @param jobId the job
     * @throws BackendException if the scheduler cannot be reached or refuses
     */
    void terminate(String jobId) throws BackendException;

    /** Holds a waiting job. @throws BackendException if refused or not offered by this transport */
    void hold(String jobId) throws BackendException;

    /** Releases a held job. @throws BackendException if refused or not offered by this transport */
    void release(String jobId) throws BackendException;

    /** Suspends a running job. @throws BackendException if refused or not offered by this transport */
    void suspend(String jobId) throws BackendException;

    /** Resumes a suspended job. @throws BackendException if refused or not offered by this transport */
    void resume(String jobId) throws BackendException;

    /** Releases resources (HTTP clients); jobs are not touched. Idempotent. */
    @Override
    void close();
}
