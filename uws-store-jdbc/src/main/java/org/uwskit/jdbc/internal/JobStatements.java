package org.uwskit.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.uwskit.Job;
import org.uwskit.JobNotFoundException;
import org.uwskit.JobRef;
import org.uwskit.StaleVersionException;
import org.uwskit.spi.JobChangeFeed.JobChange;
import org.uwskit.spi.OwnerUsage;

/**
 * The statements of the JDBC store's reads and writes other than inserts ({@link JobInserts}), each run on a
 * connection the store's {@link Transactions} opened: the SQL both databases accept from {@link JobSql}, what
 * differs from the {@link Dialect}. A write records the change it made for the change feed. Not API. Thread-safe
 * (stateless but for its settings).
 */
public final class JobStatements {
    private final JobSql sql;
    private final Dialect dialect;
    private final int fetchSize;

    /**
     * @param sql       the statements of the store's table
     * @param dialect   the database's dialect (claims, deletes)
     * @param fetchSize the most rows fetched per round trip
     */
    public JobStatements(JobSql sql, Dialect dialect, int fetchSize) {
        this.sql = sql;
        this.dialect = dialect;
        this.fetchSize = fetchSize;
    }

    /** The job with this id, if stored. */
    public Optional<Job> get(Connection c, String jobId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql.selectByIdSql())) {
            ps.setString(1, jobId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(sql.codec().job(rs)) : Optional.empty();
            }
        }
    }

    /** The job refs a keyset query of {@link JobSql#listQuery} returns, at most {@code limit}. */
    public List<JobRef> list(Connection c, JobSql.Query q, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(q.sql())) {
            q.bindTo(ps);
            ps.setFetchSize(Math.min(limit, fetchSize));
            List<JobRef> out = new ArrayList<>(Math.min(limit, fetchSize));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(sql.codec().ref(rs));
                }
            }
            return out;
        }
    }

    /** One aggregate over the owner's rows (index job_owner_idx): stored, active and upload bytes together. */
    public OwnerUsage ownerUsage(Connection c, String jobList, String ownerId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql.ownerUsageSql(ownerId == null))) {
            ps.setString(1, jobList);
            if (ownerId != null) {
                ps.setString(2, ownerId);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new OwnerUsage(rs.getLong(1), rs.getLong(2), rs.getLong(3));
            }
        }
    }

    /** The number a count query of {@link JobSql#countQuery} returns. */
    public long count(Connection c, JobSql.Query q) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(q.sql())) {
            q.bindTo(ps);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * Stores {@code updated} if the stored row has the version before it (compare-and-set).
     *
     * @throws StaleVersionException if the row has another version
     * @throws JobNotFoundException  if there is no such row
     */
    public void update(Connection c, Job updated, List<JobChange> changes) throws SQLException {
        int n;
        try (PreparedStatement ps = c.prepareStatement(sql.updateSql())) {
            int i = sql.codec().bindMutable(ps, 1, updated);
            ps.setString(i++, updated.jobId());
            ps.setLong(i, updated.version() - 1);
            n = ps.executeUpdate();
        }
        if (n == 0) {
            try (PreparedStatement ps = c.prepareStatement(sql.existsSql())) {
                ps.setString(1, updated.jobId());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        throw new StaleVersionException(updated.jobId(), updated.version() - 1);
                    }
                    throw new JobNotFoundException(updated.jobId());
                }
            }
        }
        changes.add(new JobChange(updated.jobId(), updated.jobList(), updated.phase(), updated.version()));
    }

    /** Deletes the row; whether there was one. */
    public boolean delete(Connection c, String jobId, List<JobChange> changes) throws SQLException {
        String jobList = dialect.delete(c, sql, jobId);
        if (jobList == null) {
            return false;
        }
        changes.add(new JobChange(jobId, jobList, null, -1));
        return true;
    }

    /**
     * The whole jobs matching a condition of the housekeeping (argument: {@code now}), at most {@code limit}.
     *
     * @param condition the WHERE and ORDER BY text after {@code WHERE}, with one parameter for {@code now}
     */
    public List<Job> jobsWhere(Connection c, String condition, Instant now, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql.jobsWhereSql(condition))) {
            JobSql.bind(ps, List.of(now, limit));
            ps.setFetchSize(Math.min(limit, fetchSize));
            try (ResultSet rs = ps.executeQuery()) {
                return sql.jobs(rs);
            }
        }
    }

    /** Leases up to {@code limit} claimable QUEUED jobs of a list to {@code nodeId}, the dialect's way. */
    public List<Job> claim(Connection c, String jobList, String nodeId, Instant now, Instant leaseUntil, int limit,
                           List<JobChange> changes) throws SQLException {
        List<Job> out = dialect.claim(c, sql, jobList, nodeId, now, leaseUntil, limit);
        for (Job j : out) {
            changes.add(new JobChange(j.jobId(), j.jobList(), j.phase(), j.version()));
        }
        return out;
    }
}
