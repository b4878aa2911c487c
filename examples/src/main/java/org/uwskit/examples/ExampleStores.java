package org.uwskit.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.uwskit.jdbc.JdbcJobStore;
import org.uwskit.memory.InMemoryJobStore;
import org.uwskit.spi.JobChangeFeed;
import org.uwskit.spi.JobStore;

/**
 * The job store of {@code --store}, with the words the server prints about it ({@code store:} line). Stateless.
 */
final class ExampleStores {
    private ExampleStores() {
    }

    /**
     * A store just built and what it is.
     *
     * @param store       the store (closed by the server)
     * @param changes     the same store's change feed (both stores here have one), for the job manager's live
     *                    updates
     * @param description e.g. {@code H2 /data/db/uwskit.mv.db, table uws_job}; never a password
     */
    record Built(JobStore store, JobChangeFeed changes, String description) {
    }

    /**
     * The job store of {@code --store}: an H2 file under {@code dataDir} (default), memory, or a JDBC URL.
     *
     * @throws ExampleOptions.BadOptionException if the store refuses the configuration
     */
    static Built create(ExampleOptions options, Path dataDir) throws IOException {
        if (options.store().equals(ExampleOptions.STORE_MEMORY)) {
            InMemoryJobStore memory = new InMemoryJobStore();
            return new Built(memory, memory, "memory (jobs are lost at stop)");
        }
        try {
            if (options.store().equals(ExampleOptions.STORE_H2)) {
                Path db = dataDir.resolve(ExampleServer.H2_DATABASE);
                Files.createDirectories(db.getParent());
                return describe(JdbcJobStore.h2File(db), db + ".mv.db");
            }
            return describe(JdbcJobStore.builder().jdbcUrl(options.store()).user(options.dbUser())
                    .password(options.dbPassword()).schema(options.dbSchema()).build(), options.storeForDisplay());
        } catch (IllegalArgumentException e) {
            throw new ExampleOptions.BadOptionException("--store: " + e.getMessage());
        }
    }

    private static Built describe(JdbcJobStore jdbc, String where) {
        return new Built(jdbc, jdbc, jdbc.dialectName() + " " + where + ", table " + jdbc.tableName());
    }
}
