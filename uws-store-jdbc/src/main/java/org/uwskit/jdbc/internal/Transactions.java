package org.uwskit.jdbc.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.uwskit.spi.JobChangeFeed.JobChange;

/**
 * The JDBC store's unit of work: one connection, one transaction, committed or rolled back, SQL failures translated
 * ({@link SqlErrors}). The changes a write records are announced as its {@link Dialect} does: NOTIFYed in the same
 * transaction (PostgreSQL), or published in-process after the commit (H2). Thread-safe.
 */
public final class Transactions {
    /** Work that only reads. */
    @FunctionalInterface
    public interface Read<T> {
        T run(Connection c) throws SQLException;
    }

    /** Work that writes and records the changes it made. */
    @FunctionalInterface
    public interface Write<T> {
        T run(Connection c, List<JobChange> changes) throws SQLException;
    }

    private final DataSource dataSource;
    private final Dialect dialect;
    private final String channel;
    private final ChangeFanout fanout;

    /**
     * @param dataSource where connections come from
     * @param dialect    the database's dialect
     * @param channel    the notification channel (PostgreSQL)
     * @param fanout     the in-process delivery of changes (H2)
     */
    public Transactions(DataSource dataSource, Dialect dialect, String channel, ChangeFanout fanout) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.channel = channel;
        this.fanout = fanout;
    }

    /**
     * Runs read-only {@code work} of one statement in autocommit mode: one round trip to the database instead of
     * two (BEGIN sent with the statement, then COMMIT) on PostgreSQL. A connection handed out with autocommit off (a
     * host pool) is switched for the call and back; neither switch talks to the database while no transaction is
     * open. Work of several statements that must see one snapshot belongs in {@link #write}.
     *
     * @param action what the work does, for the message of a failure
     * @throws org.uwskit.StoreUnavailableException if the database cannot be reached
     */
    public <T> T read(String action, Read<T> work) {
        try (Connection c = dataSource.getConnection()) {
            boolean wasAuto = c.getAutoCommit();
            if (!wasAuto) {
                c.setAutoCommit(true);
            }
            try {
                return work.run(c);
            } finally {
                if (!wasAuto) {
                    try {
                        c.setAutoCommit(false);
                    } catch (SQLException ignored) {
                        // the pool discards a broken connection
                    }
                }
            }
        } catch (SQLException e) {
            throw SqlErrors.translate(e, action);
        }
    }

    /**
     * Runs {@code work} in one transaction. On PostgreSQL the changes it records are NOTIFYed in that same
     * transaction; on H2 they are published in-process after the commit.
     *
     * @param action what the work does, for the message of a failure
     * @throws org.uwskit.StoreUnavailableException if the database cannot be reached
     */
    public <T> T write(String action, Write<T> work) {
        List<JobChange> changes = new ArrayList<>(1);
        T result;
        try (Connection c = dataSource.getConnection()) {
            boolean wasAuto = c.getAutoCommit();
            if (wasAuto) {
                c.setAutoCommit(false);
            }
            try {
                result = work.run(c, changes);
                if (dialect.hasNotify() && !changes.isEmpty()) {
                    dialect.announce(c, channel, changes);
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException r) {
                    e.addSuppressed(r);
                }
                throw e;
            } finally {
                if (wasAuto) {
                    try {
                        c.setAutoCommit(true);
                    } catch (SQLException ignored) {
                        // the pool discards a broken connection
                    }
                }
            }
        } catch (SQLException e) {
            throw SqlErrors.translate(e, action);
        }
        if (!dialect.hasNotify()) {
            fanout.publishAsync(changes);
        }
        return result;
    }
}
