package org.uwskit.jdbc;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The group commit of concurrent inserts and {@link JdbcJobStore#insertAll} on the H2 file default. */
class H2BatchInsertTest {
    @TempDir
    Path dir;
    JdbcJobStore store;

    @BeforeEach
    void open() {
        store = JdbcJobStore.builder().h2File(dir.resolve("batch")).poolName("h2-batch").build();
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void concurrentInsertsAreEachCommittedOrRefusedAlone() throws Exception {
        BatchInserts.concurrentInsertsAreEachCommittedOrRefusedAlone(store, "l1");
    }

    @Test
    void insertAllStoresEveryJobAndReportsEach() throws Exception {
        BatchInserts.insertAllStoresEveryJobAndReportsEach(store, "l2");
    }

    @Test
    void insertAllIsAllOrNothing() {
        BatchInserts.insertAllIsAllOrNothing(store, "l3");
    }

    @Test
    void insertsCommittedBeforeCloseSurviveAReopen() throws Exception {
        BatchInserts.insertAllIsAllOrNothing(store, "l4");
        store.close();
        store = JdbcJobStore.builder().h2File(dir.resolve("batch")).poolName("h2-batch").build();
        org.assertj.core.api.Assertions.assertThat(store.count(new org.uwskit.JobFilter("l4", null, true,
                java.util.Set.of(), null, null))).isEqualTo(1);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> {
            JdbcJobStore closed = JdbcJobStore.builder().h2File(dir.resolve("other")).poolName("h2-other").build();
            closed.close();
            closed.insert(BatchInserts.job("l4", 1));
        }).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }
}
