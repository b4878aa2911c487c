package org.uwskit.testkit;

import org.uwskit.memory.InMemoryResultStore;
import org.uwskit.spi.ResultStore;

/** The result store contract on the in-memory result store of uws-core. */
class InMemoryResultStoreContractTest extends ResultStoreContract {
    @Override
    protected ResultStore createStore() {
        return new InMemoryResultStore();
    }
}
