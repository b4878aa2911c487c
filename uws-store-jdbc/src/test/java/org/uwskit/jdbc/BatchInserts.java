package org.uwskit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.uwskit.Job;
import org.uwskit.JobFilter;
import org.uwskit.JobIds;
import org.uwskit.Phase;
import org.uwskit.spi.JobChangeFeed.JobChange;
import org.uwskit.testkit.Await;

/** The checks of the group commit and {@link JdbcJobStore#insertAll} that run on H2 and on PostgreSQL. */
final class BatchInserts {
    private static final Instant T = Instant.parse("2031-01-02T03:04:05.678Z");

    private BatchInserts() {
    }

    static Job job(String list, int i) {
        Instant t = T.plusMillis(i);
        return Job.builder(JobIds.next(), list, "demo", t).ownerId("o" + (i % 3)).runId("r" + i)
                .phase(Phase.PENDING, t, "created").build();
    }

    /**
     * 16 threads insert 40 jobs each at once, every tenth an id that exists already: exactly those fail (with the
     * existing job unchanged), every other job is stored and reported to the change feed.
     */
    static void concurrentInsertsAreEachCommittedOrRefusedAlone(JdbcJobStore store, String list) throws Exception {
        Job existing = job(list, 0);
        store.insert(existing);
        Set<String> reported = ConcurrentHashMap.newKeySet();
        try (AutoCloseable sub = store.subscribe(c -> {
            if (!c.isResync() && list.equals(c.jobList())) {
                reported.add(c.jobId());
            }
        })) {
            ExecutorService pool = Executors.newFixedThreadPool(16);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<String>>> results = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    start.await();
                    List<String> ok = new ArrayList<>();
                    for (int i = 0; i < 40; i++) {
                        Job j = i % 10 == 9 ? existing.toBuilder().runId("dup").build() : job(list, 1 + thread * 40 + i);
                        try {
                            store.insert(j);
                            ok.add(j.jobId());
                        } catch (IllegalStateException e) {
                            assertThat(j.jobId()).isEqualTo(existing.jobId());
                            assertThat(e).hasMessageContaining(existing.jobId()).hasMessageContaining("already exists");
                        }
                    }
                    return ok;
                }));
            }
            start.countDown();
            List<String> stored = new ArrayList<>();
            for (Future<List<String>> f : results) {
                stored.addAll(f.get(60, TimeUnit.SECONDS));
            }
            pool.shutdown();
            assertThat(stored).hasSize(16 * 36).doesNotContain(existing.jobId());
            assertThat(store.count(new JobFilter(list, null, true, Set.of(), null, null))).isEqualTo(16 * 36 + 1);
            for (String id : stored) {
                assertThat(store.get(id)).isPresent();
            }
            assertThat(store.get(existing.jobId()).orElseThrow().runId()).isEqualTo(existing.runId());
            Await.until(Duration.ofSeconds(10), () -> reported.containsAll(stored), "every insert reported");
        }
    }

    /** 2,500 jobs (more than one JDBC batch) in one call: all stored, read back equal, each reported. */
    static void insertAllStoresEveryJobAndReportsEach(JdbcJobStore store, String list) throws Exception {
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 2500; i++) {
            jobs.add(job(list, i));
        }
        List<JobChange> reported = new CopyOnWriteArrayList<>();
        try (AutoCloseable sub = store.subscribe(c -> {
            if (list.equals(c.jobList())) {
                reported.add(c);
            }
        })) {
            store.insertAll(jobs);
            assertThat(store.count(new JobFilter(list, null, true, Set.of(), null, null))).isEqualTo(2500);
            assertThat(store.get(jobs.get(1234).jobId())).contains(jobs.get(1234));
            assertThat(store.list(new JobFilter(list, null, true, Set.of(), null, null), null, 3))
                    .extracting(r -> r.jobId()).containsExactly(jobs.get(2499).jobId(), jobs.get(2498).jobId(),
                            jobs.get(2497).jobId());
            Await.until(Duration.ofSeconds(10), () -> reported.size() == 2500, "2,500 changes reported");
            assertThat(reported).allMatch(c -> c.phase() == Phase.PENDING && c.version() == 0);
        }
        store.insertAll(List.of());
    }

    /** A batch with one existing id stores nothing, and says so. */
    static void insertAllIsAllOrNothing(JdbcJobStore store, String list) {
        Job existing = job(list, 0);
        store.insert(existing);
        List<Job> jobs = new ArrayList<>();
        for (int i = 1; i <= 1500; i++) {
            jobs.add(job(list, i));
        }
        jobs.add(existing.toBuilder().runId("dup").build());
        assertThatThrownBy(() -> store.insertAll(jobs)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already exists").hasMessageContaining("none was stored");
        assertThat(store.count(new JobFilter(list, null, true, Set.of(), null, null))).isEqualTo(1);
        assertThat(store.get(jobs.get(0).jobId())).isEmpty();
        assertThat(store.get(existing.jobId()).orElseThrow().runId()).isEqualTo(existing.runId());
    }
}
