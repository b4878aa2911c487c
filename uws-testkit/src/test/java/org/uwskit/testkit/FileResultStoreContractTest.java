package org.uwskit.testkit;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.uwskit.memory.FileResultStore;
import org.uwskit.spi.ResultStore;

/** The result store contract on the file result store of uws-core (the default), in a new directory per test. */
class FileResultStoreContractTest extends ResultStoreContract {
    @TempDir
    Path dir;

    @Override
    protected ResultStore createStore() {
        return new FileResultStore(dir);
    }
}
