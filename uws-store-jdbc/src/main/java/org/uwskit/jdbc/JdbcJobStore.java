package org.uwskit.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.uwskit.Job;
import org.uwskit.JobFilter;
import org.uwskit.JobRef;
import org.uwskit.StoreUnavailableException;
import org.uwskit.jdbc.internal.ChangeFanout;
import org.uwskit.jdbc.internal.Dialect;
import org.uwskit.jdbc.internal.GroupCommit;
import org.uwskit.jdbc.internal.JobCodec;
import org.uwskit.jdbc.internal.JobInserts;
import org.uwskit.jdbc.internal.JobSql;
import org.uwskit.jdbc.internal.JobStatements;
import org.uwskit.jdbc.internal.PgChangeListener;
import org.uwskit.jdbc.internal.PostgresDialect;
import org.uwskit.jdbc.internal.Transactions;
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
 * <p><b>Structure:</b> this class is the facade: transactions, the change feed and the lifecycle. The statements
 * each operation runs are in {@code internal.JobStatements} (inserts in {@code internal.JobInserts}); the SQL both
 * databases accept is in {@code internal.JobSql}; what differs (claims, deletes, change notification, column types)
 * is behind one type, {@code internal.Dialect}; configuration and start-up (pool, migrations) are in
 * {@link JdbcJobStoreBuilder}.
 *
 * <p><b>Threading:</b> thread-safe. The store owns three threads at most: the group-commit writer
 * ({@code <poolName>-inserts}, started by the first {@link #insert}), the PostgreSQL LISTEN thread and (on H2)
 * one change-delivery thread (both started on the first {@link #subscribe}); {@link #close()} stops them all.
 * <b>Exceptions:</b> a database that cannot be reached (connection refused, pool timeout after
 * {@link JdbcJobStoreBuilder#connectionTimeout}) gives {@link StoreUnavailableException}; a value longer than its column gives
 * {@link org.uwskit.InvalidRequestException}; the pool recovers by itself when the database returns. Bad
 * configuration fails in {@link JdbcJobStoreBuilder#build()}.
 *
 * <p><b>Lifecycle:</b> the application builds the store, hands it to {@code JobService.Builder#store} (and so to the
 * engines on that service), and closes it after them. {@link #close()} stops the store's threads and closes the pool
 * it owns; a {@link JdbcJobStoreBuilder#dataSource host data source} is left open. After {@code close()}, writes and
 * {@link #subscribe} throw {@link IllegalStateException}.
 */
public final class JdbcJobStore implements JobStore, JobChangeFeed {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcJobStore.class);

    /** The condition of {@link #dueForDestruction} (argument: now; lower bound: see {@link JobSql#EVER}). */
    static final String DUE_FOR_DESTRUCTION = "destruction >= " + JobSql.EVER + " AND destruction <= ?"
            + " AND phase <> 'ARCHIVED' ORDER BY destruction, job_id";
    /** The condition of {@link #dueForTimeout} (argument: now). */
    static final String DUE_FOR_TIMEOUT = "deadline >= " + JobSql.EVER + " AND deadline <= ?"
            + " AND phase = 'EXECUTING' ORDER BY deadline, job_id";
    /** The condition of {@link #expiredLeases} (argument: now). */
    static final String EXPIRED_LEASES = "lease_expires >= " + JobSql.EVER + " AND lease_expires < ?"
            + " AND phase IN " + JobSql.LEASED_PHASES + " ORDER BY lease_expires, job_id";

    private final DataSource dataSource;
    private final HikariDataSource ownedPool;
    private final Dialect dialect;
    private final JobSql sql;
    private final String channel;
    private final String poolName;
    private final JobStatements statements;
    private final Duration listenerMinBackoff;
    private final Duration listenerMaxBackoff;
    private final Duration firstListenWait;
    private final ChangeFanout fanout;
    private final Transactions tx;
    private final GroupCommit<JobCodec.Encoded> inserts;
    private PgChangeListener listener;
    private volatile boolean closed;

    JdbcJobStore(JdbcJobStoreBuilder b, DataSource dataSource, HikariDataSource ownedPool, Dialect dialect) {
        this.dataSource = dataSource;
        this.ownedPool = ownedPool;
        this.dialect = dialect;
        this.sql = new JobSql((b.schema == null ? "" : b.schema + ".") + b.tablePrefix + "job",
                dialect == Dialect.H2);
        this.channel = ("uwskit_" + (b.schema == null ? "" : b.schema + "_") + b.tablePrefix + "job");
        this.poolName = b.poolName;
        this.statements = new JobStatements(sql, dialect, b.fetchSize);
        this.listenerMinBackoff = b.listenerMinBackoff;
        this.listenerMaxBackoff = b.listenerMaxBackoff;
        this.firstListenWait = b.connectionTimeout.multipliedBy(2);
        this.fanout = new ChangeFanout(b.poolName + "-changes");
        this.tx = new Transactions(dataSource, dialect, channel, fanout);
        this.inserts = new GroupCommit<>(rows -> tx.write("inserting job " + rows.get(0).job().jobId()
                + (rows.size() == 1 ? "" : " and " + (rows.size() - 1) + " more"), (c, changes) -> {
                    JobInserts.insertEncoded(c, sql, rows, changes);
                    return null;
                }), b.insertQueueCapacity, b.maxInsertBatch, b.connectionTimeout, b.poolName + "-inserts");
    }

    /**
     * A builder with the defaults named in {@link JdbcJobStoreBuilder}.
     *
     * @return a new builder
     */
    public static JdbcJobStoreBuilder builder() {
        return new JdbcJobStoreBuilder();
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
        return sql.table();
    }

    /**
     * Stores a new job through the store's group commit: concurrent inserts share one transaction (see
     * {@link JdbcJobStoreBuilder#maxInsertBatch}), and this method returns once the transaction holding
     * {@code job} is committed.
     */
    @Override
    public void insert(Job job) {
        Objects.requireNonNull(job, "job");
        checkOpen();
        // the JSON documents are written on the caller's thread, not the writer's
        inserts.insert(sql.codec().encode(job), "inserting job " + job.jobId());
    }

    /**
     * Stores many new jobs in one transaction, sent in JDBC batches: the way to fill or migrate a store (a
     * million jobs take seconds, not the minutes of single inserts). All or nothing: if one id exists already (or
     * occurs twice in {@code jobs}), none is stored. Each stored job is reported to the change feed like an
     * {@link #insert}.
     *
     * @param jobs the jobs to store (versions as given, normally 0); may be empty
     * @throws IllegalStateException     if a job with one of the ids exists, or the store is closed
     * @throws StoreUnavailableException if the database cannot be reached
     */
    public void insertAll(Collection<? extends Job> jobs) {
        Objects.requireNonNull(jobs, "jobs");
        jobs.forEach(j -> Objects.requireNonNull(j, "a job in jobs"));
        if (jobs.isEmpty()) {
            return;
        }
        write("inserting " + jobs.size() + " jobs", (c, changes) -> {
            JobInserts.insert(c, sql, jobs, changes);
            return null;
        });
    }

    @Override
    public Optional<Job> get(String jobId) {
        Objects.requireNonNull(jobId, "jobId");
        return read("reading job " + jobId, c -> statements.get(c, jobId));
    }

    @Override
    public List<JobRef> list(JobFilter filter, Cursor cursor, int limit) {
        JobSql.Query q = listQuery(filter, cursor, limit);
        return read("listing jobs of " + filter.jobList(), c -> statements.list(c, q, limit));
    }

    /** The keyset query {@link #list} runs (for the plan tests). */
    JobSql.Query listQuery(JobFilter filter, Cursor cursor, int limit) {
        return sql.listQuery(filter, cursor, limit);
    }

    /** The claim statement on PostgreSQL (arguments: nodeId, leaseUntil, jobList, now, limit; for the plan tests). */
    String postgresClaimSql() {
        return PostgresDialect.claimSql(sql);
    }

    /** The {@link #ownerUsage} query (arguments: jobList, then ownerId unless anonymous). */
    String ownerUsageSql(boolean anonymous) {
        return sql.ownerUsageSql(anonymous);
    }

    /** One aggregate over the owner's rows (index job_owner_idx): stored, active and upload bytes together. */
    @Override
    public OwnerUsage ownerUsage(String jobList, String ownerId) {
        Objects.requireNonNull(jobList, "jobList");
        return read("counting the jobs of an owner in " + jobList, c -> statements.ownerUsage(c, jobList, ownerId));
    }

    @Override
    public long count(JobFilter filter) {
        JobSql.Query q = sql.countQuery(filter);
        return read("counting jobs of " + filter.jobList(), c -> statements.count(c, q));
    }

    @Override
    public void update(Job updated) {
        Objects.requireNonNull(updated, "updated");
        write("updating job " + updated.jobId(), (c, changes) -> {
            statements.update(c, updated, changes);
            return null;
        });
    }

    @Override
    public boolean delete(String jobId) {
        Objects.requireNonNull(jobId, "jobId");
        return write("deleting job " + jobId, (c, changes) -> statements.delete(c, jobId, changes));
    }

    @Override
    public List<Job> dueForDestruction(Instant now, int limit) {
        return jobsWhere("finding jobs due for destruction",
                DUE_FOR_DESTRUCTION, now, limit);
    }

    @Override
    public List<Job> dueForTimeout(Instant now, int limit) {
        return jobsWhere("finding jobs past their execution duration",
                DUE_FOR_TIMEOUT, now, limit);
    }

    @Override
    public List<Job> expiredLeases(Instant now, int limit) {
        return jobsWhere("finding expired leases", EXPIRED_LEASES, now, limit);
    }

    private List<Job> jobsWhere(String action, String condition, Instant now, int limit) {
        Objects.requireNonNull(now, "now");
        if (limit < 1) {
            return List.of();
        }
        return read(action, c -> statements.jobsWhere(c, condition, now, limit));
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
        List<Job> claimed = write("claiming queued jobs of " + jobList,
                (c, changes) -> statements.claim(c, jobList, nodeId, now, leaseUntil, limit, changes));
        List<Job> sorted = new ArrayList<>(claimed);
        sorted.sort(Comparator.comparing(Job::creationTime).thenComparing(Job::jobId));
        return sorted;
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
     * most twice {@link JdbcJobStoreBuilder#connectionTimeout}; if the database cannot be reached by then it returns anyway and
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

    /**
     * Commits the inserts already handed to the group commit, then stops its writer thread, the listener thread,
     * the delivery thread and the owned pool, in that order. Idempotent.
     */
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
        inserts.close();
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

    private <T> T read(String action, Transactions.Read<T> work) {
        checkOpen();
        return tx.read(action, work);
    }

    private <T> T write(String action, Transactions.Write<T> work) {
        checkOpen();
        return tx.write(action, work);
    }
}
