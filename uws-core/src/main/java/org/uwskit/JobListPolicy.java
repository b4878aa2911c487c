package org.uwskit;

import java.time.Duration;
import java.util.Objects;

/**
 * The limits and defaults of a {@link JobList}. Immutable; build with {@link #builder()}. Every default is a named
 * constant. Bad values fail at {@link Builder#build()}.
 *
 * @param defaultExecutionDuration execution duration given to new jobs; {@link Duration#ZERO} = unlimited
 * @param maxExecutionDuration     the largest a client may ask for (requests above are clamped); ZERO = no cap
 * @param defaultRetention         destruction = creationTime + this for new jobs; null = never destroyed
 * @param maxRetention             the latest destruction a client may ask for, relative to creationTime (requests
 *                                 beyond are clamped); null = no cap
 * @param destructionMode          delete or archive at destruction time
 * @param quotas                   the per-owner quotas (active jobs, stored jobs, upload bytes, request rate),
 *                                 refused with HTTP 429 and {@code Retry-After}; {@link Quotas#defaults()} unless set
 * @param maxActiveJobs            QUEUED/EXECUTING/HELD/SUSPENDED jobs of all owners together; 0 = no limit (RUN
 *                                 beyond it is refused with 403)
 * @param maxExecutingJobs         jobs of this list one engine node executes at once (the rest wait QUEUED)
 * @param maxParameterLength       the longest by-value parameter value, in characters (HTTP 413 beyond)
 * @param maxParameters            the most parameter values a job may have (HTTP 413 beyond)
 * @param maxUploadSize            the largest inline upload, in bytes (HTTP 413 beyond)
 * @param maxWait                  the cap on a blocking WAIT (UWS 1.1 §2.2.1.2)
 * @param allowAnonymous           whether callers without identity may create and use jobs
 * @param parametersAtJobUrl       whether POST name=value to the job URL updates parameters (off by default, as DALI
 *                                 forbids it for TAP)
 */
public record JobListPolicy(
        Duration defaultExecutionDuration,
        Duration maxExecutionDuration,
        Duration defaultRetention,
        Duration maxRetention,
        DestructionMode destructionMode,
        Quotas quotas,
        int maxActiveJobs,
        int maxExecutingJobs,
        int maxParameterLength,
        int maxParameters,
        long maxUploadSize,
        Duration maxWait,
        boolean allowAnonymous,
        boolean parametersAtJobUrl) {

    public static final Duration DEFAULT_EXECUTION_DURATION = Duration.ofHours(1);
    public static final Duration DEFAULT_MAX_EXECUTION_DURATION = Duration.ofHours(24);
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);
    public static final Duration DEFAULT_MAX_RETENTION = Duration.ofDays(30);
    public static final DestructionMode DEFAULT_DESTRUCTION_MODE = DestructionMode.DELETE;
    /** The default of {@link Quotas#maxActiveJobs()} (per owner). */
    public static final int DEFAULT_MAX_ACTIVE_JOBS_PER_OWNER = Quotas.DEFAULT_MAX_ACTIVE_JOBS;
    public static final int DEFAULT_MAX_ACTIVE_JOBS = 0;
    public static final int DEFAULT_MAX_EXECUTING_JOBS = Math.max(2, Runtime.getRuntime().availableProcessors());
    public static final int DEFAULT_MAX_PARAMETER_LENGTH = 1 << 20;
    public static final int DEFAULT_MAX_PARAMETERS = 1000;
    public static final long DEFAULT_MAX_UPLOAD_SIZE = 100L << 20;
    public static final Duration DEFAULT_MAX_WAIT = Duration.ofSeconds(60);

    public JobListPolicy {
        Objects.requireNonNull(defaultExecutionDuration, "defaultExecutionDuration");
        Objects.requireNonNull(maxExecutionDuration, "maxExecutionDuration");
        Objects.requireNonNull(destructionMode, "destructionMode");
        Objects.requireNonNull(quotas, "quotas");
        Objects.requireNonNull(maxWait, "maxWait");
    }

    /** The default policy. */
    public static JobListPolicy defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The active jobs one owner may have: {@code quotas().maxActiveJobs()} (0 = no limit; HTTP 429 beyond). */
    public int maxActiveJobsPerOwner() {
        return quotas.maxActiveJobs();
    }

    /**
     * The execution duration to store for a client's request: 0 (unlimited) and values above the cap become the
     * cap when there is one.
     */
    public long clampExecutionDuration(long seconds) {
        long cap = maxExecutionDuration.toSeconds();
        if (cap > 0 && (seconds == 0 || seconds > cap)) {
            return cap;
        }
        return seconds;
    }

    /** The destruction instant to store for a client's request, clamped to creationTime + maxRetention. */
    public java.time.Instant clampDestruction(java.time.Instant creationTime, java.time.Instant requested) {
        if (maxRetention == null) {
            return requested;
        }
        java.time.Instant cap = creationTime.plus(maxRetention);
        return requested == null || requested.isAfter(cap) ? cap : requested;
    }

    /** Fluent builder with the named defaults. */
    public static final class Builder {
        private Duration defaultExecutionDuration = DEFAULT_EXECUTION_DURATION;
        private Duration maxExecutionDuration = DEFAULT_MAX_EXECUTION_DURATION;
        private Duration defaultRetention = DEFAULT_RETENTION;
        private Duration maxRetention = DEFAULT_MAX_RETENTION;
        private DestructionMode destructionMode = DEFAULT_DESTRUCTION_MODE;
        private Quotas quotas = Quotas.defaults();
        private int maxActiveJobs = DEFAULT_MAX_ACTIVE_JOBS;
        private int maxExecutingJobs = DEFAULT_MAX_EXECUTING_JOBS;
        private int maxParameterLength = DEFAULT_MAX_PARAMETER_LENGTH;
        private int maxParameters = DEFAULT_MAX_PARAMETERS;
        private long maxUploadSize = DEFAULT_MAX_UPLOAD_SIZE;
        private Duration maxWait = DEFAULT_MAX_WAIT;
        private boolean allowAnonymous = false;
        private boolean parametersAtJobUrl = false;

        private Builder() {
        }

        private Builder(JobListPolicy p) {
            defaultExecutionDuration = p.defaultExecutionDuration;
            maxExecutionDuration = p.maxExecutionDuration;
            defaultRetention = p.defaultRetention;
            maxRetention = p.maxRetention;
            destructionMode = p.destructionMode;
            quotas = p.quotas;
            maxActiveJobs = p.maxActiveJobs;
            maxExecutingJobs = p.maxExecutingJobs;
            maxParameterLength = p.maxParameterLength;
            maxParameters = p.maxParameters;
            maxUploadSize = p.maxUploadSize;
            maxWait = p.maxWait;
            allowAnonymous = p.allowAnonymous;
            parametersAtJobUrl = p.parametersAtJobUrl;
        }

        public Builder defaultExecutionDuration(Duration v) { defaultExecutionDuration = v; return this; }
        public Builder maxExecutionDuration(Duration v) { maxExecutionDuration = v; return this; }
        /** null = jobs are never destroyed. */
        public Builder defaultRetention(Duration v) { defaultRetention = v; return this; }
        /** null = no cap. */
        public Builder maxRetention(Duration v) { maxRetention = v; return this; }
        public Builder destructionMode(DestructionMode v) { destructionMode = v; return this; }
        /** The per-owner quotas; default {@link Quotas#defaults()}, {@link Quotas#unlimited()} for none. */
        public Builder quotas(Quotas v) { quotas = Objects.requireNonNull(v, "quotas"); return this; }
        /** Shorthand for the active-jobs quota: {@code quotas(quotas.toBuilder().maxActiveJobs(v).build())}. */
        public Builder maxActiveJobsPerOwner(int v) { quotas = quotas.toBuilder().maxActiveJobs(v).build(); return this; }
        public Builder maxActiveJobs(int v) { maxActiveJobs = v; return this; }
        public Builder maxExecutingJobs(int v) { maxExecutingJobs = v; return this; }
        public Builder maxParameterLength(int v) { maxParameterLength = v; return this; }
        public Builder maxParameters(int v) { maxParameters = v; return this; }
        public Builder maxUploadSize(long v) { maxUploadSize = v; return this; }
        public Builder maxWait(Duration v) { maxWait = v; return this; }
        public Builder allowAnonymous(boolean v) { allowAnonymous = v; return this; }
        public Builder parametersAtJobUrl(boolean v) { parametersAtJobUrl = v; return this; }

        /** @throws IllegalArgumentException naming the bad setting */
        public JobListPolicy build() {
            requireNonNegative("defaultExecutionDuration", defaultExecutionDuration);
            requireNonNegative("maxExecutionDuration", maxExecutionDuration);
            if (defaultRetention != null) requireNonNegative("defaultRetention", defaultRetention);
            if (maxRetention != null) requireNonNegative("maxRetention", maxRetention);
            requireNonNegative("maxWait", maxWait);
            if (maxActiveJobs < 0) {
                throw new IllegalArgumentException("maxActiveJobs must be >= 0 (0 = no limit)");
            }
            if (maxExecutingJobs < 1) {
                throw new IllegalArgumentException("maxExecutingJobs must be >= 1");
            }
            if (maxParameterLength < 1 || maxParameters < 1 || maxUploadSize < 0) {
                throw new IllegalArgumentException("parameter limits must be positive");
            }
            if (!maxExecutionDuration.isZero() && !defaultExecutionDuration.isZero()
                    && defaultExecutionDuration.compareTo(maxExecutionDuration) > 0) {
                throw new IllegalArgumentException("defaultExecutionDuration exceeds maxExecutionDuration");
            }
            return new JobListPolicy(defaultExecutionDuration, maxExecutionDuration, defaultRetention, maxRetention,
                    destructionMode, quotas, maxActiveJobs, maxExecutingJobs, maxParameterLength,
                    maxParameters, maxUploadSize, maxWait, allowAnonymous, parametersAtJobUrl);
        }

        private static void requireNonNegative(String name, Duration d) {
            Objects.requireNonNull(d, name);
            if (d.isNegative()) {
                throw new IllegalArgumentException(name + " must not be negative");
            }
        }
    }
}
