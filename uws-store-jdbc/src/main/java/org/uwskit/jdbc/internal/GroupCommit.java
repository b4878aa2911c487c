package org.uwskit.jdbc.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.uwskit.StoreUnavailableException;

/**
 * Group commit of the store's inserts: callers hand their job to one owned, named writer thread and wait; the
 * writer takes every insert that is waiting (at most {@code maxBatch}) and stores them in one transaction, so that
 * concurrent creations share one commit (one H2 chunk write, one PostgreSQL WAL flush and three round trips instead
 * of three per job). Each caller returns once its own job is committed, or gets its own failure:
 *
 * <ul>
 *   <li>if the batch fails for a reason other than {@link StoreUnavailableException} (a duplicate id, a value too
 *       long), the writer rolls it back and stores each job of the batch in its own transaction, so that only the
 *       faulty job's caller gets the error;</li>
 *   <li>if the store is unavailable, every caller of the batch gets that exception (nothing of the batch was
 *       committed);</li>
 *   <li>a full queue (the database is slower than the callers for longer than {@code offerTimeout}) gives
 *       {@link StoreUnavailableException} without queueing the job.</li>
 * </ul>
 *
 * <p>Durability is the database's for each commit: a caller returns only after the commit holding its job.
 * Thread-safe. The writer starts with the first insert; {@link #close()} refuses new inserts, lets the writer
 * store every insert already queued, and waits for it.
 */
public final class GroupCommit<T> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommit.class);
    /** How often an idle writer checks whether it is closed, and a waiting caller whether the writer still runs. */
    private static final long POLL_MILLIS = 200;
    /** The longest {@link #close()} waits for the writer to commit what is queued. */
    static final Duration CLOSE_WAIT = Duration.ofSeconds(30);

    /** Stores rows in one transaction; throws as the store does (the batch is all or nothing). */
    @FunctionalInterface
    public interface BatchWriter<T> {
        void insert(List<T> rows);
    }

    private record Pending<T>(T row, CompletableFuture<Void> done) {
    }

    private final BlockingQueue<Pending<T>> queue;
    private final BatchWriter<T> writer;
    private final int maxBatch;
    private final Duration offerTimeout;
    private final String threadName;
    private Thread thread;
    private volatile boolean closed;

    /**
     * @param writer        stores a batch in one transaction
     * @param queueCapacity how many inserts may wait for the writer
     * @param maxBatch      the most jobs in one transaction
     * @param offerTimeout  how long a caller waits for room in a full queue
     * @param threadName    the writer thread's name
     */
    public GroupCommit(BatchWriter<T> writer, int queueCapacity, int maxBatch, Duration offerTimeout, String threadName) {
        if (queueCapacity < 1 || maxBatch < 1) {
            throw new IllegalArgumentException("queueCapacity and maxBatch must be >= 1");
        }
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.writer = writer;
        this.maxBatch = maxBatch;
        this.offerTimeout = offerTimeout;
        this.threadName = threadName;
    }

    /**
     * Stores {@code row} in the next group commit and returns once it is committed.
     *
     * @param row  what to store (a job, or a job with its JSON documents written)
     * @param what the action, for the message of a full queue ("inserting job x")
     * @throws IllegalStateException     if a job with its id exists, or the group commit is closed
     * @throws StoreUnavailableException if the database cannot be reached or the queue stays full
     */
    public void insert(T row, String what) {
        Pending<T> p = new Pending<>(row, new CompletableFuture<>());
        Thread w = start();
        boolean interrupted = false;
        try {
            boolean queued;
            while (true) {
                try {
                    queued = queue.offer(p, offerTimeout.toMillis(), TimeUnit.MILLISECONDS);
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (!queued) {
                throw new StoreUnavailableException("the job store is unavailable (" + what + "): " + queue.size() + " inserts are waiting for the database", null);
            }
            while (true) {
                try {
                    p.done().get(POLL_MILLIS, TimeUnit.MILLISECONDS);
                    return;
                } catch (ExecutionException e) {
                    throw rethrow(e.getCause());
                } catch (TimeoutException e) {
                    // a writer that ended never takes what is still queued: whatever it took, it completed
                    if (!w.isAlive() && queue.remove(p)) {
                        throw closedException();
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private synchronized Thread start() {
        if (closed) {
            throw closedException();
        }
        if (thread == null) {
            thread = new Thread(this::run, threadName);
            thread.setDaemon(true);
            thread.setContextClassLoader(GroupCommit.class.getClassLoader());
            thread.start();
        }
        return thread;
    }

    private IllegalStateException closedException() {
        return new IllegalStateException("the job store is closed (" + threadName + ")");
    }

    /** How many inserts wait for the writer now (not counting the batch it is storing). */
    int waiting() {
        return queue.size();
    }

    private void run() {
        List<Pending<T>> batch = new ArrayList<>(maxBatch);
        while (true) {
            Pending<T> first;
            try {
                first = queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                first = null; // close() does not interrupt; an interrupt from elsewhere only re-checks
            }
            if (first == null) {
                if (closed && queue.isEmpty()) {
                    return;
                }
                continue;
            }
            batch.add(first);
            queue.drainTo(batch, maxBatch - 1);
            commit(batch);
            batch.clear();
        }
    }

    private void commit(List<Pending<T>> batch) {
        try {
            writer.insert(batch.stream().map(Pending::row).toList());
            batch.forEach(p -> p.done().complete(null));
            return;
        } catch (StoreUnavailableException e) {
            batch.forEach(p -> p.done().completeExceptionally(e));
            return;
        } catch (Throwable e) {
            if (batch.size() == 1) {
                batch.get(0).done().completeExceptionally(e);
                return;
            }
            LOG.debug("group commit of {} jobs failed ({}); storing them one by one", batch.size(), e.toString());
        }
        for (Pending<T> p : batch) {
            try {
                writer.insert(List.of(p.row()));
                p.done().complete(null);
            } catch (Throwable e) {
                p.done().completeExceptionally(e);
            }
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }

    /**
     * Refuses new inserts, lets the writer commit those already queued, and waits for it (at most
     * {@link #CLOSE_WAIT}); inserts still queued after that fail with IllegalStateException. Idempotent.
     */
    @Override
    public void close() {
        Thread w;
        synchronized (this) {
            closed = true;
            w = thread;
        }
        if (w == null || w == Thread.currentThread()) {
            return;
        }
        boolean interrupted = false;
        long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
        while (w.isAlive() && System.nanoTime() < deadline) {
            try {
                w.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (w.isAlive()) {
            LOG.warn("{} still writing after {}; closing without it", threadName, CLOSE_WAIT);
        }
        for (Pending<T> p; (p = queue.poll()) != null; ) {
            p.done().completeExceptionally(closedException());
        }
    }
}
