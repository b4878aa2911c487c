package org.uwskit.jdbc.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.uwskit.Job;
import org.uwskit.spi.JobChangeFeed.JobChange;

/**
 * Everything the JDBC store does differently per database, in one type (as db-scheduler's
 * {@code JdbcCustomization}): the column types of the migrations, how schema names fold, how QUEUED jobs are
 * claimed, how a row is deleted and its job list learnt, and how committed changes are announced. Everything else
 * is plain SQL that every supported database accepts ({@link JobSql}). Implementations are stateless and
 * thread-safe; their methods run inside the store's transaction and never commit.
 */
public interface Dialect {
    /** H2, embedded (one process). */
    Dialect H2 = new H2Dialect();
    /** PostgreSQL (any number of nodes on one database). */
    Dialect POSTGRESQL = new PostgresDialect();

    /**
     * The dialect of a database product name as JDBC metadata reports it.
     *
     * @throws IllegalArgumentException for a database the store does not support
     */
    static Dialect of(String productName) {
        String p = productName == null ? "" : productName.toLowerCase(Locale.ROOT);
        if (p.contains("postgres")) {
            return POSTGRESQL;
        }
        if (p.equals("h2")) {
            return H2;
        }
        throw new IllegalArgumentException("the uwskit JDBC store supports H2 and PostgreSQL, not '" + productName + "'");
    }

    /** @return the database's name: {@code "H2"} or {@code "POSTGRESQL"} */
    String name();

    /** Flyway placeholders for the migration scripts. */
    Map<String, String> placeholders(String tablePrefix);

    /** A schema name as Flyway must quote it (unquoted identifiers fold differently per database). */
    String flywaySchema(String schema);

    /**
     * Claims up to {@code limit} QUEUED jobs of a job list without a lease, or whose lease expired before
     * {@code now}: sets the lease to {@code nodeId} until {@code leaseUntil}, clears its backend, increments the
     * version, and returns the claimed jobs. Concurrent claimers never claim the same job.
     */
    List<Job> claim(Connection c, JobSql sql, String jobList, String nodeId, Instant now, Instant leaseUntil,
                    int limit) throws SQLException;

    /**
     * Deletes a job's row.
     *
     * @return the deleted job's job list, or null if there was no such row
     */
    String delete(Connection c, JobSql sql, String jobId) throws SQLException;

    /**
     * Whether committed changes reach other nodes through the database ({@link #announce}); otherwise the store
     * publishes them in-process after the commit.
     */
    boolean hasNotify();

    /** Announces {@code changes} on {@code channel} in the current transaction (only when {@link #hasNotify()}). */
    void announce(Connection c, String channel, List<JobChange> changes) throws SQLException;
}
