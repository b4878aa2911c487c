package org.uwskit.jdbc.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.uwskit.spi.JobChangeFeed.JobChange;

/**
 * The subscribers of a store's change feed. {@link #deliver} calls them on the caller's thread (the PostgreSQL
 * listener thread); {@link #publishAsync} hands the change to one owned, named delivery thread (for in-process
 * notifications after a commit, so that a committing request never runs subscriber code). Listener exceptions are
 * logged and ignored. Thread-safe; {@link #close()} is idempotent and waits at most one second.
 */
public final class ChangeFanout implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChangeFanout.class);
    /** Changes waiting for the delivery thread; beyond this they are dropped (subscribers also poll). */
    public static final int MAX_PENDING = 100_000;

    /** Set when changes were dropped; the next delivery starts with {@link JobChange#resync()}. */
    private final java.util.concurrent.atomic.AtomicBoolean dropped = new java.util.concurrent.atomic.AtomicBoolean();
    private final List<Consumer<JobChange>> subscribers = new CopyOnWriteArrayList<>();
    private final String threadName;
    private ExecutorService delivery;
    private boolean closed;

    public ChangeFanout(String threadName) {
        this.threadName = threadName;
    }

    /** Adds a subscriber; closing the handle removes it. */
    public AutoCloseable add(Consumer<JobChange> listener) {
        subscribers.add(listener);
        return () -> subscribers.remove(listener);
    }

    public boolean hasSubscribers() {
        return !subscribers.isEmpty();
    }

    /** Calls every subscriber now, on this thread. */
    public void deliver(JobChange change) {
        for (Consumer<JobChange> s : subscribers) {
            try {
                s.accept(change);
            } catch (RuntimeException e) {
                LOG.warn("job change listener failed on {}", change, e);
            }
        }
    }

    /** Queues the changes for the delivery thread, if anyone listens. */
    public void publishAsync(List<JobChange> changes) {
        if (subscribers.isEmpty() || changes.isEmpty()) {
            return;
        }
        ExecutorService ex = executor();
        if (ex == null) {
            return;
        }
        try {
            ex.execute(() -> {
                // a burst dropped earlier is a gap in the feed: subscribers re-read what they wait on
                if (dropped.getAndSet(false)) {
                    deliver(JobChange.resync());
                }
                changes.forEach(this::deliver);
            });
        } catch (RejectedExecutionException e) {
            dropped.set(true);
            LOG.warn("job change feed overloaded or closed; dropped {} change(s), a resync follows", changes.size());
        }
    }

    private synchronized ExecutorService executor() {
        if (closed) {
            return null;
        }
        if (delivery == null) {
            delivery = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(MAX_PENDING),
                    r -> {
                        Thread t = new Thread(r, threadName);
                        t.setDaemon(true);
                        t.setContextClassLoader(ChangeFanout.class.getClassLoader());
                        return t;
                    });
        }
        return delivery;
    }

    @Override
    public void close() {
        ExecutorService ex;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            ex = delivery;
        }
        subscribers.clear();
        if (ex != null) {
            ex.shutdownNow();
            try {
                ex.awaitTermination(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
