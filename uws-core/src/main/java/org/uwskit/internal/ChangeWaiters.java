package org.uwskit.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.uwskit.Job;
import org.uwskit.JobNotFoundException;
import org.uwskit.Phase;
import org.uwskit.spi.JobChangeFeed.JobChange;

/**
 * The registry behind {@code JobService.awaitChange}: waiters per job id, completed by change notifications, with
 * timeouts on the service's clock ({@link ClockTimer}: one shared daemon timer thread, {@value #TIMER_THREAD}, and at
 * once when a test moves a {@link org.uwskit.spi.SteppedClock}). No thread is held per waiter.
 *
 * <p>Thread-safe. Futures complete on the thread that reported the change (or the timer thread): dependants
 * should not block there.
 */
final class ChangeWaiters implements AutoCloseable {
    static final String TIMER_THREAD = "uws-wait-timer";

    private final Function<String, Optional<Job>> reader;
    private final Map<String, Set<Waiter>> byJob = new ConcurrentHashMap<>();
    private final ClockTimer timer;
    private boolean closed;

    /**
     * @param reader reads the current snapshot of a job by id (no access checks)
     * @param clock  the clock timeouts run on
     */
    ChangeWaiters(Function<String, Optional<Job>> reader, Clock clock) {
        this.reader = reader;
        this.timer = new ClockTimer(clock, TIMER_THREAD);
    }

    private final class Waiter {
        final String jobId;
        final Phase seen;
        final CompletableFuture<Job> future = new CompletableFuture<>();
        volatile ClockTimer.Task timeout;

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
        synchronized (this) {
            if (closed) {
                return CompletableFuture.completedFuture(job);
            }
        }
        byJob.computeIfAbsent(job.jobId(), k -> ConcurrentHashMap.newKeySet()).add(w);
        w.future.whenComplete((r, e) -> remove(w));
        ClockTimer.Task t = timer.schedule(timeout, () -> w.check(true));
        w.timeout = t;
        if (t == null) {
            w.check(true); // closed meanwhile
        } else if (w.future.isDone()) {
            t.cancel();
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
        if (byJob.isEmpty()) {
            return;
        }
        timer.execute(this::recheckAll); // false when closed meanwhile: close() has completed every waiter
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
        ClockTimer.Task t = w.timeout;
        if (t != null) {
            t.cancel();
        }
        byJob.computeIfPresent(w.jobId, (k, set) -> {
            set.remove(w);
            return set.isEmpty() ? null : set;
        });
    }

    /** Completes every waiter with its job's current snapshot and stops the timer. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        for (Set<Waiter> ws : byJob.values()) {
            for (Waiter w : ws) {
                w.check(true);
            }
        }
        timer.close();
    }
}
