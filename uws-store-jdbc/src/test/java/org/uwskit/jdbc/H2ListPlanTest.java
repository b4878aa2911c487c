package org.uwskit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.uwskit.Job;
import org.uwskit.JobFilter;
import org.uwskit.JobRef;
import org.uwskit.Phase;
import org.uwskit.jdbc.internal.JobSql;
import org.uwskit.spi.JobStore.Cursor;

/**
 * With 3,000 jobs (three per millisecond, 10 owners, phases mixed) H2 reads a list page in index order and stops
 * after the page ({@code index sorted}, scanCount about the page size), for each filter kind and with a keyset
 * cursor; and paging through those filters visits every job once, ties on creation time included.
 */
class H2ListPlanTest {
    static final String LIST = "h2plans";
    static final Instant BASE = Instant.parse("2030-01-01T00:00:00Z");
    static final Pattern SCAN_COUNT = Pattern.compile("scanCount: (\\d+)");
    static final Phase[] PHASES = {Phase.COMPLETED, Phase.PENDING, Phase.ERROR};
    static JdbcDataSource ds;
    static JdbcJobStore store;

    @BeforeAll
    static void fill() {
        ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:h2listplan;DB_CLOSE_DELAY=-1");
        ds.setUser("sa");
        store = JdbcJobStore.builder().dataSource(ds).poolName("h2-plans").build();
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            Instant t = BASE.plusMillis(i / 3);
            Job j = Job.builder(String.format("j%05d", (i * 7919) % 3000), LIST, "demo", t).ownerId("owner" + (i % 10))
                    .phase(Phase.PENDING, t, "created").build();
            jobs.add(j.toBuilder().rawPhase(PHASES[(i / 10) % 3]).build());
        }
        store.insertAll(jobs);
    }

    @AfterAll
    static void close() throws Exception {
        store.close();
        try (Connection c = ds.getConnection()) {
            c.createStatement().execute("SHUTDOWN");
        }
    }

    static List<JobFilter> filters() {
        return List.of(JobFilter.all(LIST),
                new JobFilter(LIST, "owner3", false, Set.of(), null, null),
                new JobFilter(LIST, null, true, Set.of(Phase.ERROR), null, null),
                new JobFilter(LIST, null, true, Set.of(Phase.ERROR, Phase.PENDING), null, null),
                new JobFilter(LIST, "owner4", false, Set.of(Phase.COMPLETED), null, null));
    }

    /** EXPLAIN ANALYZE of a list page: asserts H2 uses the index order; returns the rows it scanned. */
    private static long scanned(JobFilter f, Cursor cursor, int limit) throws Exception {
        JobSql.Query q = store.listQuery(f, cursor, limit);
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("EXPLAIN ANALYZE " + q.sql())) {
            q.bindTo(ps);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                String plan = rs.getString(1);
                assertThat(plan).as(f + "\n" + plan).contains("index sorted");
                Matcher m = SCAN_COUNT.matcher(plan);
                assertThat(m.find()).as(plan).isTrue();
                return Long.parseLong(m.group(1));
            }
        }
    }

    @Test
    void aPageIsReadInIndexOrderAndStopsAfterTheLimit() throws Exception {
        for (JobFilter f : filters()) {
            // without the index order, H2 reads every row of the filter (300 to 3,000) and sorts them
            assertThat(scanned(f, null, 10)).as(f.toString()).isLessThanOrEqualTo(40);
            List<JobRef> first = store.list(f, null, 50);
            Cursor after = Cursor.after(first.get(first.size() - 1));
            assertThat(scanned(f, after, 10)).as(f + " after a cursor").isLessThanOrEqualTo(40);
        }
    }

    @Test
    void pagingVisitsEveryJobOnceInOrderTiesIncluded() {
        for (JobFilter f : filters()) {
            List<JobRef> whole = store.list(f, null, 10_000);
            assertThat(whole).isNotEmpty();
            for (int i = 1; i < whole.size(); i++) {
                JobRef a = whole.get(i - 1);
                JobRef b = whole.get(i);
                int c = a.creationTime().compareTo(b.creationTime());
                assertThat(c > 0 || c == 0 && a.jobId().compareTo(b.jobId()) > 0).as("%s before %s", a, b).isTrue();
            }
            List<JobRef> paged = new ArrayList<>();
            Cursor cursor = null;
            while (true) {
                List<JobRef> page = store.list(f, cursor, 7);
                paged.addAll(page);
                if (page.size() < 7) {
                    break;
                }
                cursor = Cursor.after(page.get(page.size() - 1));
            }
            assertThat(paged).as(f.toString()).isEqualTo(whole);
        }
    }

    @Test
    void housekeepingQueriesReadNoJobWithoutADeadlineLeaseOrDestruction() throws Exception {
        // none of the 3,000 jobs has a deadline, a lease or a destruction time: H2 sorts NULLs first in an index
        JobSql sql = new JobSql(store.tableName(), true);
        for (String condition : List.of(JdbcJobStore.DUE_FOR_DESTRUCTION, JdbcJobStore.DUE_FOR_TIMEOUT,
                JdbcJobStore.EXPIRED_LEASES)) {
            JobSql.Query q = new JobSql.Query(sql.jobsWhereSql(condition), List.of(BASE.plusSeconds(86_400), 100));
            try (Connection c = ds.getConnection();
                 PreparedStatement ps = c.prepareStatement("EXPLAIN ANALYZE " + q.sql())) {
                q.bindTo(ps);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    String plan = rs.getString(1);
                    Matcher m = SCAN_COUNT.matcher(plan);
                    assertThat(m.find()).as(plan).isTrue();
                    assertThat(Long.parseLong(m.group(1))).as(plan).isLessThanOrEqualTo(1);
                }
            }
        }
        assertThat(store.dueForTimeout(BASE.plusSeconds(86_400), 10)).isEmpty();
        assertThat(store.expiredLeases(BASE.plusSeconds(86_400), 10)).isEmpty();
        assertThat(store.dueForDestruction(BASE.plusSeconds(86_400), 10)).isEmpty();
    }
}
