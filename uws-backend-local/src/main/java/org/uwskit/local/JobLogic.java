package org.uwskit.local;

/**
 * Job logic run inside the JVM by a {@link LocalBackend}, one call per job, on a thread of the backend's bounded pool.
 *
 * <p>Outcome: returning normally ends the job in COMPLETED; throwing ends it in ERROR with the exception's message
 * (its message is the error summary and detail; the stack trace goes to the server log only, under the job id as reference); throwing (or returning) after {@link JobContext#isCancelled()} became true
 * ends it in ABORTED. Abort, execution-duration expiry and backend shutdown also interrupt the thread, so blocking
 * calls that honour interruption return early; logic that never blocks should poll {@link JobContext#isCancelled()}.
 */
@FunctionalInterface
public interface JobLogic {

    /**
     * Runs one job.
     *
     * @param ctx the job's parameters, uploads, results and cancellation state; valid only during this call
     * @throws Exception any failure; its message becomes the job's error message
     */
    void run(JobContext ctx) throws Exception;
}
