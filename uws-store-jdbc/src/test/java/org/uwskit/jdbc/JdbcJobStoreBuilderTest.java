package org.uwskit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.uwskit.testkit.Await;
import org.uwskit.InvalidRequestException;
import org.uwskit.Job;
import org.uwskit.JobIds;
import org.uwskit.Phase;
import org.uwskit.StoreUnavailableException;
import org.uwskit.spi.JobChangeFeed.JobChange;

/** Configuration, migrations, durability of the H2 file default, the in-process change feed, error mapping. */
class JdbcJobStoreBuilderTest {
    @TempDir
    Path dir;

    private static Job job(String list) {
        Instant t = Instant.parse("2031-01-02T03:04:05.678Z");
        return Job.builder(JobIds.next(), list, "demo", t).phase(Phase.PENDING, t, "created").build();
    }

    @Test
    void badConfigurationFailsAtBuildListingEveryProblem() {
        assertThatThrownBy(() -> JdbcJobStore.builder().build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exactly one of jdbcUrl");
        assertThatThrownBy(() -> JdbcJobStore.builder().jdbcUrl("jdbc:mysql://x/y").tablePrefix("Bad-Prefix")
                .schema("1x").maximumPoolSize(0).connectionTimeout(Duration.ofMillis(10)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jdbc:postgresql: or jdbc:h2:")
                .hasMessageContaining("tablePrefix 'Bad-Prefix'")
                .hasMessageContaining("schema '1x'")
                .hasMessageContaining("maximumPoolSize must be >= 1")
                .hasMessageContaining("connectionTimeout must be at least 250 ms");
        assertThatThrownBy(() -> JdbcJobStore.builder().jdbcUrl("jdbc:h2:mem:x").maxInsertBatch(0)
                .insertQueueCapacity(0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxInsertBatch must be >= 1")
                .hasMessageContaining("insertQueueCapacity must be >= 1");
    }

    @Test
    void anUnreachableDatabaseIsStoreUnavailableQuickly() {
        long t = System.nanoTime();
        assertThatThrownBy(() -> JdbcJobStore.builder().jdbcUrl("jdbc:postgresql://127.0.0.1:1/none?user=x")
                .connectionTimeout(Duration.ofMillis(500)).build())
                .isInstanceOf(StoreUnavailableException.class).hasMessageContaining("127.0.0.1:1");
        assertThat(Duration.ofNanos(System.nanoTime() - t)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void validateModeRefusesAMissingSchemaAndAcceptsAMigratedOne() {
        Path db = dir.resolve("validate");
        String url = "jdbc:h2:file:" + db + JdbcJobStoreBuilder.H2_FILE_SETTINGS;
        assertThatThrownBy(() -> JdbcJobStore.builder().jdbcUrl(url).user("sa").password("")
                .migrationMode(MigrationMode.VALIDATE).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("VALIDATE");
        JdbcJobStore.builder().jdbcUrl(url).user("sa").password("").build().close();
        try (JdbcJobStore s = JdbcJobStore.builder().jdbcUrl(url).user("sa").password("")
                .migrationMode(MigrationMode.VALIDATE).build()) {
            s.insert(job("l"));
            assertThat(s.count(org.uwskit.JobFilter.all("l"))).isEqualTo(1);
        }
    }

    @Test
    void jobsSurviveARestartOfTheEmbeddedStore() {
        Job j = job("l");
        try (JdbcJobStore s = JdbcJobStore.h2File(dir.resolve("jobs"))) {
            s.insert(j);
        }
        try (JdbcJobStore s = JdbcJobStore.h2File(dir.resolve("jobs.mv.db"))) {
            assertThat(s.get(j.jobId())).contains(j);
        }
    }

    @Test
    void schemaAndPrefixSeparateTwoStoresInOneDatabase() {
        String url = "jdbc:h2:file:" + dir.resolve("shared") + JdbcJobStoreBuilder.H2_FILE_SETTINGS;
        try (JdbcJobStore a = JdbcJobStore.builder().jdbcUrl(url).user("sa").password("").schema("tenant_a").build();
             JdbcJobStore b = JdbcJobStore.builder().jdbcUrl(url).user("sa").password("").tablePrefix("b_").build()) {
            Job j = job("l");
            a.insert(j);
            assertThat(b.get(j.jobId())).isEmpty();
            assertThat(a.tableName()).isEqualTo("tenant_a.uws_job");
            assertThat(b.tableName()).isEqualTo("b_job");
        }
    }

    @Test
    void theH2FeedReportsCommittedChangesOnAStoreThread() throws Exception {
        try (JdbcJobStore s = JdbcJobStore.builder().h2File(dir.resolve("feed")).poolName("feedtest").build()) {
            List<String> seen = new CopyOnWriteArrayList<>();
            AutoCloseable sub = s.subscribe(c -> seen.add(Thread.currentThread().getName() + " " + describe(c)));
            Job j = job("l");
            s.insert(j);
            s.update(j.toBuilder().phase(Phase.QUEUED, j.creationTime(), "run").version(1).build());
            s.delete(j.jobId());
            Await.until(Duration.ofSeconds(5), Duration.ofMillis(10), () -> seen.size() == 3, "three changes",
                    seen::toString);
            assertThat(seen).containsExactly("feedtest-changes " + j.jobId() + " PENDING 0",
                    "feedtest-changes " + j.jobId() + " QUEUED 1", "feedtest-changes " + j.jobId() + " deleted -1");
            sub.close();
            s.insert(job("l"));
            assertThat(seen).hasSize(3);
        }
    }

    private static String describe(JobChange c) {
        return c.jobId() + " " + (c.deleted() ? "deleted" : c.phase().name()) + " " + c.version();
    }

    @Test
    void aValueTooLongForItsColumnIsAClientError() {
        try (JdbcJobStore s = JdbcJobStore.h2File(dir.resolve("long"))) {
            Job j = job("l").toBuilder().runId("x".repeat(5000)).build();
            assertThatThrownBy(() -> s.insert(j)).isInstanceOf(InvalidRequestException.class)
                    .hasMessageContaining("too long");
        }
    }

    @Test
    void aClosedStoreRefusesWork() {
        JdbcJobStore s = JdbcJobStore.h2File(dir.resolve("closed"));
        s.close();
        s.close();
        assertThatThrownBy(() -> s.get("x")).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    /**
     * Job threads are interrupted on ABORT while they may be recording progress through the store. An interrupt must
     * not take the embedded database down for everybody: with H2's default NIO file system the interrupted
     * FileChannel closes and H2 closes the whole database ("The database has been closed").
     */
    @Test
    void anInterruptedCallerDoesNotCloseTheEmbeddedDatabase() {
        try (JdbcJobStore store = JdbcJobStore.h2File(dir.resolve("interrupts"))) {
            for (int i = 0; i < 50; i++) {
                Job job = job("demo");
                Thread.currentThread().interrupt();
                try {
                    store.insert(job);
                    store.update(job.toBuilder().putJobInfo("progress", Integer.toString(i)).version(1).build());
                } catch (StoreUnavailableException e) {
                    // acceptable for the interrupted call itself (e.g. the pool refuses an interrupted borrower)
                } finally {
                    Thread.interrupted();
                }
            }
            Job after = job("demo");
            store.insert(after);
            assertThat(store.get(after.jobId())).isPresent();
            assertThat(store.count(org.uwskit.JobFilter.all("demo"))).isGreaterThanOrEqualTo(1);
        }
    }
}
