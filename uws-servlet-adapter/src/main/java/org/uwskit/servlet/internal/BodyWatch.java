package org.uwskit.servlet.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polices the request bodies that are arriving: one owned timer thread ({@value #THREAD}), started with the first
 * body, checks every pending {@link AsyncBody} a few times a second against the total deadline
 * ({@link BodyLimits#timeout()}) and the minimum data rate ({@link BodyLimits#minRate()} after
 * {@link BodyLimits#rateGrace()}: a body must have sent {@code minRate × (elapsed − grace)} bytes), and refuses
 * those too slow with 408. Thread-safe; {@link #close()} answers the pending bodies 503 and stops the thread.
 */
final class BodyWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BodyWatch.class);
    private static final long CHECK_MILLIS = 200;
    private static final String THREAD = "uwskit-body-timer";

    private final BodyLimits limits;
    private final Set<AsyncBody> pending = ConcurrentHashMap.newKeySet();
    private final Object timerLock = new Object();
    private ScheduledExecutorService timer;
    private volatile boolean closed;

    BodyWatch(BodyLimits limits) {
        this.limits = limits;
    }

    /** How many bodies are arriving now. */
    int pending() {
        return pending.size();
    }

    /**
     * Watches {@code body} until it {@link #ended}; starts the timer with the first one.
     *
     * @return false once closed: the caller refuses the body as the server is stopping
     */
    boolean watch(AsyncBody body) {
        pending.add(body);
        synchronized (timerLock) {
            if (timer == null && !closed) {
                timer = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, THREAD);
                    t.setDaemon(true);
                    return t;
                });
                timer.scheduleAtFixedRate(this::sweep, CHECK_MILLIS, CHECK_MILLIS, TimeUnit.MILLISECONDS);
            }
        }
        return !closed;
    }

    /** Stops watching {@code body}: it ended, whichever way. */
    void ended(AsyncBody body) {
        pending.remove(body);
    }

    private void sweep() {
        long now = System.nanoTime();
        for (AsyncBody b : pending) {
            try {
                check(b, now);
            } catch (RuntimeException e) {
                LOG.warn("checking a pending request body failed", e);
            }
        }
    }

    private void check(AsyncBody b, long now) {
        long elapsed = now - b.started();
        if (elapsed > limits.timeout().toNanos()) {
            b.finish(limits.tooSlow(b.what()));
            return;
        }
        long grace = limits.rateGrace().toNanos();
        if (elapsed > grace && limits.minRate() > 0) {
            long size = b.received();
            double needed = limits.minRate() * ((elapsed - grace) / 1e9);
            if (size < needed) {
                b.finish(limits.tooSlowRate(b.what(), size, elapsed / 1_000_000));
            }
        }
    }

    /** Answers the pending bodies 503 (the server is stopping) and stops the timer. */
    @Override
    public void close() {
        closed = true;
        for (AsyncBody b : pending) {
            b.finish(BodyLimits.stopping());
        }
        synchronized (timerLock) {
            if (timer != null) {
                timer.shutdownNow();
                timer = null;
            }
        }
    }
}
