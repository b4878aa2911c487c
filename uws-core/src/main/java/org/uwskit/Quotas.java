package org.uwskit;

import java.time.Duration;
import java.util.Objects;

/**
 * Per-owner quotas of one {@link JobList} (set with {@link JobListPolicy.Builder#quotas}). Immutable; build with
 * {@link #builder()}; every default is a named constant, chosen so that a host that configures nothing is bounded.
 * A limit of 0 means "no limit" (see {@link #unlimited()}).
 *
 * <p><b>Whom they count.</b> Each quota is counted per owner id ({@link Caller#ownerId()}) and job list. Anonymous
 * callers all have the owner id null, so they share <em>one</em> owner: one set of job counts, one upload budget and
 * one request-rate bucket (a host that lets anonymous callers in and wants a bucket per address limits by address in
 * its proxy or container). Administrators ({@link Caller#admin()}, including {@link Caller#system()}) are not
 * counted: quotas share the service between users, they do not restrict the host's own code.
 *
 * <p><b>What they count.</b> Active jobs (QUEUED, EXECUTING, HELD, SUSPENDED) when a job would be started; stored
 * jobs (every phase but ARCHIVED) when a job is created; the bytes of the owner's stored uploads (jobs not ARCHIVED)
 * when uploads are added; and requests, with a token bucket that refills at {@code requestsPerSecond} up to
 * {@code requestBurst} tokens, each request to a job list taking one (time from the service's injected clock).
 * A refused request gets {@link QuotaExceededException} (HTTP 429 with {@code Retry-After}) and changes nothing.
 * Job counts are read from the store when a request needs them, so they hold across nodes sharing a store; two
 * requests racing at the limit may both pass (the quota can be overshot by the number of concurrent requests).
 * The request-rate buckets are kept per service instance (per node), in memory.
 *
 * @param maxActiveJobs     active jobs one owner may have in the list (RUN beyond it is refused); 0 = no limit
 * @param maxStoredJobs     jobs (not ARCHIVED) one owner may keep in the list (creation beyond it is refused);
 *                          0 = no limit
 * @param maxUploadBytes    bytes of uploads one owner may keep in the list's jobs; 0 = no limit
 * @param requestsPerSecond the sustained request rate per owner; 0 = no limit
 * @param requestBurst      the most requests an owner may send at once after a pause (the bucket's size, ≥ 1)
 * @param retryAfter        the {@code Retry-After} given when a job or upload quota is reached (how long it takes
 *                          the owner to free room is not known; the rate quota gives the exact wait instead)
 */
public record Quotas(int maxActiveJobs, int maxStoredJobs, long maxUploadBytes, double requestsPerSecond,
                     int requestBurst, Duration retryAfter) {

    /** Active jobs per owner: 100. */
    public static final int DEFAULT_MAX_ACTIVE_JOBS = 100;
    /** Stored jobs per owner: 10,000. */
    public static final int DEFAULT_MAX_STORED_JOBS = 10_000;
    /** Upload bytes per owner: 1 GiB (ten uploads of the default {@link JobListPolicy#DEFAULT_MAX_UPLOAD_SIZE}). */
    public static final long DEFAULT_MAX_UPLOAD_BYTES = 1L << 30;
    /**
     * Sustained requests per second per owner: 2,000. The rate quota shares a busy service fairly between owners; it
     * is not what bounds resources (the job and upload quotas, body limits and the container's threads do). All
     * anonymous callers share one bucket, so a low default (it was 100) throttled every public service at ordinary
     * loads and let one anonymous client use up the bucket of all the others; 2,000 a second is more than a person
     * or a script polling its jobs sends, and stops a runaway client well before it monopolises the server.
     */
    public static final double DEFAULT_REQUESTS_PER_SECOND = 2000;
    /** Burst of requests per owner: 1,000. */
    public static final int DEFAULT_REQUEST_BURST = 1000;
    /** Retry-After for the job and upload quotas: 30 s. */
    public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(30);

    private static final Quotas UNLIMITED = new Quotas(0, 0, 0, 0, 1, DEFAULT_RETRY_AFTER);

    public Quotas {
        Objects.requireNonNull(retryAfter, "retryAfter");
    }

    /** The default quotas (the named defaults above). */
    public static Quotas defaults() {
        return builder().build();
    }

    /** No quota at all: for hosts that limit elsewhere, and for tests that drive many requests as one owner. */
    public static Quotas unlimited() {
        return UNLIMITED;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Fluent builder with the named defaults. */
    public static final class Builder {
        private int maxActiveJobs = DEFAULT_MAX_ACTIVE_JOBS;
        private int maxStoredJobs = DEFAULT_MAX_STORED_JOBS;
        private long maxUploadBytes = DEFAULT_MAX_UPLOAD_BYTES;
        private double requestsPerSecond = DEFAULT_REQUESTS_PER_SECOND;
        private int requestBurst = DEFAULT_REQUEST_BURST;
        private Duration retryAfter = DEFAULT_RETRY_AFTER;

        private Builder() {
        }

        private Builder(Quotas q) {
            maxActiveJobs = q.maxActiveJobs;
            maxStoredJobs = q.maxStoredJobs;
            maxUploadBytes = q.maxUploadBytes;
            requestsPerSecond = q.requestsPerSecond;
            requestBurst = q.requestBurst;
            retryAfter = q.retryAfter;
        }

        /** Active jobs per owner; 0 = no limit. */
        public Builder maxActiveJobs(int v) { maxActiveJobs = v; return this; }
        /** Stored (not ARCHIVED) jobs per owner; 0 = no limit. */
        public Builder maxStoredJobs(int v) { maxStoredJobs = v; return this; }
        /** Upload bytes per owner; 0 = no limit. */
        public Builder maxUploadBytes(long v) { maxUploadBytes = v; return this; }
        /** Sustained requests per second per owner; 0 = no limit. */
        public Builder requestsPerSecond(double v) { requestsPerSecond = v; return this; }
        /** The most requests at once (≥ 1). */
        public Builder requestBurst(int v) { requestBurst = v; return this; }
        /** Retry-After for the job and upload quotas (≥ 1 s). */
        public Builder retryAfter(Duration v) { retryAfter = v; return this; }

        /** @throws IllegalArgumentException naming the bad setting */
        public Quotas build() {
            if (maxActiveJobs < 0 || maxStoredJobs < 0 || maxUploadBytes < 0) {
                throw new IllegalArgumentException("quotas must be >= 0 (0 = no limit)");
            }
            if (!(requestsPerSecond >= 0) || Double.isInfinite(requestsPerSecond)) {
                throw new IllegalArgumentException("requestsPerSecond must be a finite number >= 0 (0 = no limit)");
            }
            if (requestBurst < 1) {
                throw new IllegalArgumentException("requestBurst must be >= 1");
            }
            Objects.requireNonNull(retryAfter, "retryAfter");
            if (retryAfter.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("retryAfter must be at least 1 second");
            }
            return new Quotas(maxActiveJobs, maxStoredJobs, maxUploadBytes, requestsPerSecond, requestBurst,
                    retryAfter);
        }
    }
}
