package org.uwskit.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.uwskit.Job;
import org.uwskit.JobIds;
import org.uwskit.Phase;
import org.uwskit.spi.JobChangeFeed;
import org.uwskit.spi.JobChangeFeed.JobChange;
import org.uwskit.spi.JobStore;

/**
 * The contract every {@link JobChangeFeed} must pass: each committed insert, update and delete is reported to every
 * subscriber (perhaps more than once), with the job's list, phase and version; closing a subscription stops its
 * calls; a feed without gaps never reports a resync. Extend it and implement {@link #createStore()} (a
 * {@link JobStore} that is a {@link JobChangeFeed}); the in-memory store and the JDBC store on H2 and PostgreSQL run
 * it. Deliveries are awaited (a feed may deliver on its own thread) for at most {@link #DELIVERY}.
 */
public abstract class JobChangeFeedContract {
    /** How long a change may take to be delivered. */
    protected static final Duration DELIVERY = Duration.ofSeconds(10);
    private static final Instant T0 = Instant.parse("2031-05-06T07:08:09.123Z");

    /** The store under test, made by {@link #createStore()} before each test and closed after it. */
    protected JobStore store;
    /** A job list name of this test's own, so a store shared across tests works too. */
    protected String list;

    /**
     * A new store that is also a {@link JobChangeFeed}.
     *
     * @return the store under test
     * @throws Exception if it cannot be made
     */
    protected abstract JobStore createStore() throws Exception;

    @BeforeEach
    void newStore() throws Exception {
        store = createStore();
        assertThat(store).as("the store under test is a JobChangeFeed").isInstanceOf(JobChangeFeed.class);
        list = "feed" + JobIds.next().substring(0, 8);
    }

    @AfterEach
    void closeStore() throws Exception {
        if (store != null) {
            store.close();
        }
    }

    private JobChangeFeed feed() {
        return (JobChangeFeed) store;
    }

    private Job job() {
        return Job.builder(JobIds.next(), list, "demo", T0).phase(Phase.PENDING, T0, "created").build();
    }

    private static void awaitChange(List<JobChange> seen, JobChange expected) {
        Await.until(DELIVERY, Await.DEFAULT_POLL, () -> seen.contains(expected), "the change " + expected,
                () -> "seen " + seen);
    }

    @Test
    void insertsUpdatesAndDeletesAreReportedToEverySubscriber() throws Exception {
        List<JobChange> a = new CopyOnWriteArrayList<>();
        List<JobChange> b = new CopyOnWriteArrayList<>();
        try (AutoCloseable sa = feed().subscribe(a::add); AutoCloseable sb = feed().subscribe(b::add)) {
            Job j = job();
            store.insert(j);
            JobChange inserted = new JobChange(j.jobId(), list, Phase.PENDING, j.version());
            awaitChange(a, inserted);
            awaitChange(b, inserted);

            Job queued = j.toBuilder().phase(Phase.QUEUED, T0.plusSeconds(1), "run").version(j.version() + 1)
                    .build();
            store.update(queued);
            JobChange updated = new JobChange(j.jobId(), list, Phase.QUEUED, queued.version());
            awaitChange(a, updated);
            awaitChange(b, updated);

            assertThat(store.delete(j.jobId())).isTrue();
            JobChange deleted = new JobChange(j.jobId(), list, null, -1);
            awaitChange(a, deleted);
            awaitChange(b, deleted);
            assertThat(deleted.deleted()).isTrue();
            assertThat(a).as("changes of one job arrive in commit order").containsSubsequence(inserted, updated,
                    deleted);
        }
    }

    @Test
    void aClosedSubscriptionIsNoLongerCalledAndClosingTwiceIsHarmless() throws Exception {
        List<JobChange> closed = new CopyOnWriteArrayList<>();
        List<JobChange> open = new CopyOnWriteArrayList<>();
        AutoCloseable gone = feed().subscribe(closed::add);
        try (AutoCloseable stays = feed().subscribe(open::add)) {
            Job first = job();
            store.insert(first);
            awaitChange(closed, new JobChange(first.jobId(), list, Phase.PENDING, first.version()));
            gone.close();
            gone.close();
            Job second = job();
            store.insert(second);
            Job third = job();
            store.insert(third);
            awaitChange(open, new JobChange(third.jobId(), list, Phase.PENDING, third.version()));
            assertThat(closed).extracting(JobChange::jobId).doesNotContain(second.jobId(), third.jobId());
        }
    }

    @Test
    void aFeedWithoutGapsReportsNoResyncAndEveryJobListIsReported() throws Exception {
        List<JobChange> seen = new CopyOnWriteArrayList<>();
        try (AutoCloseable s = feed().subscribe(seen::add)) {
            Job mine = job();
            Job other = Job.builder(JobIds.next(), list + "x", "demo", T0).phase(Phase.PENDING, T0, "created")
                    .build();
            store.insert(other);
            store.insert(mine);
            awaitChange(seen, new JobChange(other.jobId(), list + "x", Phase.PENDING, other.version()));
            awaitChange(seen, new JobChange(mine.jobId(), list, Phase.PENDING, mine.version()));
            assertThat(seen).noneMatch(JobChange::isResync);
        }
    }
}
