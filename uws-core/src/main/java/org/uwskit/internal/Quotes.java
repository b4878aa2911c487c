package org.uwskit.internal;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.uwskit.Job;
import org.uwskit.JobList;
import org.uwskit.spi.QuoteEstimator;

/**
 * The quote the client role gives a job (at creation and at RUN), from the service's {@link QuoteEstimator}: a
 * user's estimator that throws must not fail the client's request, so its failure is logged and the quote is
 * "don't know" (null); a quote is kept at millisecond precision, as stores keep it. Not API. Thread-safe when the
 * estimator is.
 */
final class Quotes {
    private static final Logger LOG = LoggerFactory.getLogger(Quotes.class);

    private final QuoteEstimator estimator;

    Quotes(QuoteEstimator estimator) {
        this.estimator = estimator;
    }

    /** The quote for {@code job} of {@code list} at {@code now}, truncated to milliseconds; null if unknown. */
    Instant quote(Job job, JobList list, Instant now) {
        try {
            Instant q = estimator.quote(job, list, now);
            return q == null ? null : q.truncatedTo(ChronoUnit.MILLIS);
        } catch (RuntimeException e) {
            LOG.warn("quote estimator {} failed for job {}; no quote", estimator.getClass().getName(), job.jobId(),
                    e);
            return null;
        }
    }
}
