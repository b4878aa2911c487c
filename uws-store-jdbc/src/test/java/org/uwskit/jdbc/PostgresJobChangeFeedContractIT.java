package org.uwskit.jdbc;

import org.junit.jupiter.api.BeforeAll;
import org.uwskit.spi.JobStore;
import org.uwskit.testkit.JobChangeFeedContract;

/** The change feed contract on real PostgreSQL (LISTEN/NOTIFY), in a schema of its own, dropped first. */
class PostgresJobChangeFeedContractIT extends JobChangeFeedContract {
    static final String SCHEMA = "it_feed_contract";

    @BeforeAll
    static void database() {
        PgSupport.exec(PgSupport.url(), "DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
    }

    @Override
    protected JobStore createStore() {
        return JdbcJobStore.builder().jdbcUrl(PgSupport.url()).schema(SCHEMA).poolName("pg-feed-contract").build();
    }
}
