/**
 * A {@link org.uwskit.spi.JobStore} in a relational database, so that jobs survive restarts and several engine nodes
 * can share them: start from {@link org.uwskit.jdbc.JdbcJobStore}, either
 * {@link org.uwskit.jdbc.JdbcJobStore#h2File(java.nio.file.Path)} (embedded H2, one process) or
 * {@link org.uwskit.jdbc.JdbcJobStore#builder()} with a PostgreSQL URL or the host's {@link javax.sql.DataSource}.
 * The store also reports changes of every node ({@link org.uwskit.spi.JobChangeFeed}; LISTEN/NOTIFY on PostgreSQL).
 *
 * <pre>{@code
 * JdbcJobStore store = JdbcJobStore.builder()
 *     .jdbcUrl("jdbc:postgresql://db/uws").user("uws").password(secret)
 *     .build();                       // applies the Flyway migrations (see MigrationMode)
 * JobService service = JobService.builder().store(store).jobList(list).build();
 * }</pre>
 *
 * <p>The schema is created and evolved by the library's own Flyway migrations; with
 * {@link org.uwskit.jdbc.MigrationMode#VALIDATE} a DBA applies them and the store only checks. Classes in
 * {@code org.uwskit.jdbc.internal} are implementation details and may change without notice.
 */
package org.uwskit.jdbc;
