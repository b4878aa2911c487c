package org.uwskit.jdbc.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.uwskit.Job;
import org.uwskit.JobFilter;
import org.uwskit.Phase;
import org.uwskit.spi.JobStore.Cursor;

/**
 * The SQL of one job table that every supported database accepts: inserts, compare-and-set updates, reads, keyset
 * list pages, counts, the housekeeping queries and the claim conditions. What differs between databases is in
 * {@link Dialect}. Immutable; thread-safe.
 */
public final class JobSql {
    /** The phases in which a job may hold a lease. */
    public static final String LEASED_PHASES = "('QUEUED','EXECUTING','SUSPENDED','HELD')";
    /** The condition of a claimable job (arguments: jobList, now). */
    public static final String CLAIMABLE = " WHERE job_list = ? AND phase = 'QUEUED'"
            + " AND (lease_node IS NULL OR lease_expires < ?)";
    /** The assignment of a new claim (arguments: nodeId, leaseUntil). */
    public static final String SET_LEASE = " SET lease_node = ?, lease_expires = ?, lease_backend = NULL,"
            + " lease_backend_ref = NULL, version = version + 1";

    /**
     * The lower bound of the housekeeping queries' instant ranges ({@code deadline >= EVER AND deadline <= ?}).
     * H2 2.x sorts NULLs first in an index and starts a {@code column <= ?} range at the first entry, so without a
     * lower bound each reaper query read every job without a deadline or lease (all PENDING and finished jobs)
     * once per housekeeping cycle; PostgreSQL needs no bound and ignores it.
     */
    public static final String EVER = "TIMESTAMP WITH TIME ZONE '0001-01-01 00:00:00+00'";

    private final String table;
    private final boolean forH2;
    private final JobCodec codec = new JobCodec();
    private final String allColumns = String.join(", ", JobCodec.COLUMNS);
    private final String insertSql;
    private final String updateSql;

    /** The SQL of a job table on PostgreSQL. */
    public JobSql(String table) {
        this(table, false);
    }

    /**
     * @param table the (possibly schema-qualified) job table
     * @param forH2 whether list pages are spelt for H2's planner (see {@link #listQuery})
     */
    public JobSql(String table, boolean forH2) {
        this.table = table;
        this.forH2 = forH2;
        this.insertSql = "INSERT INTO " + table + " (" + allColumns + ") VALUES ("
                + "?, ".repeat(JobCodec.COLUMNS.size() - 1) + "?)";
        StringBuilder set = new StringBuilder();
        for (String col : JobCodec.COLUMNS.subList(1, JobCodec.COLUMNS.size())) {
            set.append(set.length() == 0 ? "" : ", ").append(col).append(" = ?");
        }
        this.updateSql = "UPDATE " + table + " SET " + set + " WHERE job_id = ? AND version = ?";
    }

    /** @return the job table */
    public String table() {
        return table;
    }

    /** @return every column of a job, comma-separated */
    public String allColumns() {
        return allColumns;
    }

    /** @return the codec between jobs and rows */
    public JobCodec codec() {
        return codec;
    }

    /** @return the insert of a whole job */
    public String insertSql() {
        return insertSql;
    }

    /** @return the compare-and-set update (arguments: the mutable columns, job id, expected version) */
    public String updateSql() {
        return updateSql;
    }

    /** @return the read of one job by id */
    public String selectByIdSql() {
        return "SELECT " + allColumns + " FROM " + table + " WHERE job_id = ?";
    }

    /** @return whether a row exists (argument: job id) */
    public String existsSql() {
        return "SELECT 1 FROM " + table + " WHERE job_id = ?";
    }

    /** Reads every row of {@code rs} as a job. */
    public List<Job> jobs(ResultSet rs) throws SQLException {
        List<Job> out = new ArrayList<>();
        while (rs.next()) {
            out.add(codec.job(rs));
        }
        return out;
    }

    /** An SQL text and its arguments (String, Integer or Instant). */
    public record Query(String sql, List<Object> args) {
        /** Binds the arguments (instants as UTC timestamps with time zone). */
        public void bindTo(PreparedStatement ps) throws SQLException {
            bind(ps, args);
        }
    }

    /**
     * The keyset query of a list page: only the jobref columns, at most {@code limit} rows, index order.
     *
     * <p>PostgreSQL turns {@code (creation_time, job_id) < (?, ?)} into an index range and knows that columns fixed
     * by equality do not change the order. H2 2.x does neither: for it the keyset is spelt as column conditions
     * ({@code creation_time <= ?} is the range) and the ORDER BY names the fixed leading columns of the index that
     * serves the filter, so that H2 reads the page in index order and stops after {@code limit} rows instead of
     * reading and sorting the whole job list (10,000 jobs in pages of 500: 3 ms instead of 55 ms).
     */
    public Query listQuery(JobFilter filter, Cursor cursor, int limit) {
        Objects.requireNonNull(filter, "filter");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1, got " + limit);
        }
        List<Object> args = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT ").append(JobCodec.REF_COLUMNS).append(" FROM ").append(table);
        where(sql, args, filter);
        if (cursor != null) {
            Instant t = Objects.requireNonNull(cursor.creationTime(), "cursor.creationTime");
            String id = Objects.requireNonNull(cursor.jobId(), "cursor.jobId");
            if (!forH2) {
                sql.append(" AND (creation_time, job_id) < (?, ?)");
                args.add(t);
            } else {
                sql.append(" AND creation_time <= ? AND (creation_time < ? OR job_id < ?)");
                args.add(t);
                args.add(t);
            }
            args.add(id);
        }
        sql.append(" ORDER BY ").append(forH2 ? h2IndexPrefix(filter) : "")
                .append("creation_time DESC, job_id DESC LIMIT ?");
        args.add(limit);
        return new Query(sql.toString(), List.copyOf(args));
    }

    /** The columns fixed by the filter that lead the index serving it (job_owner_idx, job_phase_idx, job_list_idx). */
    private static String h2IndexPrefix(JobFilter f) {
        if (!f.allOwners()) {
            return "job_list, owner_id, ";
        }
        return f.phases().size() == 1 ? "job_list, phase, " : "job_list, ";
    }

    /**
     * @param anonymous whether the owner is anonymous (owner_id NULL)
     * @return one aggregate of an owner's usage in a job list: stored jobs, active jobs, upload bytes (arguments:
     *         job list, then owner id unless anonymous)
     */
    public String ownerUsageSql(boolean anonymous) {
        return "SELECT COUNT(*), COALESCE(SUM(CASE WHEN phase IN ('QUEUED', 'EXECUTING', 'HELD', 'SUSPENDED')"
                + " THEN 1 ELSE 0 END), 0), COALESCE(SUM(upload_bytes), 0) FROM " + table + " WHERE job_list = ? AND "
                + (anonymous ? "owner_id IS NULL" : "owner_id = ?") + " AND phase <> 'ARCHIVED'";
    }

    /** The count of the jobs a filter selects. */
    public Query countQuery(JobFilter filter) {
        Objects.requireNonNull(filter, "filter");
        List<Object> args = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT COUNT(*) FROM ").append(table);
        where(sql, args, filter);
        return new Query(sql.toString(), List.copyOf(args));
    }

    /** The jobs matching {@code condition} (argument: an instant), at most a limit (the last argument). */
    public String jobsWhereSql(String condition) {
        return "SELECT " + allColumns + " FROM " + table + " WHERE " + condition + " LIMIT ?";
    }

    private static void where(StringBuilder sql, List<Object> args, JobFilter f) {
        sql.append(" WHERE job_list = ?");
        args.add(f.jobList());
        if (!f.allOwners()) {
            if (f.ownerId() == null) {
                sql.append(" AND owner_id IS NULL");
            } else {
                sql.append(" AND owner_id = ?");
                args.add(f.ownerId());
            }
        }
        if (f.phases().isEmpty()) {
            sql.append(" AND phase <> 'ARCHIVED'");
        } else {
            sql.append(" AND phase IN (").append("?, ".repeat(f.phases().size() - 1)).append("?)");
            f.phases().stream().map(Phase::name).sorted().forEach(args::add);
        }
        if (f.after() != null) {
            sql.append(" AND creation_time > ?");
            args.add(f.after());
        }
    }

    /** Binds arguments from index 1: instants as UTC timestamps with time zone, integers, strings. */
    public static void bind(PreparedStatement ps, List<Object> args) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            Object a = args.get(i);
            if (a instanceof Instant t) {
                JobCodec.setInstant(ps, i + 1, t);
            } else if (a instanceof Integer n) {
                ps.setInt(i + 1, n);
            } else {
                ps.setString(i + 1, (String) a);
            }
        }
    }
}
