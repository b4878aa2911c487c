package org.uwskit.spi;

import java.time.Instant;
import org.uwskit.Job;
import org.uwskit.JobList;

/**
 * Predicts when a job will complete (the UWS quote). Called when a job is created and when it is run. Thread-safe;
 * must be cheap (no I/O). The default learns from the durations of finished jobs of the same type.
 */
public interface QuoteEstimator {
    /**
     * @return the predicted completion instant, or null for "don't know" ({@code xsi:nil} / empty string)
     */
    Instant quote(Job job, JobList jobList, Instant now);

    /** Called when a job finishes, so that an estimator may learn; the default does nothing. */
    default void finished(Job job) {
    }

    /** Always "don't know". */
    static QuoteEstimator none() {
        return (job, list, now) -> null;
    }
}
