package org.uwskit.jdbc;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.uwskit.spi.JobStore;
import org.uwskit.testkit.JobChangeFeedContract;

/** The change feed contract on H2 in file mode (the embedded default), one database shared by the class's tests. */
class H2JobChangeFeedContractTest extends JobChangeFeedContract {
    @TempDir
    static Path dir;

    @Override
    protected JobStore createStore() {
        return JdbcJobStore.builder().h2File(dir.resolve("feed")).poolName("h2-feed-contract").build();
    }
}
