package org.uwskit;

import java.time.Duration;
import java.util.Objects;

/**
 * An owner has reached one of the job list's {@link Quotas}: nothing was changed. HTTP 429 with {@code Retry-After}
 * ({@link #retryAfterSeconds()}); the message names the quota and the limit.
 */
public class QuotaExceededException extends UwsException {

    /** The quota that was reached. */
    public enum Quota {
        /** {@link Quotas#maxActiveJobs()}. */
        ACTIVE_JOBS("active jobs"),
        /** {@link Quotas#maxStoredJobs()}. */
        STORED_JOBS("stored jobs"),
        /** {@link Quotas#maxUploadBytes()}. */
        UPLOAD_BYTES("upload bytes"),
        /** {@link Quotas#requestsPerSecond()}, {@link Quotas#requestBurst()}. */
        REQUEST_RATE("request rate");

        private final String label;

        Quota(String label) {
            this.label = label;
        }

        /** The quota's name as messages show it, e.g. "active jobs". */
        public String label() {
            return label;
        }
    }

    private final Quota quota;
    private final Duration retryAfter;

    /**
     * @param quota      the quota reached
     * @param retryAfter when the client may try again (rounded up to whole seconds, at least 1, for the header)
     * @param message    the text for the client, naming the quota
     */
    public QuotaExceededException(Quota quota, Duration retryAfter, String message) {
        super(message);
        this.quota = Objects.requireNonNull(quota, "quota");
        this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
    }

    public Quota quota() {
        return quota;
    }

    public Duration retryAfter() {
        return retryAfter;
    }

    /** {@link #retryAfter()} in whole seconds, rounded up, at least 1: the value of the {@code Retry-After} header. */
    public long retryAfterSeconds() {
        long s = retryAfter.getSeconds() + (retryAfter.getNano() > 0 ? 1 : 0);
        return Math.max(1, s);
    }
}
