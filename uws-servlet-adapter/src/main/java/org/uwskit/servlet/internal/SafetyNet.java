package org.uwskit.servlet.internal;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Last-resort deadlines for suspended requests (WAIT), in place of the container's async timeout. The container
 * keeps one timer task per suspended request in one scheduler queue behind one lock, and completing a request
 * cancels its task under that lock: when a phase change released 10,000 waiters at once, most container threads
 * queued on that lock (profile of issue 13) and the answers took seconds. Here a deadline is one entry of a
 * concurrent map, withdrawn without a shared lock, and one owned daemon thread ({@value #THREAD}) looks at them
 * every {@value #SWEEP_MILLIS} ms, running the action of each one past its deadline once. Thread-safe;
 * {@link #close()} stops the thread and forgets the deadlines.
 */
final class SafetyNet implements AutoCloseable {
    static final String THREAD = "uwskit-wait-safety-net";
    static final long SWEEP_MILLIS = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(SafetyNet.class);

    private final Map<Deadline, Boolean> pending = new ConcurrentHashMap<>();
    private final Object timerLock = new Object();
    private ScheduledExecutorService timer;
    private boolean closed;

    /** One deadline; {@link #cancel()} withdraws it. */
    final class Deadline {
        private final long dueNanos;
        private final Runnable action;

        private Deadline(long dueNanos, Runnable action) {
            this.dueNanos = dueNanos;
            this.action = action;
        }

        /** Withdraws the deadline (idempotent). */
        void cancel() {
            pending.remove(this);
        }
    }

    /** Runs {@code action} once, on the safety net's thread, at the first sweep after {@code after} has passed. */
    Deadline add(Duration after, Runnable action) {
        Deadline d = new Deadline(System.nanoTime() + after.toNanos(), action);
        pending.put(d, Boolean.TRUE);
        ensureTimer();
        return d;
    }

    /** Deadlines not yet passed nor withdrawn (for tests). */
    int size() {
        return pending.size();
    }

    private void ensureTimer() {
        synchronized (timerLock) {
            if (timer == null && !closed) {
                timer = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, THREAD);
                    t.setDaemon(true);
                    t.setContextClassLoader(SafetyNet.class.getClassLoader());
                    return t;
                });
                timer.scheduleWithFixedDelay(this::sweep, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
            }
        }
    }

    void sweep() {
        long now = System.nanoTime();
        for (Deadline d : pending.keySet()) {
            if (now - d.dueNanos >= 0 && pending.remove(d) != null) {
                try {
                    d.action.run();
                } catch (RuntimeException e) {
                    LOG.warn("a request's safety-net deadline failed", e);
                }
            }
        }
    }

    @Override
    public void close() {
        synchronized (timerLock) {
            closed = true;
            if (timer != null) {
                timer.shutdownNow();
                timer = null;
            }
        }
        pending.clear();
    }
}
