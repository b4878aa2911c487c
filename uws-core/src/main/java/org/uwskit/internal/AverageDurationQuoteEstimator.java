package org.uwskit.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.uwskit.Job;
import org.uwskit.JobList;
import org.uwskit.Phase;
import org.uwskit.spi.QuoteEstimator;

/**
 * The default {@link QuoteEstimator}: quote = now + the mean execution time (endTime − startTime) of the last
 * {@link #DEFAULT_WINDOW} COMPLETED jobs of the same job list and type; null ("don't know") until such a job
 * finished. Thread-safe, no I/O.
 */
public final class AverageDurationQuoteEstimator implements QuoteEstimator {
    /** How many recent jobs per type the mean is taken over. */
    public static final int DEFAULT_WINDOW = 20;

    private final int window;
    private final Map<String, Window> byType = new ConcurrentHashMap<>();

    public AverageDurationQuoteEstimator() {
        this(DEFAULT_WINDOW);
    }

    public AverageDurationQuoteEstimator(int window) {
        if (window < 1) {
            throw new IllegalArgumentException("window must be >= 1");
        }
        this.window = window;
    }

    @Override
    public Instant quote(Job job, JobList jobList, Instant now) {
        Window w = byType.get(key(job));
        Duration mean = w == null ? null : w.mean();
        return mean == null ? null : now.plus(mean);
    }

    @Override
    public void finished(Job job) {
        if (job.phase() != Phase.COMPLETED || job.startTime() == null || job.endTime() == null) {
            return;
        }
        Duration d = Duration.between(job.startTime(), job.endTime());
        if (!d.isNegative()) {
            byType.computeIfAbsent(key(job), k -> new Window(window)).add(d);
        }
    }

    private static String key(Job job) {
        return job.jobList() + '\u0000' + job.jobType();
    }

    private static final class Window {
        private final int size;
        private final Deque<Duration> recent = new ArrayDeque<>();
        private Duration sum = Duration.ZERO;

        Window(int size) {
            this.size = size;
        }

        synchronized void add(Duration d) {
            recent.addLast(d);
            sum = sum.plus(d);
            if (recent.size() > size) {
                sum = sum.minus(recent.removeFirst());
            }
        }

        synchronized Duration mean() {
            return recent.isEmpty() ? null : sum.dividedBy(recent.size());
        }
    }
}
