package org.uwskit.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.uwskit.Job;
import org.uwskit.Phase;
import org.uwskit.StoreUnavailableException;
import org.uwskit.testkit.Await;

/** The group commit's own logic with a scripted batch writer (the JDBC side is tested on H2 and PostgreSQL). */
class GroupCommitTest {
    private static final Instant T = Instant.parse("2031-01-02T03:04:05.678Z");

    private final List<List<String>> batches = Collections.synchronizedList(new ArrayList<>());
    private final Set<String> stored = ConcurrentHashMap.newKeySet();
    private final Set<String> failing = ConcurrentHashMap.newKeySet();
    private volatile CountDownLatch gate = new CountDownLatch(0);
    private volatile CountDownLatch entered = new CountDownLatch(1);
    private volatile boolean unavailable;
    private final ExecutorService callers = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        callers.shutdownNow();
    }

    private static Job job(String id) {
        return Job.builder(id, "list", "type", T).phase(Phase.PENDING, T, "created").build();
    }

    /** All or nothing, as the store's transaction: fails if any job is in {@link #failing}. */
    private void write(List<Job> jobs) {
        entered.countDown();
        try {
            gate.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        batches.add(jobs.stream().map(Job::jobId).toList());
        if (unavailable) {
            throw new StoreUnavailableException("database down", null);
        }
        for (Job j : jobs) {
            if (failing.contains(j.jobId())) {
                throw new IllegalStateException("a job with id '" + j.jobId() + "' already exists");
            }
        }
        jobs.forEach(j -> stored.add(j.jobId()));
    }

    private GroupCommit<Job> commit(int capacity, int maxBatch) {
        return new GroupCommit<>(this::write, capacity, maxBatch, Duration.ofMillis(300), "test-inserts");
    }

    private Future<?> insertLater(GroupCommit<Job> gc, String id) {
        return callers.submit(() -> gc.insert(job(id), "inserting job " + id));
    }

    @Test
    void insertsWaitingTogetherShareOneBatchAndEachCallerReturnsAfterItsCommit() throws Exception {
        GroupCommit<Job> gc = commit(100, 50);
        gate = new CountDownLatch(1);
        Future<?> first = insertLater(gc, "a0");
        assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
        List<Future<?>> rest = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            rest.add(insertLater(gc, "a" + i));
        }
        Await.until(Duration.ofSeconds(5), () -> waiting(rest) == 10 && stored.isEmpty(), "ten callers waiting");
        awaitWaiting(gc, 10);
        assertThat(first.isDone()).isFalse();
        gate.countDown();
        first.get(5, TimeUnit.SECONDS);
        for (Future<?> f : rest) {
            f.get(5, TimeUnit.SECONDS);
        }
        assertThat(batches).hasSize(2);
        assertThat(batches.get(0)).containsExactly("a0");
        assertThat(batches.get(1)).hasSize(10);
        assertThat(stored).hasSize(11);
        gc.close();
    }

    private static long waiting(List<Future<?>> fs) {
        return fs.stream().filter(f -> !f.isDone()).count();
    }

    @Test
    void aBatchIsNeverLargerThanMaxBatch() throws Exception {
        GroupCommit<Job> gc = commit(100, 4);
        gate = new CountDownLatch(1);
        Future<?> first = insertLater(gc, "b0");
        assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
        List<Future<?>> rest = new ArrayList<>();
        for (int i = 1; i <= 9; i++) {
            rest.add(insertLater(gc, "b" + i));
        }
        awaitWaiting(gc, 9);
        gate.countDown();
        first.get(5, TimeUnit.SECONDS);
        for (Future<?> f : rest) {
            f.get(5, TimeUnit.SECONDS);
        }
        assertThat(batches).allSatisfy(b -> assertThat(b.size()).isLessThanOrEqualTo(4));
        assertThat(stored).hasSize(10);
        gc.close();
    }

    @Test
    void aFailingJobFailsOnlyItsOwnCallerTheOthersAreStoredOneByOne() throws Exception {
        GroupCommit<Job> gc = commit(100, 50);
        gate = new CountDownLatch(1);
        failing.add("c3");
        Future<?> first = insertLater(gc, "c0");
        assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
        Map<String, Future<?>> rest = new java.util.LinkedHashMap<>();
        for (int i = 1; i <= 5; i++) {
            rest.put("c" + i, insertLater(gc, "c" + i));
        }
        awaitWaiting(gc, 5);
        gate.countDown();
        first.get(5, TimeUnit.SECONDS);
        for (var e : rest.entrySet()) {
            if (e.getKey().equals("c3")) {
                assertThatThrownBy(() -> e.getValue().get(5, TimeUnit.SECONDS))
                        .hasCauseInstanceOf(IllegalStateException.class).hasMessageContaining("'c3' already exists");
            } else {
                e.getValue().get(5, TimeUnit.SECONDS);
            }
        }
        assertThat(stored).containsExactlyInAnyOrder("c0", "c1", "c2", "c4", "c5");
        // the failed batch of five, then each of its jobs alone
        assertThat(batches.get(1)).hasSize(5);
        assertThat(batches.subList(2, batches.size())).hasSize(5).allSatisfy(b -> assertThat(b).hasSize(1));
        gc.close();
    }

    @Test
    void anUnavailableStoreFailsEveryCallerOfTheBatchWithoutRetrying() throws Exception {
        GroupCommit<Job> gc = commit(100, 50);
        gate = new CountDownLatch(1);
        unavailable = true;
        List<Future<?>> all = new ArrayList<>();
        all.add(insertLater(gc, "d0"));
        assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
        for (int i = 1; i <= 3; i++) {
            all.add(insertLater(gc, "d" + i));
        }
        awaitWaiting(gc, 3);
        gate.countDown();
        for (Future<?> f : all) {
            assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(StoreUnavailableException.class);
        }
        assertThat(batches).hasSize(2);
        unavailable = false;
        gc.insert(job("d9"), "inserting job d9");
        assertThat(stored).containsExactly("d9");
        gc.close();
    }

    @Test
    void aFullQueueIsStoreUnavailableAfterTheOfferTimeout() throws Exception {
        GroupCommit<Job> gc = commit(1, 50);
        gate = new CountDownLatch(1);
        Future<?> first = insertLater(gc, "e0");
        assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
        Future<?> queued = insertLater(gc, "e1");
        awaitWaiting(gc, 1); // e1 fills the queue of one while the writer is held on e0
        assertThatThrownBy(() -> gc.insert(job("e2"), "inserting job e2")).isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("waiting for the database");
        gate.countDown();
        first.get(5, TimeUnit.SECONDS);
        queued.get(5, TimeUnit.SECONDS);
        assertThat(stored).containsExactlyInAnyOrder("e0", "e1");
        gc.close();
    }

    @Test
    void closeCommitsWhatIsQueuedThenRefusesNewInserts() throws Exception {
        GroupCommit<Job> gc = commit(100, 2);
        gate = new CountDownLatch(1);
        List<Future<?>> all = new ArrayList<>();
        all.add(insertLater(gc, "f0"));
        assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
        for (int i = 1; i <= 5; i++) {
            all.add(insertLater(gc, "f" + i));
        }
        awaitWaiting(gc, 5);
        Future<?> closing = callers.submit(gc::close);
        Thread.sleep(100); // a pause to show that close() blocks: it must not return while the writer is held
        assertThat(closing.isDone()).isFalse();
        gate.countDown();
        closing.get(5, TimeUnit.SECONDS);
        for (Future<?> f : all) {
            f.get(5, TimeUnit.SECONDS);
        }
        assertThat(stored).hasSize(6);
        assertThatThrownBy(() -> gc.insert(job("f9"), "inserting job f9")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("test-inserts"));
    }

    @Test
    void theWriterIsOneOwnedNamedThreadStartedByTheFirstInsert() {
        GroupCommit<Job> gc = commit(10, 10);
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("test-inserts"));
        gc.insert(job("g0"), "inserting job g0");
        assertThat(Thread.getAllStackTraces().keySet()).anyMatch(t -> t.getName().equals("test-inserts"));
        gc.close();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("test-inserts"));
    }

    /** Waits until {@code n} inserts queue behind the batch the writer is held on. */
    private static void awaitWaiting(GroupCommit<?> gc, int n) {
        Await.until(Duration.ofSeconds(5), () -> gc.waiting() == n, n + " inserts waiting for the writer");
    }
}
