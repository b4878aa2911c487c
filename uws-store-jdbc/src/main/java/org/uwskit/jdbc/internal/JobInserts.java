package org.uwskit.jdbc.internal;

import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import org.uwskit.Job;
import org.uwskit.spi.JobChangeFeed.JobChange;

/**
 * The inserts of new jobs inside the store's transaction: one statement for one job, JDBC batches of
 * {@value #CHUNK} rows for more (one round trip per chunk on PostgreSQL). Stateless.
 */
public final class JobInserts {
    /** Rows sent per JDBC batch. */
    public static final int CHUNK = 1000;

    private JobInserts() {
    }

    /**
     * Inserts {@code jobs} in the current transaction and records one change per job.
     *
     * @throws IllegalStateException if a job with one of the ids exists (the caller rolls back)
     */
    public static void insert(Connection c, JobSql sql, Collection<? extends Job> jobs, List<JobChange> changes)
            throws SQLException {
        insertEncoded(c, sql, jobs.stream().map(sql.codec()::encode).toList(), changes);
    }

    /**
     * Inserts jobs whose JSON documents are already written, in the current transaction, and records one change
     * per job.
     *
     * @throws IllegalStateException if a job with one of the ids exists (the caller rolls back)
     */
    public static void insertEncoded(Connection c, JobSql sql, List<JobCodec.Encoded> jobs, List<JobChange> changes)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql.insertSql())) {
            if (jobs.size() == 1) {
                sql.codec().bindAll(ps, 1, jobs.get(0));
                ps.executeUpdate();
            } else {
                int n = 0;
                for (JobCodec.Encoded job : jobs) {
                    sql.codec().bindAll(ps, 1, job);
                    ps.addBatch();
                    if (++n % CHUNK == 0) {
                        ps.executeBatch();
                    }
                }
                if (n % CHUNK != 0) {
                    ps.executeBatch();
                }
            }
        } catch (SQLException e) {
            if (isDuplicateKey(e)) {
                throw new IllegalStateException(jobs.size() == 1
                        ? "a job with id '" + jobs.get(0).job().jobId() + "' already exists"
                        : "a job with one of the " + jobs.size() + " ids already exists (none was stored)");
            }
            throw e;
        }
        for (JobCodec.Encoded e : jobs) {
            Job job = e.job();
            changes.add(new JobChange(job.jobId(), job.jobList(), job.phase(), job.version()));
        }
    }

    private static boolean isDuplicateKey(SQLException e) {
        if (SqlErrors.isDuplicateKey(e)) {
            return true;
        }
        if (e instanceof BatchUpdateException) {
            for (SQLException n = e.getNextException(); n != null; n = n.getNextException()) {
                if (SqlErrors.isDuplicateKey(n)) {
                    return true;
                }
            }
        }
        return false;
    }
}
