package org.uwskit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.uwskit.Caller;
import org.uwskit.Job;
import org.uwskit.JobDefinition;
import org.uwskit.JobList;
import org.uwskit.JobNotFoundException;
import org.uwskit.JobRequest;
import org.uwskit.JobService;
import org.uwskit.Phase;
import org.uwskit.memory.InMemoryJobStore;
import org.uwskit.memory.InMemoryResultStore;
import org.uwskit.spi.JobChangeFeed;

/**
 * The feed's resync signal: changes the feed did not report (as the JDBC store's LISTEN connection was down) are
 * found by re-reading the waited jobs, once per job, and the waiters complete as a reported change would have made
 * them; waiters whose job did not change keep waiting.
 */
class FeedResyncTest {
    static final Caller ALICE = Caller.of("alice");
    /** Far above every bound here: a waiter that completes did not time out. */
    static final Duration WAIT = Duration.ofSeconds(30);
    static final long BOUND_MS = 2_000;

    final GappyFeedStore store = new GappyFeedStore(new InMemoryJobStore());
    final JobService service = JobService.builder().clock(new TestClock(Instant.parse("2030-01-01T00:00:00Z")))
            .store(store).resultStore(new InMemoryResultStore())
            .jobList(JobList.builder("demo").definition(JobDefinition.builder("echo").build()).build()).build();

    @AfterEach
    void close() {
        service.close();
    }

    Job create() {
        return service.create(ALICE, "demo", JobRequest.builder().build());
    }

    CompletableFuture<Job> await(Job j, Phase expected) {
        CompletableFuture<Job> f = service.awaitChange(ALICE, "demo", j.jobId(), WAIT, expected);
        assertThat(f).as("waiting on %s", j.jobId()).isNotDone();
        return f;
    }

    @Test
    void aResyncWakesTheWaitersOfJobsThatChangedUnreportedAndOnlyThose() throws Exception {
        Job runs = create();
        Job stays = create();
        Job goes = create();
        CompletableFuture<Job> runsAny = await(runs, null);
        CompletableFuture<Job> runsExpected = await(runs, Phase.PENDING);
        CompletableFuture<Job> staysAny = await(stays, null);
        CompletableFuture<Job> goesAny = await(goes, Phase.PENDING);

        store.muted = true;
        service.run(ALICE, "demo", runs.jobId());
        service.setExecutionDuration(ALICE, "demo", stays.jobId(), 5);
        store.delete(goes.jobId());
        assertThat(List.of(runsAny, runsExpected, staysAny, goesAny)).as("changes the feed did not report")
                .noneMatch(CompletableFuture::isDone);

        store.reads.clear();
        store.resync();

        assertThat(runsAny.get(BOUND_MS, TimeUnit.MILLISECONDS).phase()).isEqualTo(Phase.QUEUED);
        assertThat(runsExpected.get(BOUND_MS, TimeUnit.MILLISECONDS).phase()).isEqualTo(Phase.QUEUED);
        try {
            goesAny.get(BOUND_MS, TimeUnit.MILLISECONDS);
            throw new AssertionError("the waiter of a deleted job completed normally");
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(JobNotFoundException.class).hasMessageContaining(goes.jobId());
        }
        Await.until(() -> store.readsOf(stays.jobId()) >= 1, "the unchanged job is re-read");
        assertThat(store.reads).as("one read per waited job, not per waiter")
                .containsOnlyKeys(runs.jobId(), stays.jobId(), goes.jobId());
        assertThat(store.reads.values()).allMatch(n -> n.get() == 1);
        assertThat(staysAny).as("a job whose phase did not change keeps its waiter").isNotDone();
        assertThat(JobKernel.of(service).orElseThrow().waiterCount()).isEqualTo(1);

        store.muted = false;
        service.run(ALICE, "demo", stays.jobId());
        assertThat(staysAny.get(BOUND_MS, TimeUnit.MILLISECONDS).phase()).isEqualTo(Phase.QUEUED);
    }

    @Test
    void aResyncWithNoWaitersReadsNothingAndHooksSeeIt() throws Exception {
        List<JobChangeFeed.JobChange> hooked = new CopyOnWriteArrayList<>();
        JobKernel.of(service).orElseThrow().onChange(hooked::add);
        create();
        store.reads.clear();
        store.resync();
        assertThat(hooked).last().matches(JobChangeFeed.JobChange::isResync);
        assertThat(JobChangeFeed.JobChange.resync().deleted()).isFalse();
        assertThat(store.reads).isEmpty();
    }

    /** Polls a condition with a deadline. */
    static final class Await {
        static void until(java.util.function.BooleanSupplier c, String what) {
            CoreAwait.until(Duration.ofMillis(BOUND_MS), c, what);
        }
    }

    /**
     * An in-memory store whose feed forwards its changes unless {@link #muted} (a gap: changes are lost), and
     * reports a resync on {@link #resync()}. Counts reads per job id.
     */
    static final class GappyFeedStore extends ForwardingJobStore implements JobChangeFeed {
        final List<Consumer<JobChange>> subscribers = new CopyOnWriteArrayList<>();
        final Map<String, AtomicInteger> reads = new ConcurrentHashMap<>();
        volatile boolean muted;

        GappyFeedStore(InMemoryJobStore inner) {
            super(inner);
            inner.subscribe(c -> {
                if (!muted) {
                    subscribers.forEach(s -> s.accept(c));
                }
            });
        }

        void resync() {
            subscribers.forEach(s -> s.accept(JobChange.resync()));
        }

        int readsOf(String jobId) {
            AtomicInteger n = reads.get(jobId);
            return n == null ? 0 : n.get();
        }

        @Override
        public AutoCloseable subscribe(Consumer<JobChange> listener) {
            subscribers.add(listener);
            return () -> subscribers.remove(listener);
        }

        @Override
        public Optional<Job> get(String jobId) {
            reads.computeIfAbsent(jobId, k -> new AtomicInteger()).incrementAndGet();
            return inner.get(jobId);
        }
    }
}
