package org.uwskit.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.uwskit.StoreUnavailableException;
import org.uwskit.jdbc.internal.Dialect;
import org.uwskit.jdbc.internal.SqlErrors;

/**
 * Builds a {@link JdbcJobStore} (get one from {@link JdbcJobStore#builder()}). Give either {@link #jdbcUrl} (with {@link #user} and {@link #password}; the
 * store owns a HikariCP pool) or {@link #dataSource} (the host application's pool, which the store never closes).
 * Defaults are the named constants. Not thread-safe; {@link #build()} validates everything.
 */
public final class JdbcJobStoreBuilder {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcJobStore.class);

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
    /**
     * The most new jobs the group commit stores in one transaction: concurrent {@link JdbcJobStore#insert}s wait for
     * one writer thread, which commits all that are waiting together (1 = one transaction per job, still on the
     * writer thread).
     */
    public static final int DEFAULT_MAX_INSERT_BATCH = 256;
    /**
     * How many inserts may wait for the group commit's writer; a caller that finds the queue full for
     * {@link #connectionTimeout} gets StoreUnavailableException.
     */
    public static final int DEFAULT_INSERT_QUEUE_CAPACITY = 4096;
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

    String jdbcUrl;
    String user;
    String password;
    DataSource dataSource;
    String schema;
    String tablePrefix = DEFAULT_TABLE_PREFIX;
    MigrationMode migrationMode = DEFAULT_MIGRATION_MODE;
    int maximumPoolSize = DEFAULT_MAXIMUM_POOL_SIZE;
    Duration connectionTimeout = DEFAULT_CONNECTION_TIMEOUT;
    String poolName = DEFAULT_POOL_NAME;
    String connectionInitSql;
    int fetchSize = DEFAULT_FETCH_SIZE;
    int maxInsertBatch = DEFAULT_MAX_INSERT_BATCH;
    int insertQueueCapacity = DEFAULT_INSERT_QUEUE_CAPACITY;
    Duration listenerMinBackoff = DEFAULT_LISTENER_MIN_BACKOFF;
    Duration listenerMaxBackoff = DEFAULT_LISTENER_MAX_BACKOFF;

    JdbcJobStoreBuilder() {
    }

    /** A JDBC URL ({@code jdbc:postgresql://…} or {@code jdbc:h2:…}); the store owns a HikariCP pool for it. */
    public JdbcJobStoreBuilder jdbcUrl(String v) { jdbcUrl = Objects.requireNonNull(v, "jdbcUrl"); return this; }
    /** The database user for {@link #jdbcUrl}, or null. */
    public JdbcJobStoreBuilder user(String v) { user = v; return this; }
    /** The password for {@link #jdbcUrl}, or null; never logged. */
    public JdbcJobStoreBuilder password(String v) { password = v; return this; }
    /** The host application's pool; the store borrows connections (one permanently for LISTEN) and never closes it. */
    public JdbcJobStoreBuilder dataSource(DataSource v) { dataSource = Objects.requireNonNull(v, "dataSource"); return this; }

    /**
     * An H2 file database at {@code <path>.mv.db} (user {@code sa}, settings {@link #H2_FILE_SETTINGS}), on H2's
     * {@value #H2_FILE_SYSTEM} file system (see there). Replaces a URL, user and password set before.
     *
     * @param path the database file, with or without the {@code .mv.db} suffix
     * @return this builder
     */
    public JdbcJobStoreBuilder h2File(Path path) {
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
    public JdbcJobStoreBuilder schema(String v) { schema = v; return this; }
    /** Prepended to every table name; default {@value #DEFAULT_TABLE_PREFIX}; lower case letters, digits, _. */
    public JdbcJobStoreBuilder tablePrefix(String v) { tablePrefix = Objects.requireNonNull(v, "tablePrefix"); return this; }
    /** Whether the store applies its migrations or only validates them; default {@link #DEFAULT_MIGRATION_MODE}. */
    public JdbcJobStoreBuilder migrationMode(MigrationMode v) { migrationMode = Objects.requireNonNull(v, "migrationMode"); return this; }
    /** Owned pool only. */
    public JdbcJobStoreBuilder maximumPoolSize(int v) { maximumPoolSize = v; return this; }
    /** Owned pool only: how long to wait for a connection (at least 250 ms). */
    public JdbcJobStoreBuilder connectionTimeout(Duration v) { connectionTimeout = Objects.requireNonNull(v); return this; }
    /** Names the pool and the store's threads ({@code <name>-listen}, {@code <name>-changes}). */
    public JdbcJobStoreBuilder poolName(String v) { poolName = Objects.requireNonNull(v, "poolName"); return this; }
    /** Owned pool only: SQL run on every new connection (e.g. {@code SET TIME ZONE 'Pacific/Chatham'}). */
    public JdbcJobStoreBuilder connectionInitSql(String v) { connectionInitSql = v; return this; }
    /** Rows fetched per round trip by streaming queries (positive); default {@value #DEFAULT_FETCH_SIZE}. */
    public JdbcJobStoreBuilder fetchSize(int v) { fetchSize = v; return this; }
    /** The most jobs one group commit stores (positive); default {@value #DEFAULT_MAX_INSERT_BATCH}. */
    public JdbcJobStoreBuilder maxInsertBatch(int v) { maxInsertBatch = v; return this; }
    /** Inserts that may wait for the group commit (positive); default {@value #DEFAULT_INSERT_QUEUE_CAPACITY}. */
    public JdbcJobStoreBuilder insertQueueCapacity(int v) { insertQueueCapacity = v; return this; }
    /** Reconnect back-off of the PostgreSQL LISTEN connection: first delay and cap. */
    public JdbcJobStoreBuilder listenerBackoff(Duration min, Duration max) {
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
                            + "connectionTimeout={}) fetchSize={} maxInsertBatch={}", dialect, store.tableName(), migrationMode,
                    poolName, pool != null, maximumPoolSize, connectionTimeout, fetchSize, maxInsertBatch);
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
        if (maxInsertBatch < 1) {
            problems.add("maxInsertBatch must be >= 1, got " + maxInsertBatch);
        }
        if (insertQueueCapacity < 1) {
            problems.add("insertQueueCapacity must be >= 1, got " + insertQueueCapacity);
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
        // reads run in autocommit (one round trip); writes switch it off for their transaction (Transactions)
        cfg.setAutoCommit(true);
        if (connectionInitSql != null) {
            cfg.setConnectionInitSql(connectionInitSql);
        }
        if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            long seconds = Math.max(1, (connectionTimeout.toMillis() + 999) / 1000);
            cfg.addDataSourceProperty("connectTimeout", String.valueOf(seconds));
            cfg.addDataSourceProperty("loginTimeout", String.valueOf(seconds));
            cfg.addDataSourceProperty("tcpKeepAlive", "true");
            // JDBC batches of inserts (group commit, insertAll) become multi-row INSERTs
            cfg.addDataSourceProperty("reWriteBatchedInserts", "true");
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
