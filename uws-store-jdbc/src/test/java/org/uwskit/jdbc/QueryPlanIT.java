package org.uwskit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.uwskit.JobFilter;
import org.uwskit.JobRef;
import org.uwskit.Phase;
import org.uwskit.spi.JobStore.Cursor;

/**
 * With 40,000 jobs (20,000 in the listed job list, 1% QUEUED, 100 owners) PostgreSQL's plans for the store's
 * queries use indexes, never a sequential scan, and a LAST=n page or a keyset page reads n rows only.
 */
class QueryPlanIT {
    static final String SCHEMA = "it_plans";
    static final String LIST = "plans";
    static final int PER_LIST = 20_000;
    static final Instant BASE = Instant.parse("2030-01-01T00:00:00Z");
    static final Pattern ACTUAL_ROWS = Pattern.compile("actual time=[0-9.]+\\.\\.[0-9.]+ rows=(\\d+)");
    static final Pattern REMOVED = Pattern.compile("Rows Removed by Filter: (\\d+)");
    static String url;
    static JdbcJobStore store;

    @BeforeAll
    static void fill() {
        url = PgSupport.url();
        PgSupport.exec(url, "DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        store = JdbcJobStore.builder().jdbcUrl(url).schema(SCHEMA).poolName("plans").maximumPoolSize(2).build();
        String insert = "INSERT INTO " + store.tableName() + " (job_id, job_list, job_type, owner_id, phase,"
                + " creation_time, execution_duration, destruction, params_json, results_json, job_info_json,"
                + " history_json, format_version, version)"
                + " SELECT '%s' || lpad(i::text, 8, '0'), '%s', 'demo', 'owner' || (i %% 100),"
                + " CASE WHEN i %% 100 = 0 THEN 'QUEUED' WHEN i %% 100 = 1 THEN 'EXECUTING' ELSE 'COMPLETED' END,"
                + " timestamptz '2030-01-01 00:00:00+00' + i * interval '1 second', 0,"
                + " timestamptz '2030-02-01 00:00:00+00' + i * interval '1 second', '[]', '[]', '{}', '[]', 1, 0"
                + " FROM generate_series(1, %d) AS i";
        PgSupport.exec(url, String.format(insert, "p", LIST, PER_LIST), String.format(insert, "o", "other", PER_LIST),
                "ANALYZE " + store.tableName());
    }

    @AfterAll
    static void close() {
        if (store != null) {
            store.close();
        }
    }

    private static List<String> explain(String prefix, String sql, List<Object> args) throws Exception {
        try (Connection c = DriverManager.getConnection(url);
             PreparedStatement ps = c.prepareStatement(prefix + sql)) {
            new org.uwskit.jdbc.internal.JobSql.Query(sql, args).bindTo(ps);
            List<String> lines = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    lines.add(rs.getString(1));
                }
            }
            return lines;
        }
    }

    /**
     * EXPLAIN ANALYZE of the list query; asserts an index and no sequential scan; returns the rows the index scans
     * produced plus the rows filters removed (what the query touched).
     */
    private static long rowsRead(JobFilter filter, Cursor cursor, int limit) throws Exception {
        org.uwskit.jdbc.internal.JobSql.Query q = store.listQuery(filter, cursor, limit);
        List<String> plan = explain("EXPLAIN (ANALYZE, COSTS OFF) ", q.sql(), q.args());
        String text = String.join("\n", plan);
        System.out.println("PLAN " + filter + " cursor=" + cursor + " limit=" + limit + "\n" + text);
        assertThat(text).doesNotContain("Seq Scan").contains("Index");
        long read = 0;
        for (String line : plan) {
            if (line.contains("Index Scan") || line.contains("Index Only Scan") || line.contains("Bitmap Index Scan")) {
                Matcher m = ACTUAL_ROWS.matcher(line);
                assertThat(m.find()).as(line).isTrue();
                read += Long.parseLong(m.group(1));
            }
            Matcher removed = REMOVED.matcher(line);
            if (removed.find()) {
                read += Long.parseLong(removed.group(1));
            }
        }
        return read;
    }

    @Test
    void lastTenReadsTenRowsThroughTheListIndex() throws Exception {
        assertThat(rowsRead(JobFilter.all(LIST), null, 10)).isEqualTo(10);
        List<JobRef> refs = store.list(JobFilter.all(LIST), null, 10);
        assertThat(refs).hasSize(10);
        assertThat(refs.get(0).jobId()).isEqualTo(String.format("p%08d", PER_LIST));
    }

    @Test
    void aKeysetPageReadsOnlyItsRows() throws Exception {
        List<JobRef> first = store.list(JobFilter.all(LIST), null, 5_000);
        Cursor cursor = Cursor.after(first.get(first.size() - 1));
        assertThat(rowsRead(JobFilter.all(LIST), cursor, 10)).isEqualTo(10);
        assertThat(store.list(JobFilter.all(LIST), cursor, 1).get(0).jobId())
                .isEqualTo(String.format("p%08d", PER_LIST - 5_000));
    }

    @Test
    void aPhaseFilterUsesAnIndex() throws Exception {
        JobFilter queued = JobFilter.all(LIST).withPhases(Set.of(Phase.QUEUED));
        assertThat(rowsRead(queued, null, 20)).isEqualTo(20);
        assertThat(store.list(queued, null, 1_000)).hasSize(PER_LIST / 100)
                .allMatch(r -> r.phase() == Phase.QUEUED);
        JobFilter twoPhases = JobFilter.all(LIST).withPhases(Set.of(Phase.QUEUED, Phase.EXECUTING));
        // 2% of the list match: the plan walks the list index until it has 20 (about 1,000 rows), never all 20,000
        assertThat(rowsRead(twoPhases, null, 20)).isLessThanOrEqualTo(PER_LIST / 10);
    }

    @Test
    void anOwnerFilterUsesAnIndex() throws Exception {
        JobFilter mine = JobFilter.all(LIST).withOwner("owner7");
        assertThat(rowsRead(mine, null, 10)).isLessThanOrEqualTo(10);
        assertThat(rowsRead(mine.withPhases(Set.of(Phase.QUEUED)), null, 10)).isLessThanOrEqualTo(PER_LIST / 20);
    }

    @Test
    void anOwnersUsageIsOneQueryOverTheOwnerIndex() throws Exception {
        List<String> plan = explain("EXPLAIN (ANALYZE, COSTS OFF) ", store.ownerUsageSql(false), List.of(LIST, "owner7"));
        String text = String.join("\n", plan);
        System.out.println("PLAN ownerUsage\n" + text);
        assertThat(text).doesNotContain("Seq Scan").contains("Index");
        long read = 0;
        for (String line : plan) {
            Matcher m = ACTUAL_ROWS.matcher(line);
            if ((line.contains("Index Scan") || line.contains("Bitmap Index Scan")) && m.find()) {
                read += Long.parseLong(m.group(1));
            }
        }
        assertThat(read).as("rows read for one owner of 100").isLessThanOrEqualTo(PER_LIST / 100);
        // owner7 has 200 jobs in the list: 2 QUEUED or EXECUTING (i % 100 == 0 or 1 never holds for i % 100 == 7)
        assertThat(store.ownerUsage(LIST, "owner7")).isEqualTo(new org.uwskit.spi.OwnerUsage(PER_LIST / 100, 0, 0));
        assertThat(store.ownerUsage(LIST, "owner0").activeJobs()).isEqualTo(PER_LIST / 100);
    }

    @Test
    void claimingUsesTheIndexAndSkipLocked() throws Exception {
        List<Object> args = List.of("node", BASE, LIST, BASE, 10);
        String text = String.join("\n", explain("EXPLAIN (COSTS OFF) ", store.postgresClaimSql(), args));
        System.out.println("PLAN claim\n" + text);
        assertThat(text).doesNotContain("Seq Scan").contains("Index").contains("LockRows");
    }
}
