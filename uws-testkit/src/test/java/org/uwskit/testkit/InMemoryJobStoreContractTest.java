package org.uwskit.testkit;

import org.uwskit.memory.InMemoryJobStore;
import org.uwskit.spi.JobStore;

/** The store contract on the in-memory store of uws-core. */
class InMemoryJobStoreContractTest extends JobStoreContract {
    @Override
    protected JobStore createStore() {
        return new InMemoryJobStore();
    }
}
