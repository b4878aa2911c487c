package org.uwskit.internal;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.uwskit.Job;
import org.uwskit.JobNotFoundException;
import org.uwskit.Phase;
import org.uwskit.spi.JobChangeFeed.JobChange;

/**
 * The registry behind {@code JobService.awaitChange}: waiters per job id, completed by change notifications, with
 * timeouts on one shared daemon timer thread ({@value #TIMER_THREAD}). No thread is held per waiter.
 *
 * <p>Thread-safe. Futures complete on the thread that reported the change (or the timer thread): dependants
 * should not block there.
 */
final class ChangeWaiters implements AutoCloseable {
    static final String TIMER_THREAD = "uws-wait-timer";

    private final Function<String, Optional<Job>> reader;
    private final Map<String, Set<Waiter>> byJob = new ConcurrentHashMap<>();
    private ScheduledThreadPoolExecutor timer;
    private boolean closed;

    /** @param reader reads the current snapshot of a job by id (no access checks) */
    ChangeWaiters(Function<String, Optional<Job>> reader) {
        this.reader = reader;
    }

    private final class Waiter {
        final String jobId;
        final Phase seen;
        final CompletableFuture<Job> future = new CompletableFuture<>();
        volatile ScheduledFuture<?> timeout;

        Waiter(String jobId, Phase seen) {
            this.jobId = jobId;
            this.seen = seen;
        }

        /** Completes with the current snapshot if its phase differs from what the waiter saw (or always). */
        void check(boolean always) {
            if (future.isDone()) {
                return;
            }
            try {
                settle(reader.apply(jobId), always);
            } catch (RuntimeException e) {
                future.completeExceptionally(e);
            }
        }

        /** Completes with {@code now} if its phase differs from what the waiter saw (or always); fails if gone. */
        void settle(Optional<Job> now, boolean always) {
            if (now.isEmpty()) {
                future.completeExceptionally(new JobNotFoundException(jobId, "job '" + jobId + "' was destroyed"));
            } else if (always || now.get().phase() != seen) {
                future.complete(now.get());
            }
        }
    }

    /**
     * Waits for the phase of {@code job} to differ from {@code job.phase()}, at most {@code timeout} (positive).
     */
    CompletableFuture<Job> register(Job job, Duration timeout) {
        Waiter w = new Waiter(job.jobId(), job.phase());
        ScheduledThreadPoolExecutor t = timer();
        if (t == null) {
            return CompletableFuture.completedFuture(job);
        }
        byJob.computeIfAbsent(job.jobId(), k -> ConcurrentHashMap.newKeySet()).add(w);
        w.future.whenComplete((r, e) -> remove(w));
        w.timeout = t.schedule(() -> w.check(true), timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (w.future.isDone()) {
            w.timeout.cancel(false);
        }
        // a change between the caller's read and the registration would otherwise be missed
        w.check(false);
        return w.future;
    }

    /**
     * Called for every change of any job: completes the waiters of that job whose phase moved on. On the
     * {@linkplain JobChange#resync() resync} signal it {@linkplain #resync() re-reads every waited job}.
     */
    void changed(JobChange change) {
        if (change.isResync()) {
            resync();
            return;
        }
        Set<Waiter> ws = byJob.get(change.jobId());
        if (ws == null) {
            return;
        }
        for (Waiter w : ws) {
            if (change.deleted()) {
                w.future.completeExceptionally(new JobNotFoundException(change.jobId(),
                        "job '" + change.jobId() + "' was destroyed"));
            } else if (change.phase() != w.seen) {
                w.check(false);
            }
        }
    }

    /**
     * Changes may have been missed: re-reads every job that has waiters (once per job, not per waiter) and
     * completes the waiters whose job's phase differs from what they saw, or fails them if it is gone, as a
     * reported change would have. Runs on the timer thread (the caller, a feed's thread, returns at once); a job
     * that cannot be read keeps its waiters waiting (their timeout still ends them).
     */
    void resync() {
        ScheduledThreadPoolExecutor t;
        synchronized (this) {
            t = closed ? null : timer;
        }
        if (t == null || byJob.isEmpty()) {
            return;
        }
        try {
            t.execute(this::recheckAll);
        } catch (RejectedExecutionException e) {
            // closed meanwhile: close() has completed every waiter
        }
    }

    private void recheckAll() {
        for (Map.Entry<String, Set<Waiter>> e : byJob.entrySet()) {
            Optional<Job> now;
            try {
                now = reader.apply(e.getKey());
            } catch (RuntimeException ex) {
                continue;
            }
            for (Waiter w : e.getValue()) {
                if (!w.future.isDone()) {
                    w.settle(now, false);
                }
            }
        }
    }

    /** The number of registered waiters (for tests and metrics). */
    int size() {
        return byJob.values().stream().mapToInt(Set::size).sum();
    }

    private void remove(Waiter w) {
        ScheduledFuture<?> t = w.timeout;
        if (t != null) {
            t.cancel(false);
        }
        byJob.computeIfPresent(w.jobId, (k, set) -> {
            set.remove(w);
            return set.isEmpty() ? null : set;
        });
    }

    private synchronized ScheduledThreadPoolExecutor timer() {
        if (closed) {
            return null;
        }
        if (timer == null) {
            timer = new ScheduledThreadPoolExecutor(1, r -> {
                Thread th = new Thread(r, TIMER_THREAD);
                th.setDaemon(true);
                // created lazily on a request thread: do not inherit the container's web-app class loader
                th.setContextClassLoader(ChangeWaiters.class.getClassLoader());
                return th;
            });
            timer.setRemoveOnCancelPolicy(true);
        }
        return timer;
    }

    /** Completes every waiter with its job's current snapshot and stops the timer. Idempotent. */
    @Override
    public void close() {
        ScheduledThreadPoolExecutor t;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            t = timer;
        }
        for (Set<Waiter> ws : byJob.values()) {
            for (Waiter w : ws) {
                w.check(true);
            }
        }
        if (t != null) {
            t.shutdownNow();
        }
    }
}
