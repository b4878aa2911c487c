package org.uwskit.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.uwskit.Job;
import org.uwskit.JobFilter;
import org.uwskit.JobNotFoundException;
import org.uwskit.JobRef;
import org.uwskit.Phase;
import org.uwskit.StaleVersionException;
import org.uwskit.StoreUnavailableException;
import org.uwskit.jdbc.internal.ChangeFanout;
import org.uwskit.jdbc.internal.ChangePayload;
import org.uwskit.jdbc.internal.Dialect;
import org.uwskit.jdbc.internal.JobCodec;
import org.uwskit.jdbc.internal.PgChangeListener;
import org.uwskit.jdbc.internal.SqlErrors;
import org.uwskit.spi.JobChangeFeed;
import org.uwskit.spi.JobStore;
import org.uwskit.spi.OwnerUsage;

/**
 * A {@link JobStore} and {@link JobChangeFeed} in a relational database: H2 (embedded, one process) or PostgreSQL
 * (any number of nodes sharing one database). Build with {@link #builder()}, or {@link #h2File(Path)} for the
 * embedded default.
 *
 * <p><b>Schema:</b> one table {@code <prefix>job} created by the library's own Flyway migrations
 * ({@code classpath:org/uwskit/jdbc/migration/common}, history table {@code <prefix>schema_history}), applied at
 * build time or, in {@link MigrationMode#VALIDATE}, only validated. Scalar fields are indexed columns (instants as
 * UTC {@code timestamp with time zone}, millisecond precision, independent of the session time zone); parameters,
 * results, error, jobInfo and history are versioned JSON text. A job list reads only the jobref columns with keyset
 * paging on an index; claiming uses {@code FOR UPDATE SKIP LOCKED} on PostgreSQL.
 *
 * <p><b>Threading:</b> thread-safe. The only threads the store owns are the PostgreSQL LISTEN thread and (on H2)
 * one change-delivery thread, both started on the first {@link #subscribe} and stopped by {@link #close()}.
 * <b>Exceptions:</b> a database that cannot be reached (connection refused, pool timeout after
 * {@link Builder#connectionTimeout}) gives {@link StoreUnavailableException}; a value longer than its column gives
 * {@link org.uwskit.InvalidRequestException}; the pool recovers by itself when the database returns. Bad
 * configuration fails in {@link Builder#build()}.
 *
 * <p><b>Lifecycle:</b> the application builds the store, hands it to {@code JobService.Builder#store} (and so to the
 * engines on that service), and closes it after them. {@link #close()} stops the store's threads and closes the pool
 * it owns; a {@link Builder#dataSource host data source} is left open. After {@code close()}, writes and
 * {@link #subscribe} throw {@link IllegalStateException}.
 */
public final class JdbcJobStore implements JobStore, JobChangeFeed {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcJobStore.class);
    private static final String LEASED_PHASES = "('QUEUED','EXECUTING','SUSPENDED','HELD')";

    private final DataSource dataSource;
    private final HikariDataSource ownedPool;
    private final Dialect dialect;
    private final String table;
    private final String channel;
    private final String poolName;
    private final int fetchSize;
    private final Duration listenerMinBackoff;
    private final Duration listenerMaxBackoff;
    private final Duration firstListenWait;
    private final JobCodec codec = new JobCodec();
    private final ChangeFanout fanout;
    private final String allColumns = String.join(", ", JobCodec.COLUMNS);
    private final String insertSql;
    private final String updateSql;
    private PgChangeListener listener;
    private volatile boolean closed;

    private JdbcJobStore(Builder b, DataSource dataSource, HikariDataSource ownedPool, Dialect dialect) {
        this.dataSource = dataSource;
        this.ownedPool = ownedPool;
        this.dialect = dialect;
        this.table = (b.schema == null ? "" : b.schema + ".") + b.tablePrefix + "job";
        this.channel = ("uwskit_" + (b.schema == null ? "" : b.schema + "_") + b.tablePrefix + "job");
        this.poolName = b.poolName;
        this.fetchSize = b.fetchSize;
        this.listenerMinBackoff = b.listenerMinBackoff;
        this.listenerMaxBackoff = b.listenerMaxBackoff;
        this.firstListenWait = b.connectionTimeout.multipliedBy(2);
        this.fanout = new ChangeFanout(b.poolName + "-changes");
        this.insertSql = "INSERT INTO " + table + " (" + allColumns + ") VALUES ("
                + "?, ".repeat(JobCodec.COLUMNS.size() - 1) + "?)";
        StringBuilder set = new StringBuilder();
        for (String col : JobCodec.COLUMNS.subList(1, JobCodec.COLUMNS.size())) {
            set.append(set.length() == 0 ? "" : ", ").append(col).append(" = ?");
        }
        this.updateSql = "UPDATE " + table + " SET " + set + " WHERE job_id = ? AND version = ?";
    }

    /**
     * A builder with the defaults named in {@link Builder}.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The embedded default: an H2 database in the file {@code <path>.mv.db} (created if missing; jobs survive a
     * restart), owned pool, migrations applied. One process at a time may open it.
     *
     * @param path the database file, with or without the {@code .mv.db} suffix
     * @return the store, ready to use
     * @throws StoreUnavailableException if the file cannot be opened (for instance another process holds it)
     */
    public static JdbcJobStore h2File(Path path) {
        return builder().h2File(path).build();
    }

    /** @return the database this store runs on: {@code "H2"} or {@code "POSTGRESQL"} */
    public String dialectName() {
        return dialect.name();
    }

    /** @return the (possibly schema-qualified) name of the job table, for operators and tests */
    public String tableName() {
        return table;
    }

    @Override
    public void insert(Job job) {
        Objects.requireNonNull(job, "job");
        write("inserting job " + job.jobId(), (c, changes) -> {
            try (PreparedStatement ps = c.prepareStatement(insertSql)) {
                codec.bindAll(ps, 1, job);
                ps.executeUpdate();
            } catch (SQLException e) {
                if (SqlErrors.isDuplicateKey(e)) {
                    throw new IllegalStateException("a job with id '" + job.jobId() + "' already exists");
                }
                throw e;
            }
            changes.add(new JobChange(job.jobId(), job.jobList(), job.phase(), job.version()));
            return null;
        });
    }

    @Override
    public Optional<Job> get(String jobId) {
        Objects.requireNonNull(jobId, "jobId");
        return read("reading job " + jobId, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + allColumns + " FROM " + table
                    + " WHERE job_id = ?")) {
                ps.setString(1, jobId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(codec.job(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public List<JobRef> list(JobFilter filter, Cursor cursor, int limit) {
        Query q = listQuery(filter, cursor, limit);
        return read("listing jobs of " + filter.jobList(), c -> {
            try (PreparedStatement ps = c.prepareStatement(q.sql())) {
                bind(ps, q.args());
                ps.setFetchSize(Math.min(limit, fetchSize));
                List<JobRef> out = new ArrayList<>(Math.min(limit, fetchSize));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(codec.ref(rs));
                    }
                }
                return out;
            }
        });
    }

    /** An SQL text and its arguments (String, Integer or Instant), for {@link #list} and the plan tests. */
    record Query(String sql, List<Object> args) {
        /** Binds the arguments (instants as UTC timestamps with time zone). */
        void bindTo(PreparedStatement ps) throws SQLException {
            bind(ps, args);
        }
    }

    /** The keyset query {@link #list} runs: only the jobref columns, at most {@code limit} rows, index order. */
    Query listQuery(JobFilter filter, Cursor cursor, int limit) {
        Objects.requireNonNull(filter, "filter");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1, got " + limit);
        }
        List<Object> args = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT ").append(JobCodec.REF_COLUMNS).append(" FROM ").append(table);
        where(sql, args, filter);
        if (cursor != null) {
            sql.append(" AND (creation_time, job_id) < (?, ?)");
            args.add(Objects.requireNonNull(cursor.creationTime(), "cursor.creationTime"));
            args.add(Objects.requireNonNull(cursor.jobId(), "cursor.jobId"));
        }
        sql.append(" ORDER BY creation_time DESC, job_id DESC LIMIT ?");
        args.add(limit);
        return new Query(sql.toString(), List.copyOf(args));
    }

    /** The claim statement on PostgreSQL (arguments: nodeId, leaseUntil, jobList, now, limit). */
    String postgresClaimSql() {
        return "UPDATE " + table + SET_LEASE + " WHERE job_id IN (SELECT job_id FROM " + table + CLAIMABLE
                + " ORDER BY creation_time, job_id LIMIT ? FOR UPDATE SKIP LOCKED) RETURNING " + allColumns;
    }

    @Override
    public long count(JobFilter filter) {
        Objects.requireNonNull(filter, "filter");
        List<Object> args = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT COUNT(*) FROM ").append(table);
        where(sql, args, filter);
        return read("counting jobs of " + filter.jobList(), c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                bind(ps, args);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    /** The {@link #ownerUsage} query (arguments: jobList, then ownerId unless anonymous). */
    String ownerUsageSql(boolean anonymous) {
        return "SELECT COUNT(*), COALESCE(SUM(CASE WHEN phase IN ('QUEUED', 'EXECUTING', 'HELD', 'SUSPENDED')"
                + " THEN 1 ELSE 0 END), 0), COALESCE(SUM(upload_bytes), 0) FROM " + table + " WHERE job_list = ? AND "
                + (anonymous ? "owner_id IS NULL" : "owner_id = ?") + " AND phase <> 'ARCHIVED'";
    }

    /** One aggregate over the owner's rows (index job_owner_idx): stored, active and upload bytes together. */
    @Override
    public OwnerUsage ownerUsage(String jobList, String ownerId) {
        Objects.requireNonNull(jobList, "jobList");
        String sql = ownerUsageSql(ownerId == null);
        return read("counting the jobs of an owner in " + jobList, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, jobList);
                if (ownerId != null) {
                    ps.setString(2, ownerId);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return new OwnerUsage(rs.getLong(1), rs.getLong(2), rs.getLong(3));
                }
            }
        });
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

    private static void bind(PreparedStatement ps, List<Object> args) throws SQLException {
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

    @Override
    public void update(Job updated) {
        Objects.requireNonNull(updated, "updated");
        write("updating job " + updated.jobId(), (c, changes) -> {
            int n;
            try (PreparedStatement ps = c.prepareStatement(updateSql)) {
                int i = codec.bindMutable(ps, 1, updated);
                ps.setString(i++, updated.jobId());
                ps.setLong(i, updated.version() - 1);
                n = ps.executeUpdate();
            }
            if (n == 0) {
                try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM " + table + " WHERE job_id = ?")) {
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
            return null;
        });
    }

    @Override
    public boolean delete(String jobId) {
        Objects.requireNonNull(jobId, "jobId");
        return write("deleting job " + jobId, (c, changes) -> {
            String jobList = null;
            if (dialect == Dialect.POSTGRESQL) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table
                        + " WHERE job_id = ? RETURNING job_list")) {
                    ps.setString(1, jobId);
                    try (ResultSet rs = ps.executeQuery()) {
                        jobList = rs.next() ? rs.getString(1) : null;
                    }
                }
            } else {
                try (PreparedStatement ps = c.prepareStatement("SELECT job_list FROM " + table
                        + " WHERE job_id = ? FOR UPDATE")) {
                    ps.setString(1, jobId);
                    try (ResultSet rs = ps.executeQuery()) {
                        jobList = rs.next() ? rs.getString(1) : null;
                    }
                }
                if (jobList != null) {
                    try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE job_id = ?")) {
                        ps.setString(1, jobId);
                        if (ps.executeUpdate() == 0) {
                            jobList = null;
                        }
                    }
                }
            }
            if (jobList == null) {
                return false;
            }
            changes.add(new JobChange(jobId, jobList, null, -1));
            return true;
        });
    }

    @Override
    public List<Job> dueForDestruction(Instant now, int limit) {
        return jobsWhere("finding jobs due for destruction",
                "destruction <= ? AND phase <> 'ARCHIVED' ORDER BY destruction, job_id", now, limit);
    }

    @Override
    public List<Job> dueForTimeout(Instant now, int limit) {
        return jobsWhere("finding jobs past their execution duration",
                "deadline <= ? AND phase = 'EXECUTING' ORDER BY deadline, job_id", now, limit);
    }

    @Override
    public List<Job> expiredLeases(Instant now, int limit) {
        return jobsWhere("finding expired leases",
                "lease_expires < ? AND phase IN " + LEASED_PHASES + " ORDER BY lease_expires, job_id", now, limit);
    }

    private List<Job> jobsWhere(String action, String condition, Instant now, int limit) {
        Objects.requireNonNull(now, "now");
        if (limit < 1) {
            return List.of();
        }
        return read(action, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + allColumns + " FROM " + table + " WHERE "
                    + condition + " LIMIT ?")) {
                JobCodec.setInstant(ps, 1, now);
                ps.setInt(2, limit);
                ps.setFetchSize(Math.min(limit, fetchSize));
                List<Job> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(codec.job(rs));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public List<Job> claimQueued(String jobList, String nodeId, Instant now, Instant leaseUntil, int limit) {
        Objects.requireNonNull(jobList, "jobList");
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(leaseUntil, "leaseUntil");
        if (limit < 1) {
            return List.of();
        }
        List<Job> claimed = write("claiming queued jobs of " + jobList, (c, changes) -> {
            List<Job> out = dialect == Dialect.POSTGRESQL
                    ? claimPostgres(c, jobList, nodeId, now, leaseUntil, limit)
                    : claimH2(c, jobList, nodeId, now, leaseUntil, limit);
            for (Job j : out) {
                changes.add(new JobChange(j.jobId(), j.jobList(), j.phase(), j.version()));
            }
            return out;
        });
        List<Job> sorted = new ArrayList<>(claimed);
        sorted.sort(Comparator.comparing(Job::creationTime).thenComparing(Job::jobId));
        return sorted;
    }

    private static final String CLAIMABLE = " WHERE job_list = ? AND phase = 'QUEUED'"
            + " AND (lease_node IS NULL OR lease_expires < ?)";
    private static final String SET_LEASE = " SET lease_node = ?, lease_expires = ?, lease_backend = NULL,"
            + " lease_backend_ref = NULL, version = version + 1";

    private List<Job> claimPostgres(Connection c, String jobList, String nodeId, Instant now, Instant leaseUntil,
                                    int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(postgresClaimSql())) {
            ps.setString(1, nodeId);
            JobCodec.setInstant(ps, 2, leaseUntil);
            ps.setString(3, jobList);
            JobCodec.setInstant(ps, 4, now);
            ps.setInt(5, limit);
            List<Job> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(codec.job(rs));
                }
            }
            return out;
        }
    }

    /** How often an H2 claim re-selects after losing every candidate to a concurrent claimer. */
    private static final int H2_CLAIM_ATTEMPTS = 20;

    private List<Job> claimH2(Connection c, String jobList, String nodeId, Instant now, Instant leaseUntil,
                              int limit) throws SQLException {
        List<Job> out = new ArrayList<>();
        // H2 has no SKIP LOCKED: the update re-checks version and claim conditions, so a concurrent claimer wins
        // the row and this one re-selects instead of returning empty while claimable jobs remain
        for (int attempt = 0; attempt < H2_CLAIM_ATTEMPTS && out.isEmpty(); attempt++) {
            List<String> ids = new ArrayList<>();
            List<Long> versions = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT job_id, version FROM " + table + CLAIMABLE
                    + " ORDER BY creation_time, job_id LIMIT ?")) {
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
            try (PreparedStatement upd = c.prepareStatement("UPDATE " + table + SET_LEASE + CLAIMABLE
                    + " AND job_id = ? AND version = ?");
                 PreparedStatement sel = c.prepareStatement("SELECT " + allColumns + " FROM " + table
                         + " WHERE job_id = ?")) {
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
                            if (rs.next()) {
                                out.add(codec.job(rs));
                            }
                        }
                    }
                }
            }
        }
        return out;
    }

    /**
     * Subscribes to every stored change. On PostgreSQL the changes of every node arrive through LISTEN/NOTIFY on a
     * dedicated connection and thread (started by the first subscription, reconnecting with back-off after an
     * outage; changes made while disconnected are not replayed, but once it LISTENs again, and after a first LISTEN
     * that had failed, listeners get {@link JobChange#resync()}); on H2 they are delivered in-process after commit
     * on the store's delivery thread. Listeners must return quickly and not throw.
     *
     * <p>On PostgreSQL this method returns once the channel is LISTENed to, so that every change committed after
     * it returns is reported. The first subscription may therefore block while the LISTEN connection is opened, at
     * most twice {@link Builder#connectionTimeout}; if the database cannot be reached by then it returns anyway and
     * changes are reported once the listener gets through, as after an outage.
     *
     * @param subscriber called for each change
     * @return a handle that unsubscribes when closed
     * @throws IllegalStateException if the store is closed
     */
    @Override
    public AutoCloseable subscribe(Consumer<JobChange> subscriber) {
        Objects.requireNonNull(subscriber, "subscriber");
        checkOpen();
        AutoCloseable handle = fanout.add(subscriber);
        if (dialect.hasNotify()) {
            PgChangeListener l;
            synchronized (this) {
                if (listener == null) {
                    this.listener = new PgChangeListener(dataSource, channel, fanout, listenerMinBackoff,
                            listenerMaxBackoff, poolName + "-listen");
                    this.listener.start();
                }
                l = listener;
            }
            if (!l.awaitFirstListen(firstListenWait) && !closed) {
                LOG.warn("job change listener of {} is not LISTENing after {}; changes will be reported once it is",
                        poolName, firstListenWait);
            }
        }
        return handle;
    }

    /** Whether the PostgreSQL LISTEN connection is up (false on H2 or before the first subscription). */
    boolean isListening() {
        PgChangeListener l;
        synchronized (this) {
            l = listener;
        }
        return l != null && l.isListening();
    }

    /** Stops the listener thread, the delivery thread and the owned pool, in that order. Idempotent. */
    @Override
    public void close() {
        PgChangeListener l;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            l = listener;
        }
        if (l != null) {
            l.close();
        }
        fanout.close();
        if (ownedPool != null) {
            ownedPool.close();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the job store " + poolName + " is closed");
        }
    }

    @FunctionalInterface
    private interface ReadWork<T> {
        T run(Connection c) throws SQLException;
    }

    @FunctionalInterface
    private interface WriteWork<T> {
        T run(Connection c, List<JobChange> changes) throws SQLException;
    }

    private <T> T read(String action, ReadWork<T> work) {
        return write(action, (c, changes) -> work.run(c));
    }

    /**
     * Runs {@code work} in one transaction. On PostgreSQL the changes it records are NOTIFYed in that same
     * transaction; on H2 they are published in-process after the commit.
     */
    private <T> T write(String action, WriteWork<T> work) {
        checkOpen();
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
                    notify(c, changes);
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

    private void notify(Connection c, List<JobChange> changes) throws SQLException {
        String[] payloads = changes.stream().map(ChangePayload::encode).toArray(String[]::new);
        Array arr = c.createArrayOf("text", payloads);
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(pg_notify(?, p)) FROM unnest(?) AS p")) {
            ps.setString(1, channel);
            ps.setArray(2, arr);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
            }
        } finally {
            arr.free();
        }
    }

    /**
     * Builds a {@link JdbcJobStore}. Give either {@link #jdbcUrl} (with {@link #user} and {@link #password}; the
     * store owns a HikariCP pool) or {@link #dataSource} (the host application's pool, which the store never closes).
     * Defaults are the named constants. Not thread-safe; {@link #build()} validates everything.
     */
    public static final class Builder {
        /** Prepended to every table name. */
        public static final String DEFAULT_TABLE_PREFIX = "uws_";
        /** The store applies its migrations at build time. */
        public static final MigrationMode DEFAULT_MIGRATION_MODE = MigrationMode.MIGRATE;
        /** Connections of the owned pool. */
        public static final int DEFAULT_MAXIMUM_POOL_SIZE = 10;
        /** How long a request waits for a connection before StoreUnavailableException. */
        public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofMillis(2500);
        /** The name of the pool and prefix of the store's thread names. */
        public static final String DEFAULT_POOL_NAME = "uwskit-jdbc";
        /** Rows fetched per round trip when a list or a reaper query streams. */
        public static final int DEFAULT_FETCH_SIZE = 500;
        /** First delay before the PostgreSQL LISTEN connection is re-opened after a failure. */
        public static final Duration DEFAULT_LISTENER_MIN_BACKOFF = Duration.ofMillis(100);
        /** Longest delay between attempts to re-open the PostgreSQL LISTEN connection. */
        public static final Duration DEFAULT_LISTENER_MAX_BACKOFF = Duration.ofSeconds(5);
        /**
         * The H2 file system of {@link #h2File}, also substituted for {@code file:} in owned {@code jdbc:h2:file:} URLs:
         * {@code async:} uses AsynchronousFileChannel, which an interrupt does not close. With the default NIO file
         * system, a caller whose thread is interrupted during I/O (a job thread aborted while it records progress)
         * closes the channel, and H2 then closes the whole database for every connection.
         */
        public static final String H2_FILE_SYSTEM = "async:";
        /** Added to every owned H2 URL that does not set DB_CLOSE_ON_EXIT itself (see {@link #H2_FILE_SETTINGS}). */
        public static final String H2_KEEP_OPEN_AT_EXIT = ";DB_CLOSE_ON_EXIT=FALSE";
        /**
         * Settings {@link #h2File} adds: commits reach the file at once, so a killed process loses no job; and the
         * database stays open until the store closes its pool, not until H2's own JVM shutdown hook runs (which
         * would close it under an engine still recording the last phase changes of a clean shutdown).
         */
        public static final String H2_FILE_SETTINGS =
                ";AUTO_SERVER=FALSE;WRITE_DELAY=0;LOCK_TIMEOUT=10000" + H2_KEEP_OPEN_AT_EXIT;

        private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,29}");
        private static final Pattern PREFIX = Pattern.compile("[a-z_][a-z0-9_]{0,29}|");
        private static final Pattern POOL_NAME = Pattern.compile("[A-Za-z0-9._-]{1,40}");

        private String jdbcUrl;
        private String user;
        private String password;
        private DataSource dataSource;
        private String schema;
        private String tablePrefix = DEFAULT_TABLE_PREFIX;
        private MigrationMode migrationMode = DEFAULT_MIGRATION_MODE;
        private int maximumPoolSize = DEFAULT_MAXIMUM_POOL_SIZE;
        private Duration connectionTimeout = DEFAULT_CONNECTION_TIMEOUT;
        private String poolName = DEFAULT_POOL_NAME;
        private String connectionInitSql;
        private int fetchSize = DEFAULT_FETCH_SIZE;
        private Duration listenerMinBackoff = DEFAULT_LISTENER_MIN_BACKOFF;
        private Duration listenerMaxBackoff = DEFAULT_LISTENER_MAX_BACKOFF;

        private Builder() {
        }

        /** A JDBC URL ({@code jdbc:postgresql://…} or {@code jdbc:h2:…}); the store owns a HikariCP pool for it. */
        public Builder jdbcUrl(String v) { jdbcUrl = Objects.requireNonNull(v, "jdbcUrl"); return this; }
        /** The database user for {@link #jdbcUrl}, or null. */
        public Builder user(String v) { user = v; return this; }
        /** The password for {@link #jdbcUrl}, or null; never logged. */
        public Builder password(String v) { password = v; return this; }
        /** The host application's pool; the store borrows connections (one permanently for LISTEN) and never closes it. */
        public Builder dataSource(DataSource v) { dataSource = Objects.requireNonNull(v, "dataSource"); return this; }

        /**
         * An H2 file database at {@code <path>.mv.db} (user {@code sa}, settings {@link #H2_FILE_SETTINGS}), on H2's
         * {@value #H2_FILE_SYSTEM} file system (see there). Replaces a URL, user and password set before.
         *
         * @param path the database file, with or without the {@code .mv.db} suffix
         * @return this builder
         */
        public Builder h2File(Path path) {
            String p = path.toAbsolutePath().normalize().toString();
            if (p.endsWith(".mv.db")) {
                p = p.substring(0, p.length() - ".mv.db".length());
            }
            jdbcUrl = "jdbc:h2:" + H2_FILE_SYSTEM + p + H2_FILE_SETTINGS;
            user = "sa";
            password = "";
            return this;
        }

        /** The database schema of the tables (lower case letters, digits, _), or null for the connection's default. */
        public Builder schema(String v) { schema = v; return this; }
        /** Prepended to every table name; default {@value #DEFAULT_TABLE_PREFIX}; lower case letters, digits, _. */
        public Builder tablePrefix(String v) { tablePrefix = Objects.requireNonNull(v, "tablePrefix"); return this; }
        /** Whether the store applies its migrations or only validates them; default {@link #DEFAULT_MIGRATION_MODE}. */
        public Builder migrationMode(MigrationMode v) { migrationMode = Objects.requireNonNull(v, "migrationMode"); return this; }
        /** Owned pool only. */
        public Builder maximumPoolSize(int v) { maximumPoolSize = v; return this; }
        /** Owned pool only: how long to wait for a connection (at least 250 ms). */
        public Builder connectionTimeout(Duration v) { connectionTimeout = Objects.requireNonNull(v); return this; }
        /** Names the pool and the store's threads ({@code <name>-listen}, {@code <name>-changes}). */
        public Builder poolName(String v) { poolName = Objects.requireNonNull(v, "poolName"); return this; }
        /** Owned pool only: SQL run on every new connection (e.g. {@code SET TIME ZONE 'Pacific/Chatham'}). */
        public Builder connectionInitSql(String v) { connectionInitSql = v; return this; }
        /** Rows fetched per round trip by streaming queries (positive); default {@value #DEFAULT_FETCH_SIZE}. */
        public Builder fetchSize(int v) { fetchSize = v; return this; }
        /** Reconnect back-off of the PostgreSQL LISTEN connection: first delay and cap. */
        public Builder listenerBackoff(Duration min, Duration max) {
            listenerMinBackoff = Objects.requireNonNull(min);
            listenerMaxBackoff = Objects.requireNonNull(max);
            return this;
        }

        /**
         * Validates the configuration, opens the pool, applies or validates the migrations, and logs the resolved
         * configuration once. On failure, a pool opened here is closed again.
         *
         * @return the store, ready to use
         * @throws IllegalArgumentException  for bad configuration (both or neither of URL and data source, bad
         *                                   names, non-positive sizes, an unsupported database)
         * @throws IllegalStateException     if {@link MigrationMode#VALIDATE} finds the schema missing or different
         * @throws StoreUnavailableException if the database cannot be reached
         */
        public JdbcJobStore build() {
            validate();
            HikariDataSource pool = null;
            DataSource ds = dataSource;
            try {
                if (ds == null) {
                    pool = openPool();
                    ds = pool;
                }
                Dialect dialect = detect(ds);
                migrate(ds, dialect);
                JdbcJobStore store = new JdbcJobStore(this, ds, pool, dialect);
                LOG.info("uwskit JDBC store ready: database={} table={} migrationMode={} pool={} (owned={}, max={}, "
                                + "connectionTimeout={}) fetchSize={}", dialect, store.table, migrationMode, poolName,
                        pool != null, maximumPoolSize, connectionTimeout, fetchSize);
                return store;
            } catch (RuntimeException e) {
                if (pool != null) {
                    pool.close();
                }
                throw e;
            }
        }

        private void validate() {
            List<String> problems = new ArrayList<>();
            if ((jdbcUrl == null) == (dataSource == null)) {
                problems.add("give exactly one of jdbcUrl(...) and dataSource(...)");
            }
            if (jdbcUrl != null && !jdbcUrl.startsWith("jdbc:postgresql:") && !jdbcUrl.startsWith("jdbc:h2:")) {
                problems.add("jdbcUrl must start with jdbc:postgresql: or jdbc:h2:, got '" + jdbcUrl + "'");
            }
            if (schema != null && !IDENTIFIER.matcher(schema).matches()) {
                problems.add("schema '" + schema + "' must match " + IDENTIFIER);
            }
            if (!PREFIX.matcher(tablePrefix).matches()) {
                problems.add("tablePrefix '" + tablePrefix + "' must match " + PREFIX + " (may be empty)");
            }
            if (!POOL_NAME.matcher(poolName).matches()) {
                problems.add("poolName '" + poolName + "' must match " + POOL_NAME);
            }
            if (maximumPoolSize < 1) {
                problems.add("maximumPoolSize must be >= 1, got " + maximumPoolSize);
            }
            if (connectionTimeout.toMillis() < 250) {
                problems.add("connectionTimeout must be at least 250 ms, got " + connectionTimeout);
            }
            if (fetchSize < 1) {
                problems.add("fetchSize must be >= 1, got " + fetchSize);
            }
            if (listenerMinBackoff.isNegative() || listenerMinBackoff.isZero()
                    || listenerMaxBackoff.compareTo(listenerMinBackoff) < 0) {
                problems.add("listener back-off needs 0 < min <= max, got " + listenerMinBackoff + ", "
                        + listenerMaxBackoff);
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException("invalid JdbcJobStore configuration: " + String.join("; ", problems));
            }
        }

        /** Makes an owned H2 file URL safe: interrupt-proof file system, database kept open until the pool closes. */
        static String ownedUrl(String url) {
            if (!url.startsWith("jdbc:h2:")) {
                return url;
            }
            String out = url.startsWith("jdbc:h2:file:")
                    ? "jdbc:h2:" + H2_FILE_SYSTEM + url.substring("jdbc:h2:file:".length()) : url;
            return out.toUpperCase(java.util.Locale.ROOT).contains("DB_CLOSE_ON_EXIT") ? out : out + H2_KEEP_OPEN_AT_EXIT;
        }

        private HikariDataSource openPool() {
            HikariConfig cfg = new HikariConfig();
            cfg.setJdbcUrl(ownedUrl(jdbcUrl));
            cfg.setUsername(user);
            cfg.setPassword(password);
            cfg.setPoolName(poolName);
            cfg.setMaximumPoolSize(maximumPoolSize);
            cfg.setConnectionTimeout(connectionTimeout.toMillis());
            cfg.setValidationTimeout(Math.max(250, Math.min(1000, connectionTimeout.toMillis() / 2)));
            cfg.setAutoCommit(false);
            if (connectionInitSql != null) {
                cfg.setConnectionInitSql(connectionInitSql);
            }
            if (jdbcUrl.startsWith("jdbc:postgresql:")) {
                long seconds = Math.max(1, (connectionTimeout.toMillis() + 999) / 1000);
                cfg.addDataSourceProperty("connectTimeout", String.valueOf(seconds));
                cfg.addDataSourceProperty("loginTimeout", String.valueOf(seconds));
                cfg.addDataSourceProperty("tcpKeepAlive", "true");
            }
            try {
                return new HikariDataSource(cfg);
            } catch (HikariPool.PoolInitializationException e) {
                throw new StoreUnavailableException("cannot open the job store database " + redact(jdbcUrl) + ": "
                        + (e.getCause() == null ? e.getMessage() : e.getCause().getMessage()), e);
            }
        }

        private static String redact(String url) {
            return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
        }

        private static Dialect detect(DataSource ds) {
            try (Connection c = ds.getConnection()) {
                return Dialect.of(c.getMetaData().getDatabaseProductName());
            } catch (SQLException e) {
                throw SqlErrors.translate(e, "connecting");
            }
        }

        private void migrate(DataSource ds, Dialect dialect) {
            var cfg = Flyway.configure(JdbcJobStore.class.getClassLoader())
                    .dataSource(ds)
                    .locations("classpath:org/uwskit/jdbc/migration/common")
                    .failOnMissingLocations(true)
                    .table(tablePrefix + "schema_history")
                    .placeholders(dialect.placeholders(tablePrefix))
                    .createSchemas(migrationMode == MigrationMode.MIGRATE);
            if (schema != null) {
                // unquoted identifiers fold to upper case on H2 and lower case on PostgreSQL; Flyway quotes them
                cfg.schemas(dialect == Dialect.H2 ? schema.toUpperCase(java.util.Locale.ROOT) : schema);
            }
            Flyway flyway = cfg.load();
            try {
                if (migrationMode == MigrationMode.MIGRATE) {
                    flyway.migrate();
                } else {
                    var result = flyway.validateWithResult();
                    if (!result.validationSuccessful) {
                        throw new IllegalStateException("the uwskit job store schema is not as expected (migration "
                                + "mode VALIDATE): " + result.getAllErrorMessages()
                                + "; apply classpath:org/uwskit/jdbc/migration/common with Flyway first");
                    }
                }
            } catch (FlywayException e) {
                for (Throwable t = e; t != null; t = t.getCause()) {
                    if (t instanceof SQLException s && (s.getSQLState() == null || s.getSQLState().startsWith("08"))) {
                        throw SqlErrors.translate(s, "migrating the schema");
                    }
                }
                throw new IllegalStateException("cannot " + (migrationMode == MigrationMode.MIGRATE ? "migrate" : "validate")
                        + " the uwskit job store schema: " + e.getMessage(), e);
            }
        }
    }
}
