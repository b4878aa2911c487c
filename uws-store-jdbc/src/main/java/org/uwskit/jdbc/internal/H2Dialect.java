package org.uwskit.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.uwskit.Job;
import org.uwskit.spi.JobChangeFeed.JobChange;

/**
 * H2 (embedded, one process): no {@code SKIP LOCKED}, so a claim selects candidates and updates each with a
 * compare-and-set on its version and the claim conditions; deletes lock the row first to learn its job list; there
 * is no NOTIFY (the store publishes changes in-process after the commit). Stateless.
 */
final class H2Dialect implements Dialect {
    /** How often a claim re-selects after losing every candidate to a concurrent claimer. */
    static final int CLAIM_ATTEMPTS = 20;

    @Override
    public String name() {
        return "H2";
    }

    @Override
    public String toString() {
        return name();
    }

    @Override
    public Map<String, String> placeholders(String tablePrefix) {
        return Map.of("prefix", tablePrefix, "text", "CHARACTER LARGE OBJECT", "collate_c", "");
    }

    @Override
    public String flywaySchema(String schema) {
        return schema.toUpperCase(Locale.ROOT);
    }

    @Override
    public List<Job> claim(Connection c, JobSql sql, String jobList, String nodeId, Instant now, Instant leaseUntil,
                           int limit) throws SQLException {
        List<Job> out = new ArrayList<>();
        // the update re-checks version and claim conditions, so a concurrent claimer wins the row and this one
        // re-selects instead of returning empty while claimable jobs remain
        for (int attempt = 0; attempt < CLAIM_ATTEMPTS && out.isEmpty(); attempt++) {
            List<String> ids = new ArrayList<>();
            List<Long> versions = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT job_id, version FROM " + sql.table()
                    + JobSql.CLAIMABLE + " ORDER BY creation_time, job_id LIMIT ?")) {
                ps.setString(1, jobList);
                JobCodec.setInstant(ps, 2, now);
                ps.setInt(3, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                        versions.add(rs.getLong(2));
                    }
                }
            }
            if (ids.isEmpty()) {
                break;
            }
            try (PreparedStatement upd = c.prepareStatement("UPDATE " + sql.table() + JobSql.SET_LEASE
                    + JobSql.CLAIMABLE + " AND job_id = ? AND version = ?");
                 PreparedStatement sel = c.prepareStatement(sql.selectByIdSql())) {
                for (int k = 0; k < ids.size(); k++) {
                    upd.setString(1, nodeId);
                    JobCodec.setInstant(upd, 2, leaseUntil);
                    upd.setString(3, jobList);
                    JobCodec.setInstant(upd, 4, now);
                    upd.setString(5, ids.get(k));
                    upd.setLong(6, versions.get(k));
                    if (upd.executeUpdate() == 1) {
                        sel.setString(1, ids.get(k));
                        try (ResultSet rs = sel.executeQuery()) {
                            out.addAll(sql.jobs(rs));
                        }
                    }
                }
            }
        }
        return out;
    }

    @Override
    public String delete(Connection c, JobSql sql, String jobId) throws SQLException {
        String jobList;
        try (PreparedStatement ps = c.prepareStatement("SELECT job_list FROM " + sql.table()
                + " WHERE job_id = ? FOR UPDATE")) {
            ps.setString(1, jobId);
            try (ResultSet rs = ps.executeQuery()) {
                jobList = rs.next() ? rs.getString(1) : null;
            }
        }
        if (jobList != null) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + sql.table() + " WHERE job_id = ?")) {
                ps.setString(1, jobId);
                if (ps.executeUpdate() == 0) {
                    jobList = null;
                }
            }
        }
        return jobList;
    }

    @Override
    public boolean hasNotify() {
        return false;
    }

    @Override
    public void announce(Connection c, String channel, List<JobChange> changes) {
        throw new UnsupportedOperationException("H2 has no NOTIFY; changes are published in-process after commit");
    }
}
