package org.uwskit.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.uwskit.spi.SteppedClock;

/**
 * A timer driven by the service's injected {@link Clock}, not by wall time: a task scheduled after a delay runs
 * once the clock has reached its due instant. One owned daemon thread (started at the first task, named as given)
 * sleeps until the earliest due instant as the clock tells it, reading the clock again at least every
 * {@link #MAX_SLEEP}; a {@link SteppedClock} (a test's settable clock) also runs every due task on the thread that
 * moved it, at once, so tests of timeouts need no sleeping. Not API.
 *
 * <p>Thread-safe. Tasks run on the timer thread or on a thread that moved a stepped clock; they must be quick.
 */
final class ClockTimer implements AutoCloseable {
    /** The longest the timer thread sleeps before reading a clock that does not tell of its moves again. */
    static final Duration MAX_SLEEP = Duration.ofSeconds(1);
    /** Cancelled tasks are purged from the queue when they are this many and half of it. */
    private static final int PURGE_AT = 1024;
    private static final Logger LOG = LoggerFactory.getLogger(ClockTimer.class);

    private final Clock clock;
    private final String threadName;
    private final PriorityQueue<Task> queue = new PriorityQueue<>(
            Comparator.comparing((Task t) -> t.due).thenComparingLong(t -> t.seq));
    private final AtomicLong seq = new AtomicLong();
    private final AutoCloseable stepListener;
    private Thread thread;
    /** Tasks the timer thread has taken off the queue and not finished running yet. */
    private int inFlight;
    private int cancelled;
    private boolean closed;

    /** A scheduled task; {@link #cancel()} keeps it from running. */
    final class Task {
        final Instant due;
        final long seq;
        final Runnable action;
        private boolean done;

        Task(Instant due, Runnable action) {
            this.due = due;
            this.seq = ClockTimer.this.seq.incrementAndGet();
            this.action = action;
        }

        /** Keeps the task from running if it has not run yet. Idempotent. */
        void cancel() {
            synchronized (ClockTimer.this) {
                if (!done) {
                    done = true;
                    cancelled++;
                    if (cancelled >= PURGE_AT && cancelled * 2 >= queue.size()) {
                        queue.removeIf(t -> t.done);
                        cancelled = 0;
                    }
                }
            }
        }
    }

    /**
     * @param clock      the clock due instants are read from
     * @param threadName the name of the timer's thread
     */
    ClockTimer(Clock clock, String threadName) {
        this.clock = clock;
        this.threadName = threadName;
        this.stepListener = clock instanceof SteppedClock s ? s.onStep(this::runDue) : null;
    }

    /**
     * Runs {@code action} once the clock has moved {@code delay} past now.
     *
     * @return the task, or null if the timer is closed
     */
    synchronized Task schedule(Duration delay, Runnable action) {
        if (closed) {
            return null;
        }
        Task t = new Task(clock.instant().plus(delay), action);
        queue.add(t);
        start();
        if (queue.peek() == t) {
            // only a new earliest task changes how long the thread sleeps: 10,000 waiters registering do not wake
            // it 10,000 times
            notifyAll();
        }
        return t;
    }

    /**
     * Runs {@code action} on the timer thread soon (not on the caller's thread).
     *
     * @return false if the timer is closed
     */
    synchronized boolean execute(Runnable action) {
        if (closed) {
            return false;
        }
        queue.add(new Task(Instant.MIN, action));
        start();
        notifyAll();
        return true;
    }

    private void start() {
        if (thread == null) {
            thread = new Thread(this::loop, threadName);
            thread.setDaemon(true);
            // created lazily, perhaps on a request thread: do not inherit the container's web-app class loader
            thread.setContextClassLoader(ClockTimer.class.getClassLoader());
            thread.start();
        }
    }

    /**
     * Runs every task due at the clock's now on the caller's thread, then waits for those the timer thread took
     * meanwhile (it may have read the moved clock first), so that every task due when the clock moved has run when
     * the move returns.
     */
    void runDue() {
        List<Task> due;
        synchronized (this) {
            due = takeDue();
            notifyAll();
        }
        run(due);
        synchronized (this) {
            boolean interrupted = false;
            while (inFlight > 0 && !closed && Thread.currentThread() != thread) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                    break;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The tasks due now, taken off the queue. Holds the monitor. */
    private List<Task> takeDue() {
        List<Task> due = new ArrayList<>();
        Instant now = clock.instant();
        while (!queue.isEmpty() && !queue.peek().due.isAfter(now)) {
            Task t = queue.poll();
            if (t.done) {
                cancelled = Math.max(0, cancelled - 1);
            } else {
                t.done = true;
                due.add(t);
            }
        }
        return due;
    }

    private void run(List<Task> due) {
        for (Task t : due) {
            try {
                t.action.run();
            } catch (RuntimeException e) {
                LOG.warn("timer task failed", e);
            }
        }
    }

    private void loop() {
        while (true) {
            List<Task> due;
            synchronized (this) {
                while (true) {
                    if (closed) {
                        return;
                    }
                    due = takeDue();
                    if (!due.isEmpty()) {
                        inFlight = due.size();
                        break;
                    }
                    try {
                        if (queue.isEmpty()) {
                            wait();
                        } else {
                            long ms = Duration.between(clock.instant(), queue.peek().due).toMillis();
                            wait(Math.max(1, Math.min(ms, MAX_SLEEP.toMillis())));
                        }
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
            try {
                run(due);
            } finally {
                synchronized (this) {
                    inFlight = 0;
                    notifyAll();
                }
            }
        }
    }

    /** Drops every task and stops the thread. Idempotent. */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            queue.clear();
            t = thread;
            notifyAll();
        }
        if (stepListener != null) {
            try {
                stepListener.close();
            } catch (Exception e) {
                LOG.debug("removing the clock's step listener failed", e);
            }
        }
        if (t != null) {
            t.interrupt();
        }
    }
}
