package org.uwskit.jdbc;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.uwskit.spi.JobStore;
import org.uwskit.testkit.JobStoreContract;

/** The JobStore contract on H2 in file mode (the embedded default), one database shared by the tests of the class. */
class H2JobStoreContractTest extends JobStoreContract {
    @TempDir
    static Path dir;

    @Override
    protected JobStore createStore() {
        return JdbcJobStore.builder().h2File(dir.resolve("contract")).poolName("h2-contract").build();
    }
}
