package org.uwskit.testkit;

import org.uwskit.memory.InMemoryJobStore;
import org.uwskit.spi.JobStore;

/** The change feed contract on the in-memory store of uws-core. */
class InMemoryJobChangeFeedContractTest extends JobChangeFeedContract {
    @Override
    protected JobStore createStore() {
        return new InMemoryJobStore();
    }
}
