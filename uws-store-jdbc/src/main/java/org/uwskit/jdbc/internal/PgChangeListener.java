package org.uwskit.jdbc.internal;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.uwskit.spi.JobChangeFeed.JobChange;

/**
 * Listens on a PostgreSQL channel with one dedicated connection and one owned, named thread, and hands each
 * notification to the fan-out. When the connection breaks it reconnects with exponential back-off (from
 * {@code minBackoff} doubling up to {@code maxBackoff}); changes made while it was disconnected are not replayed:
 * instead, once it LISTENs again after a lost connection (or after a first LISTEN that had failed), it hands the
 * fan-out {@link JobChange#resync()} so that subscribers re-read what they wait for. {@link #close()} is idempotent
 * and waits at most about two seconds.
 */
public final class PgChangeListener implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PgChangeListener.class);
    private static final int POLL_MILLIS = 250;

    private final DataSource dataSource;
    private final String channel;
    private final ChangeFanout fanout;
    private final Duration minBackoff;
    private final Duration maxBackoff;
    private final Thread thread;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition stopped = lock.newCondition();
    private final CountDownLatch firstListen = new CountDownLatch(1);
    private volatile boolean closed;
    private volatile boolean listening;

    public PgChangeListener(DataSource dataSource, String channel, ChangeFanout fanout, Duration minBackoff,
                            Duration maxBackoff, String threadName) {
        this.dataSource = dataSource;
        this.channel = channel;
        this.fanout = fanout;
        this.minBackoff = minBackoff;
        this.maxBackoff = maxBackoff;
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
        this.thread.setContextClassLoader(PgChangeListener.class.getClassLoader());
    }

    public void start() {
        thread.start();
    }

    /**
     * Waits until the channel has been LISTENed to once (or the listener was closed), at most {@code timeout}.
     *
     * @return whether it has; false after the timeout or when interrupted (the interrupt flag is kept)
     */
    public boolean awaitFirstListen(Duration timeout) {
        try {
            return firstListen.await(timeout.toNanos(), TimeUnit.NANOSECONDS) && !closed;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Whether the LISTEN connection is currently established (for tests and health checks). */
    public boolean isListening() {
        return listening;
    }

    private void run() {
        long backoff = minBackoff.toMillis();
        // whether changes may have gone unreported since the last LISTEN (or since the first attempt)
        boolean gap = false;
        while (!closed) {
            Connection c = null;
            try {
                c = dataSource.getConnection();
                c.setAutoCommit(true);
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN \"" + channel + "\"");
                }
                PGConnection pg = c.unwrap(PGConnection.class);
                listening = true;
                firstListen.countDown();
                backoff = minBackoff.toMillis();
                LOG.debug("listening on channel {}", channel);
                if (gap) {
                    gap = false;
                    fanout.deliver(JobChange.resync());
                }
                while (!closed) {
                    PGNotification[] ns = pg.getNotifications(POLL_MILLIS);
                    if (ns == null) {
                        // some drivers return null instead of blocking on a broken connection
                        if (c.isClosed()) {
                            throw new SQLException("listener connection closed", "08003");
                        }
                        continue;
                    }
                    for (PGNotification n : ns) {
                        JobChange change = ChangePayload.decode(n.getParameter());
                        if (change != null) {
                            fanout.deliver(change);
                        }
                    }
                }
                // a host application's pool gets the connection back: it must stop collecting notifications
                try (Statement s = c.createStatement()) {
                    s.execute("UNLISTEN \"" + channel + "\"");
                }
                c.close();
            } catch (SQLException | RuntimeException e) {
                listening = false;
                gap = true;
                if (c != null) {
                    discard(c);
                }
                if (closed) {
                    break;
                }
                LOG.warn("job change listener lost its connection ({}); retrying in {} ms", e.getMessage(), backoff);
                pause(backoff);
                backoff = Math.min(maxBackoff.toMillis(), backoff * 2);
            }
        }
        listening = false;
        firstListen.countDown();
    }

    /**
     * Takes a connection that failed while listening out of the pool for good. The failure came through the
     * unwrapped driver connection, which the pool's proxy does not see: closing it normally would give the dead
     * session back to a HikariCP pool as healthy, and within its alive-bypass window the pool would lend it to the
     * next request, which would fail with an I/O error although the database is up. A HikariCP pool evicts it
     * (which closes it; the proxy must then not be closed, HikariCP 5.1 fails resetting a removed entry). Other
     * pools get it closed and rely on their own validation.
     */
    private void discard(Connection c) {
        try {
            if (dataSource instanceof HikariDataSource hikari) {
                hikari.evictConnection(c);
            } else {
                c.close();
            }
        } catch (SQLException | RuntimeException e) {
            LOG.debug("discarding the failed listener connection failed", e);
        }
    }

    private void pause(long millis) {
        lock.lock();
        try {
            long nanos = TimeUnit.MILLISECONDS.toNanos(millis);
            while (!closed && nanos > 0) {
                nanos = stopped.awaitNanos(nanos);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        closed = true;
        firstListen.countDown();
        lock.lock();
        try {
            stopped.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("job change listener thread {} did not stop within 2 s", thread.getName());
        }
    }
}
