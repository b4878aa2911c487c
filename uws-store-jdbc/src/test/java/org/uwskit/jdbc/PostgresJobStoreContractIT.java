package org.uwskit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.uwskit.Job;
import org.uwskit.spi.JobStore;
import org.uwskit.testkit.JobStoreContract;

/**
 * The JobStore contract on real PostgreSQL through a host application's pool (HikariCP, {@code dataSource(...)})
 * whose sessions run in Pacific/Chatham (UTC+12:45) while the JVM runs in Asia/Kathmandu (see the pom), so that
 * any conversion through local time shows up; in a schema of its own, dropped first so every run starts empty.
 */
class PostgresJobStoreContractIT extends JobStoreContract {
    static final String SCHEMA = "it_contract";
    static HikariDataSource hostPool;
    /** The store under test as what it is, for the tests of its own methods (no cast of {@code store}). */
    private JdbcJobStore jdbc;

    @BeforeAll
    static void database() {
        String url = PgSupport.url();
        PgSupport.exec(url, "DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl(url);
        cfg.setMaximumPoolSize(6);
        cfg.setPoolName("host-app");
        cfg.setConnectionInitSql("SET TIME ZONE '" + PgSupport.SESSION_ZONE + "'");
        hostPool = new HikariDataSource(cfg);
    }

    @AfterAll
    static void closePool() {
        hostPool.close();
    }

    @Override
    protected JobStore createStore() {
        jdbc = JdbcJobStore.builder().dataSource(hostPool).schema(SCHEMA).poolName("pg-contract").build();
        return jdbc;
    }

    @Test
    void instantsAreStoredAsUtcWhateverTheSessionZone() throws Exception {
        assertThat(java.util.TimeZone.getDefault().getID()).isEqualTo("Asia/Kathmandu");
        Job j = job(0);
        store.insert(j);
        try (Connection c = hostPool.getConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SHOW TimeZone")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo(PgSupport.SESSION_ZONE);
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT to_char(creation_time AT TIME ZONE 'UTC', "
                    + "'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') FROM " + SCHEMA + ".uws_job WHERE job_id = ?")) {
                ps.setString(1, j.jobId());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertThat(Instant.parse(rs.getString(1))).isEqualTo(T0);
                }
            }
        }
        assertThat(jdbc.dialectName()).isEqualTo("POSTGRESQL");
    }

    @Test
    void concurrentInsertsShareCommitsAndAreEachCommittedOrRefusedAlone() throws Exception {
        BatchInserts.concurrentInsertsAreEachCommittedOrRefusedAlone(jdbc, "batch1");
    }

    @Test
    void insertAllStoresEveryJobInBatchesAndNotifiesEach() throws Exception {
        BatchInserts.insertAllStoresEveryJobAndReportsEach(jdbc, "batch2");
    }

    @Test
    void insertAllIsAllOrNothing() {
        BatchInserts.insertAllIsAllOrNothing(jdbc, "batch3");
    }
}
