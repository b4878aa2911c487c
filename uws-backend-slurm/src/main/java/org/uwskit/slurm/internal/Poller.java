package org.uwskit.slurm.internal;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The poll thread of a SLURM backend, {@code uws-slurm-<name>-poll}: runs a poll cycle every poll interval, at once
 * when woken (a submission, an abort), and in a short burst after a callback hint. A hint makes the thread poll now
 * and then again after 50, 100, 200, 400 ms and every 800 ms until the hinted job shows what the hint said (it
 * runs, or it ended) or {@value #BURST_MILLIS} ms passed: a batch script posts "ended" just before it exits, so
 * SLURM may still report the job RUNNING at the first poll. Every cycle is one batched call for all jobs, hints from
 * many jobs share the cycles, and two cycles are at least {@value #MIN_SPACING_MILLIS} ms apart. Thread-safe.
 */
public final class Poller {
    private static final Logger LOG = LoggerFactory.getLogger(Poller.class);
    /** How long a hint keeps the poll fast. */
    public static final long BURST_MILLIS = 3_000;
    /** The least time between two poll cycles. */
    public static final long MIN_SPACING_MILLIS = 50;
    private static final long FIRST_STEP_MILLIS = 50;
    private static final long LONGEST_STEP_MILLIS = 800;

    /** Whether a hinted job shows what its hint said (then the burst for it ends). */
    public interface Seen {
        /** @param jobId a hinted job @param ended whether it was an "ended" hint @return whether the poll saw it */
        boolean seen(String jobId, boolean ended);
    }

    private record Hint(boolean ended, long deadline) {
    }

    private final String name;
    private final Duration interval;
    private final Runnable cycle;
    private final Seen seen;
    private final Object wake = new Object();
    private final Map<String, Hint> hot = new ConcurrentHashMap<>();
    private final Thread thread;
    private boolean wakeRequested;
    private long step;
    private volatile boolean closed;

    /**
     * @param name     the backend's name, for the thread and logs
     * @param interval the time between two polls
     * @param cycle    one poll cycle
     * @param seen     tells whether the poll saw what a hint said
     */
    public Poller(String name, Duration interval, Runnable cycle, Seen seen) {
        this.name = name;
        this.interval = interval;
        this.cycle = cycle;
        this.seen = seen;
        thread = new Thread(this::loop, "uws-slurm-" + name + "-poll");
        thread.setDaemon(true);
    }

    /** Starts the thread. */
    public void start() {
        thread.start();
    }

    /** Polls as soon as the spacing allows. */
    public void wake() {
        synchronized (wake) {
            wakeRequested = true;
            wake.notifyAll();
        }
    }

    /**
     * A callback said a job started or ended: polls now, then in a short burst until the poll sees it.
     *
     * @param jobId the job
     * @param ended whether it ended (else it started)
     */
    public void hint(String jobId, boolean ended) {
        hot.merge(jobId, new Hint(ended, System.nanoTime() + BURST_MILLIS * 1_000_000),
                (a, b) -> new Hint(a.ended || b.ended, b.deadline));
        synchronized (wake) {
            step = FIRST_STEP_MILLIS;
            wakeRequested = true;
            wake.notifyAll();
        }
    }

    /** @return the number of jobs whose hint keeps the poll fast now (for tests) */
    public int hotJobs() {
        return hot.size();
    }

    private void loop() {
        long lastCycle = System.nanoTime() - MIN_SPACING_MILLIS * 1_000_000;
        while (!closed) {
            try {
                synchronized (wake) {
                    if (!wakeRequested) {
                        wake.wait(hot.isEmpty() ? interval.toMillis() : step);
                        if (!hot.isEmpty()) {
                            step = Math.min(step * 2, LONGEST_STEP_MILLIS);
                        }
                    }
                    wakeRequested = false;
                }
                long since = (System.nanoTime() - lastCycle) / 1_000_000;
                if (since < MIN_SPACING_MILLIS) {
                    Thread.sleep(MIN_SPACING_MILLIS - since);
                }
                if (closed) {
                    return;
                }
                lastCycle = System.nanoTime();
                cycle.run();
                cool();
                if (LOG.isDebugEnabled() && !hot.isEmpty()) {
                    LOG.debug("SLURM backend {}: hints not seen yet: {}", name, hot.keySet());
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warn("SLURM backend {}: a poll failed", name, e);
            }
        }
    }

    /** Ends the burst of the jobs the poll saw, or whose burst is over. */
    private void cool() {
        long now = System.nanoTime();
        hot.entrySet().removeIf(e -> now - e.getValue().deadline > 0 || seen.seen(e.getKey(), e.getValue().ended));
    }

    /** Stops the thread; waits at most a few seconds for it. */
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
