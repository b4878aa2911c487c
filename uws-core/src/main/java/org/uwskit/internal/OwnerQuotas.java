package org.uwskit.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.uwskit.Caller;
import org.uwskit.Job;
import org.uwskit.JobList;
import org.uwskit.Parameter;
import org.uwskit.Phase;
import org.uwskit.QuotaExceededException;
import org.uwskit.QuotaExceededException.Quota;
import org.uwskit.Quotas;
import org.uwskit.spi.JobStore;
import org.uwskit.spi.OwnerUsage;

/**
 * Enforces the per-owner {@link Quotas} of each job list for the client role: request rate (a {@link RateLimiter}
 * per job list, keyed by owner), and active jobs, stored jobs and upload bytes (one {@link JobStore#ownerUsage}
 * read per check). Every check throws {@link QuotaExceededException} before anything is changed, and does nothing
 * for administrators ({@link Caller#admin()}). Anonymous callers are one owner (owner id null). Thread-safe.
 */
final class OwnerQuotas {
    /** The rate-limiter key of the anonymous owner, which no owner id equals. */
    private static final Object ANONYMOUS = new Object();

    private final JobStore store;
    private final Clock clock;
    private final Map<String, RateLimiter> limiters = new ConcurrentHashMap<>();

    OwnerQuotas(JobStore store, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Counts one request of the caller to the job list; refuses it when the owner's bucket is empty. */
    void admitRequest(Caller caller, JobList list) {
        Quotas q = list.policy().quotas();
        if (caller.admin() || q.requestsPerSecond() == 0) {
            return;
        }
        RateLimiter limiter = limiters.computeIfAbsent(list.name(),
                n -> new RateLimiter(clock, q.requestsPerSecond(), q.requestBurst()));
        Duration wait = limiter.tryAcquire(caller.ownerId() == null ? ANONYMOUS : caller.ownerId());
        if (!wait.isZero()) {
            throw new QuotaExceededException(Quota.REQUEST_RATE, wait, "quota reached (request rate): "
                    + who(caller) + " sent more than " + q.requestBurst() + " requests at once or more than "
                    + rate(q.requestsPerSecond()) + " a second to job list " + list.name()
                    + "; slow down and retry after the time in Retry-After");
        }
    }

    /**
     * Before a job is stored: the owner's stored jobs, upload bytes (with {@code newUploadBytes}), and, when the job
     * is to be run at once, active jobs.
     */
    void checkCreate(Caller caller, JobList list, long newUploadBytes, boolean run) {
        Quotas q = list.policy().quotas();
        if (caller.admin() || (q.maxStoredJobs() == 0 && q.maxUploadBytes() == 0 && (!run || q.maxActiveJobs() == 0))) {
            return;
        }
        OwnerUsage u = store.ownerUsage(list.name(), caller.ownerId());
        if (q.maxStoredJobs() > 0 && u.storedJobs() >= q.maxStoredJobs()) {
            throw new QuotaExceededException(Quota.STORED_JOBS, q.retryAfter(), "quota reached (stored jobs): "
                    + who(caller) + " already keep " + u.storedJobs() + " jobs in job list " + list.name()
                    + ", the most one owner may keep (" + q.maxStoredJobs() + "); delete some jobs first");
        }
        checkUploadBytes(caller, list, q, u, newUploadBytes);
        if (run) {
            checkActive(caller, list, q, u);
        }
    }

    /** Before a job is run: the owner's active jobs, if RUN would make the job active (it is PENDING). */
    void checkRun(Caller caller, JobList list, Job job) {
        Quotas q = list.policy().quotas();
        if (caller.admin() || q.maxActiveJobs() == 0 || job.phase() != Phase.PENDING) {
            return;
        }
        checkActive(caller, list, q, store.ownerUsage(list.name(), caller.ownerId()));
    }

    /**
     * Before uploads replace or join a job's uploads: the owner's upload bytes plus {@code added}, minus the bytes
     * of the job's uploads of the same names (which they replace).
     */
    void checkUploads(Caller caller, JobList list, Job before, Map<String, Parameter.Upload> added) {
        Quotas q = list.policy().quotas();
        if (caller.admin() || q.maxUploadBytes() == 0 || added.isEmpty()) {
            return;
        }
        long delta = 0;
        for (Parameter.Upload u : added.values()) {
            delta += u.size();
        }
        for (Parameter p : before.parameters()) {
            if (p.upload() != null && p.value().startsWith("param:") && added.containsKey(p.value().substring(6))) {
                delta -= p.upload().size();
            }
        }
        if (delta > 0) {
            checkUploadBytes(caller, list, q, store.ownerUsage(list.name(), caller.ownerId()), delta);
        }
    }

    private static void checkUploadBytes(Caller caller, JobList list, Quotas q, OwnerUsage u, long newBytes) {
        if (q.maxUploadBytes() > 0 && newBytes > 0 && u.uploadBytes() + newBytes > q.maxUploadBytes()) {
            throw new QuotaExceededException(Quota.UPLOAD_BYTES, q.retryAfter(), "quota reached (upload bytes): "
                    + who(caller) + " keep " + u.uploadBytes() + " bytes of uploads in job list " + list.name()
                    + "; these " + newBytes + " more would exceed the " + q.maxUploadBytes()
                    + " bytes one owner may keep; delete jobs with uploads first");
        }
    }

    private static void checkActive(Caller caller, JobList list, Quotas q, OwnerUsage u) {
        if (q.maxActiveJobs() > 0 && u.activeJobs() >= q.maxActiveJobs()) {
            throw new QuotaExceededException(Quota.ACTIVE_JOBS, q.retryAfter(), "quota reached (active jobs): "
                    + who(caller) + " already have " + u.activeJobs() + " active jobs in job list " + list.name()
                    + ", the most one owner may have (" + q.maxActiveJobs() + "); try again when one has finished");
        }
    }

    private static String who(Caller caller) {
        return caller.ownerId() == null ? "anonymous callers (together)" : "you";
    }

    private static String rate(double perSecond) {
        return perSecond == Math.rint(perSecond) ? Long.toString((long) perSecond) : Double.toString(perSecond);
    }
}
