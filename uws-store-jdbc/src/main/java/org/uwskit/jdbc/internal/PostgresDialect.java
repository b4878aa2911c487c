package org.uwskit.jdbc.internal;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.uwskit.Job;
import org.uwskit.spi.JobChangeFeed.JobChange;

/**
 * PostgreSQL: claims with {@code FOR UPDATE SKIP LOCKED} in one statement, deletes with {@code RETURNING}, and
 * announces changes with {@code pg_notify} in the writing transaction (delivered to every node's LISTEN connection
 * at commit). Stateless.
 */
public final class PostgresDialect implements Dialect {

    PostgresDialect() {
    }

    @Override
    public String name() {
        return "POSTGRESQL";
    }

    @Override
    public String toString() {
        return name();
    }

    @Override
    public Map<String, String> placeholders(String tablePrefix) {
        return Map.of("prefix", tablePrefix, "text", "TEXT", "collate_c", "COLLATE \"C\"");
    }

    @Override
    public String flywaySchema(String schema) {
        return schema;
    }

    /** The claim statement (arguments: nodeId, leaseUntil, jobList, now, limit). */
    public static String claimSql(JobSql sql) {
        return "UPDATE " + sql.table() + JobSql.SET_LEASE + " WHERE job_id IN (SELECT job_id FROM " + sql.table()
                + JobSql.CLAIMABLE + " ORDER BY creation_time, job_id LIMIT ? FOR UPDATE SKIP LOCKED) RETURNING "
                + sql.allColumns();
    }

    @Override
    public List<Job> claim(Connection c, JobSql sql, String jobList, String nodeId, Instant now, Instant leaseUntil,
                           int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(claimSql(sql))) {
            ps.setString(1, nodeId);
            JobCodec.setInstant(ps, 2, leaseUntil);
            ps.setString(3, jobList);
            JobCodec.setInstant(ps, 4, now);
            ps.setInt(5, limit);
            try (ResultSet rs = ps.executeQuery()) {
                return sql.jobs(rs);
            }
        }
    }

    @Override
    public String delete(Connection c, JobSql sql, String jobId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + sql.table()
                + " WHERE job_id = ? RETURNING job_list")) {
            ps.setString(1, jobId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    @Override
    public boolean hasNotify() {
        return true;
    }

    /** Payloads sent per pg_notify statement (one array parameter each). */
    static final int NOTIFY_CHUNK = 10_000;

    @Override
    public void announce(Connection c, String channel, List<JobChange> changes) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(pg_notify(?, p)) FROM unnest(?) AS p")) {
            for (int from = 0; from < changes.size(); from += NOTIFY_CHUNK) {
                String[] payloads = changes.subList(from, Math.min(changes.size(), from + NOTIFY_CHUNK)).stream()
                        .map(ChangePayload::encode).toArray(String[]::new);
                Array arr = c.createArrayOf("text", payloads);
                try {
                    ps.setString(1, channel);
                    ps.setArray(2, arr);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                    }
                } finally {
                    arr.free();
                }
            }
        }
    }
}
