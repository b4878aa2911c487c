/**
 * Implementations of the storage SPIs without a database: {@link org.uwskit.memory.InMemoryJobStore} (jobs in
 * memory, also a {@link org.uwskit.spi.JobChangeFeed}; the default store of a {@code JobService}),
 * {@link org.uwskit.memory.FileResultStore} (result and upload bytes in a directory; the default result store) and
 * {@link org.uwskit.memory.InMemoryResultStore} (bytes in memory, for tests).
 *
 * <p>All are thread-safe and can be created directly with their constructors or factories. The in-memory ones lose
 * everything when the process ends; use uws-store-jdbc's {@code JdbcJobStore} for jobs that must survive a restart.
 */
package org.uwskit.memory;
