package org.uwskit.spi;

import java.time.Instant;
import org.uwskit.Job;
import org.uwskit.JobList;

/**
 * Predicts when a job will complete (the UWS quote). Called when a job is created and when it is run. Thread-safe;
 * must be cheap (no I/O). The default learns from the durations of finished jobs of the same type.
 *
 * <p>{@link #quote} must not throw: an exception there fails the client's request. An exception from
 * {@link #finished} is logged and ignored.
 */
public interface QuoteEstimator {
    /**
     * Predicts when a job will complete.
     *
     * @param job     the job as it is being created or queued
     * @param jobList its job list
     * @param now     the service clock's instant
     * @return the predicted completion instant, or null for "don't know" ({@code xsi:nil} / empty string)
     */
    Instant quote(Job job, JobList jobList, Instant now);

    /**
     * Called when a job finishes (reaches COMPLETED, ERROR or ABORTED through this node), so that an estimator may
     * learn; the default does nothing. Called on the thread that stored the change.
     *
     * @param job the finished job
     */
    default void finished(Job job) {
    }

    /**
     * An estimator that always answers "don't know".
     *
     * @return the estimator
     */
    static QuoteEstimator none() {
        return (job, list, now) -> null;
    }
}
