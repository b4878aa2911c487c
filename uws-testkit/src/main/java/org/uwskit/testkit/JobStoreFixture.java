package org.uwskit.testkit;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.uwskit.Job;
import org.uwskit.JobFilter;
import org.uwskit.JobIds;
import org.uwskit.JobRef;
import org.uwskit.Phase;
import org.uwskit.spi.JobStore;

/**
 * What every group of {@link JobStoreContract} shares: the store under test (a new one for each test, closed
 * afterwards), a job-list name unique to the test, and helpers that make and change jobs. Not to be extended
 * directly: extend {@link JobStoreContract}, which runs every group.
 */
abstract class JobStoreFixture {
    /** A base instant with milliseconds, far from the epoch. */
    protected static final Instant T0 = Instant.parse("2031-05-06T07:08:09.123Z");

    /** The store under test. */
    protected JobStore store;
    /** A job-list name unique to the running test. */
    protected String list;

    /** A new store. */
    protected abstract JobStore createStore();

    @BeforeEach
    void createStoreUnderTest() {
        store = createStore();
        list = "l" + JobIds.next().substring(0, 12);
    }

    @AfterEach
    void closeStoreUnderTest() {
        if (store != null) {
            store.close();
        }
    }

    /** A PENDING job of the test's list created {@code secondsAfterT0} after {@link #T0}. */
    protected Job job(long secondsAfterT0) {
        Instant created = T0.plusSeconds(secondsAfterT0);
        return Job.builder(JobIds.next(), list, "demo", created).phase(Phase.PENDING, created, "created").build();
    }

    /** A copy in {@code phase} (no history entry), same version. */
    protected static Job inPhase(Job j, Phase phase) {
        return j.toBuilder().rawPhase(phase).build();
    }

    /** Stores a changed copy with the next version. */
    protected Job update(Job current, java.util.function.UnaryOperator<Job.Builder> change) {
        Job next = change.apply(current.toBuilder()).version(current.version() + 1).build();
        store.update(next);
        return next;
    }

    /** The ids of {@code refs}, in order. */
    List<String> ids(List<JobRef> refs) {
        return refs.stream().map(JobRef::jobId).toList();
    }

    /** The ids of every job the filter lists, in list order. */
    List<String> all(JobFilter f) {
        return ids(store.list(f, null, 10_000));
    }
}
