package org.uwskit.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.uwskit.ErrorSummary;
import org.uwskit.Job;
import org.uwskit.JobFilter;
import org.uwskit.JobIds;
import org.uwskit.JobNotFoundException;
import org.uwskit.JobRef;
import org.uwskit.Lease;
import org.uwskit.Parameter;
import org.uwskit.Phase;
import org.uwskit.PhaseChange;
import org.uwskit.Result;
import org.uwskit.StaleVersionException;
import org.uwskit.spi.JobStore;
import org.uwskit.spi.OwnerUsage;
import org.uwskit.spi.JobStore.Cursor;

/**
 * The contract every {@link JobStore} meets. Extend it in your store's tests and implement {@link #createStore()};
 * each test gets a new store (or one emptied of earlier jobs: the tests use their own job-list names, so a shared
 * database is fine) and closes it afterwards.
 *
 * <p>Covers insert/get and duplicate insert, compare-and-set update and {@link StaleVersionException}, delete, list
 * order with keyset paging and every filter (phase union, ARCHIVED hidden unless asked, after, owner), count,
 * an owner's usage (stored and active jobs, upload bytes),
 * destruction and timeout due lists, claiming QUEUED jobs (also from two threads at once, never the same job
 * twice), expired leases, and timestamps round-tripping at millisecond precision in UTC.
 */
public abstract class JobStoreContract {
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

    private List<String> ids(List<JobRef> refs) {
        return refs.stream().map(JobRef::jobId).toList();
    }

    private List<String> all(JobFilter f) {
        return ids(store.list(f, null, 10_000));
    }

    // ------------------------------------------------------------------ insert, get, update, delete

    @Test
    void aJobRoundTripsWithEveryFieldAtMillisecondPrecisionInUtc() {
        Instant created = T0;
        Job j = Job.builder(JobIds.next(), list, "demo", created)
                .runId("run-1").ownerId("alice").quote(T0.plusMillis(60_500))
                .startTime(T0.plusMillis(1_001)).endTime(T0.plusMillis(2_002))
                .executionDuration(3600).destruction(T0.plusMillis(86_400_999))
                .parameters(List.of(Parameter.of("QUERY", "SELECT 1 ü ✓"), Parameter.of("query", "second value"),
                        Parameter.byReference("in", "http://example.org/x?a=1&b=2"),
                        new Parameter("file", "param:file", true, new Parameter.Upload("a.csv", "text/csv", 42))))
                .results(List.of(Result.stored("out", "text/plain", 12),
                        new Result("ext", URI.create("http://example.org/r/1"), null, -1)))
                .error(new ErrorSummary(ErrorSummary.Type.TRANSIENT, "boom", "line 1\nline 2"))
                .jobInfo(Map.of("progress", "0.500"))
                .lease(new Lease("node-a", T0.plusMillis(30_007), "local", "ref-9"))
                .phase(Phase.PENDING, created, "created")
                .build();
        j = j.toBuilder().phase(Phase.QUEUED, T0.plusMillis(500), "client RUN")
                .phase(Phase.EXECUTING, T0.plusMillis(1_001), "started")
                .phase(Phase.ERROR, T0.plusMillis(2_002), null).build();
        store.insert(j);
        Job back = store.get(j.jobId()).orElseThrow();
        assertThat(back).isEqualTo(j);
        assertThat(back.creationTime()).isEqualTo(Instant.parse("2031-05-06T07:08:09.123Z"));
        assertThat(back.history()).extracting(PhaseChange::from).containsExactly(null, Phase.PENDING, Phase.QUEUED,
                Phase.EXECUTING);
    }

    @Test
    void getOfAnUnknownJobIsEmpty() {
        assertThat(store.get(JobIds.next())).isEmpty();
    }

    @Test
    void insertingAnExistingIdIsRefused() {
        Job j = job(0);
        store.insert(j);
        assertThatThrownBy(() -> store.insert(j)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void updateIsACompareAndSetOnTheVersion() {
        Job j = job(0);
        store.insert(j);
        Job v1 = update(j, b -> b.runId("one"));
        assertThat(store.get(j.jobId()).orElseThrow()).isEqualTo(v1);
        // a second writer that read version 0 loses
        Job stale = j.toBuilder().runId("stale").version(1).build();
        assertThatThrownBy(() -> store.update(stale)).isInstanceOf(StaleVersionException.class);
        Job skipping = v1.toBuilder().version(3).build();
        assertThatThrownBy(() -> store.update(skipping)).isInstanceOf(StaleVersionException.class);
        assertThat(store.get(j.jobId()).orElseThrow().runId()).isEqualTo("one");
        Job v2 = update(v1, b -> b.phase(Phase.QUEUED, T0.plusSeconds(1), "client RUN"));
        assertThat(store.get(j.jobId()).orElseThrow()).isEqualTo(v2);
    }

    @Test
    void updateOfAMissingJobIsNotFound() {
        Job j = job(0).toBuilder().version(1).build();
        assertThatThrownBy(() -> store.update(j)).isInstanceOf(JobNotFoundException.class);
    }

    @Test
    void deleteRemovesTheJobOnce() {
        Job j = job(0);
        store.insert(j);
        assertThat(store.delete(j.jobId())).isTrue();
        assertThat(store.delete(j.jobId())).isFalse();
        assertThat(store.get(j.jobId())).isEmpty();
        assertThat(all(JobFilter.all(list))).isEmpty();
    }

    // ------------------------------------------------------------------ listing

    @Test
    void listIsNewestFirstThenJobIdDescending() {
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            jobs.add(job(i));
        }
        Job twinA = job(2);
        Job twinB = job(2);
        jobs.add(twinA);
        jobs.add(twinB);
        Collections.shuffle(jobs);
        jobs.forEach(store::insert);
        List<JobRef> refs = store.list(JobFilter.all(list), null, 100);
        assertThat(refs).hasSize(7);
        for (int i = 1; i < refs.size(); i++) {
            JobRef a = refs.get(i - 1);
            JobRef b = refs.get(i);
            int c = a.creationTime().compareTo(b.creationTime());
            assertThat(c > 0 || c == 0 && a.jobId().compareTo(b.jobId()) > 0)
                    .as("%s before %s", a, b).isTrue();
        }
    }

    @Test
    void keysetPagingVisitsEveryJobOnce() {
        for (int i = 0; i < 25; i++) {
            store.insert(job(i / 3));
        }
        List<String> expected = all(JobFilter.all(list));
        List<String> paged = new ArrayList<>();
        Cursor cursor = null;
        while (true) {
            List<JobRef> page = store.list(JobFilter.all(list), cursor, 7);
            assertThat(page.size()).isLessThanOrEqualTo(7);
            if (page.isEmpty()) {
                break;
            }
            paged.addAll(ids(page));
            cursor = Cursor.after(page.get(page.size() - 1));
        }
        assertThat(paged).hasSize(25).doesNotHaveDuplicates().isEqualTo(expected);
    }

    @Test
    void refsCarryPhaseRunIdOwnerAndCreationTime() {
        Job j = job(0).toBuilder().runId("r").ownerId("bob").build();
        store.insert(j);
        assertThat(store.list(JobFilter.all(list), null, 10))
                .containsExactly(new JobRef(j.jobId(), Phase.PENDING, "r", "bob", T0));
    }

    @Test
    void phaseFilterIsAUnionAndArchivedIsHiddenUnlessAsked() {
        Job pending = job(0);
        Job queued = inPhase(job(1), Phase.QUEUED);
        Job completed = inPhase(job(2), Phase.COMPLETED);
        Job archived = inPhase(job(3), Phase.ARCHIVED);
        List.of(pending, queued, completed, archived).forEach(store::insert);
        JobFilter f = JobFilter.all(list);
        assertThat(all(f)).containsExactly(completed.jobId(), queued.jobId(), pending.jobId());
        assertThat(all(f.withPhases(Set.of(Phase.QUEUED, Phase.COMPLETED))))
                .containsExactly(completed.jobId(), queued.jobId());
        assertThat(all(f.withPhases(Set.of(Phase.ARCHIVED)))).containsExactly(archived.jobId());
        assertThat(all(f.withPhases(EnumSet.allOf(Phase.class)))).hasSize(4);
        assertThat(store.count(f)).isEqualTo(3);
        assertThat(store.count(f.withPhases(Set.of(Phase.ARCHIVED, Phase.PENDING)))).isEqualTo(2);
    }

    @Test
    void afterFilterIsStrictOnCreationTime() {
        Job a = job(0);
        Job b = job(10);
        Job c = job(20);
        List.of(a, b, c).forEach(store::insert);
        JobFilter f = JobFilter.all(list).withAfter(T0.plusSeconds(10));
        assertThat(all(f)).containsExactly(c.jobId());
        assertThat(store.count(f)).isEqualTo(1);
        assertThat(all(JobFilter.all(list).withAfter(T0.plusSeconds(10).minusMillis(1))))
                .containsExactly(c.jobId(), b.jobId());
    }

    @Test
    void ownerFilterSeparatesOwnersAndAnonymousJobs() {
        Job alice = job(0).toBuilder().ownerId("alice").build();
        Job bob = job(1).toBuilder().ownerId("bob").build();
        Job anon = job(2);
        List.of(alice, bob, anon).forEach(store::insert);
        JobFilter f = JobFilter.all(list);
        assertThat(all(f.withOwner("alice"))).containsExactly(alice.jobId());
        assertThat(all(f.withOwner(null))).containsExactly(anon.jobId());
        assertThat(all(f)).hasSize(3);
        assertThat(store.count(f.withOwner("bob"))).isEqualTo(1);
        assertThat(all(f.withOwner("carol"))).isEmpty();
    }

    @Test
    void filtersCombineByAndAndStayInTheirJobList() {
        Job a = inPhase(job(0), Phase.QUEUED).toBuilder().ownerId("alice").build();
        Job b = inPhase(job(5), Phase.QUEUED).toBuilder().ownerId("alice").build();
        Job c = inPhase(job(6), Phase.PENDING).toBuilder().ownerId("alice").build();
        Job d = inPhase(job(7), Phase.QUEUED).toBuilder().ownerId("bob").build();
        Job other = Job.builder(JobIds.next(), list + "x", "demo", T0.plusSeconds(8)).ownerId("alice")
                .rawPhase(Phase.QUEUED).build();
        List.of(a, b, c, d, other).forEach(store::insert);
        JobFilter f = JobFilter.all(list).withOwner("alice").withPhases(Set.of(Phase.QUEUED))
                .withAfter(T0.plusSeconds(1));
        assertThat(all(f)).containsExactly(b.jobId());
        assertThat(store.count(f)).isEqualTo(1);
        assertThat(store.count(JobFilter.all(list))).isEqualTo(4);
        assertThat(all(JobFilter.all(list + "x"))).containsExactly(other.jobId());
    }

    @Test
    void ownerUsageCountsStoredAndActiveJobsAndUploadBytesOfOneOwner() {
        assertThat(store.ownerUsage(list, "alice")).isEqualTo(OwnerUsage.NONE);
        Parameter upload300 = new Parameter("F", "param:F", true, new Parameter.Upload("f.bin", "text/plain", 300));
        Parameter upload45 = new Parameter("G", "param:G", true, new Parameter.Upload(null, null, 45));
        Job pending = job(1).toBuilder().ownerId("alice").parameters(List.of(Parameter.of("A", "1"), upload300))
                .build();
        store.insert(pending);
        for (Phase p : List.of(Phase.QUEUED, Phase.EXECUTING, Phase.HELD, Phase.SUSPENDED, Phase.COMPLETED,
                Phase.ERROR, Phase.ABORTED, Phase.UNKNOWN)) {
            store.insert(inPhase(job(2).toBuilder().ownerId("alice").build(), p));
        }
        store.insert(inPhase(job(3).toBuilder().ownerId("alice").parameters(List.of(upload45)).build(),
                Phase.QUEUED));
        // ARCHIVED jobs, other owners, anonymous jobs and other lists are not alice's usage here
        store.insert(inPhase(job(4).toBuilder().ownerId("alice").parameters(List.of(upload300)).build(),
                Phase.ARCHIVED));
        store.insert(inPhase(job(5).toBuilder().ownerId("bob").parameters(List.of(upload300)).build(), Phase.QUEUED));
        store.insert(inPhase(job(6).toBuilder().parameters(List.of(upload45)).build(), Phase.EXECUTING));
        store.insert(Job.builder(JobIds.next(), list + "x", "demo", T0).ownerId("alice")
                .parameters(List.of(upload300)).phase(Phase.PENDING, T0, "created").build());

        assertThat(store.ownerUsage(list, "alice")).isEqualTo(new OwnerUsage(10, 5, 345));
        assertThat(store.ownerUsage(list, "bob")).isEqualTo(new OwnerUsage(1, 1, 300));
        assertThat(store.ownerUsage(list, null)).as("the anonymous owner").isEqualTo(new OwnerUsage(1, 1, 45));
        assertThat(store.ownerUsage(list, "carol")).isEqualTo(OwnerUsage.NONE);
        assertThat(store.ownerUsage(list + "x", "alice")).isEqualTo(new OwnerUsage(1, 0, 300));

        // updates and deletes are seen: new upload sizes, a phase change, a deleted job
        Job changed = update(pending, b -> b.parameters(List.of(upload45)).phase(Phase.QUEUED, T0.plusSeconds(9), "run"));
        assertThat(store.ownerUsage(list, "alice")).isEqualTo(new OwnerUsage(10, 6, 90));
        store.delete(changed.jobId());
        assertThat(store.ownerUsage(list, "alice")).isEqualTo(new OwnerUsage(9, 5, 45));
    }

    @Test
    void listReadsNoMoreThanTheLimit() {
        for (int i = 0; i < 30; i++) {
            store.insert(job(i));
        }
        assertThat(store.list(JobFilter.all(list), null, 4)).hasSize(4);
        assertThat(store.list(JobFilter.all(list).withPhases(Set.of(Phase.PENDING)), null, 1)).hasSize(1);
    }

    // ------------------------------------------------------------------ due work

    @Test
    void dueForDestructionIsInclusiveOldestFirstAndSkipsArchived() {
        Job early = job(0).toBuilder().destruction(T0.plusSeconds(100)).build();
        Job exact = job(1).toBuilder().destruction(T0.plusSeconds(200)).build();
        Job later = job(2).toBuilder().destruction(T0.plusSeconds(200).plusMillis(1)).build();
        Job never = job(3);
        Job archived = inPhase(job(4), Phase.ARCHIVED).toBuilder().destruction(T0.plusSeconds(50)).build();
        List.of(later, exact, never, archived, early).forEach(store::insert);
        assertThat(store.dueForDestruction(T0.plusSeconds(200), 10)).extracting(Job::jobId)
                .containsExactly(early.jobId(), exact.jobId());
        assertThat(store.dueForDestruction(T0.plusSeconds(200), 1)).extracting(Job::jobId)
                .containsExactly(early.jobId());
        assertThat(store.dueForDestruction(T0.plusSeconds(99), 10)).isEmpty();
    }

    @Test
    void dueForTimeoutListsExecutingJobsPastTheirDeadline() {
        Instant start = T0.plusSeconds(10);
        Job due = inPhase(job(0), Phase.EXECUTING).toBuilder().startTime(start).executionDuration(60).build();
        Job notYet = inPhase(job(1), Phase.EXECUTING).toBuilder().startTime(start).executionDuration(61).build();
        Job unlimited = inPhase(job(2), Phase.EXECUTING).toBuilder().startTime(start).executionDuration(0).build();
        Job queued = inPhase(job(3), Phase.QUEUED).toBuilder().executionDuration(1).build();
        Job done = inPhase(job(4), Phase.COMPLETED).toBuilder().startTime(start).executionDuration(1).build();
        List.of(due, notYet, unlimited, queued, done).forEach(store::insert);
        assertThat(store.dueForTimeout(start.plusSeconds(60), 10)).extracting(Job::jobId)
                .containsExactly(due.jobId());
        assertThat(store.dueForTimeout(start.plusSeconds(60).minusMillis(1), 10)).isEmpty();
        Job moved = update(store.get(due.jobId()).orElseThrow(),
                b -> b.phase(Phase.ABORTED, start.plusSeconds(60), "execution duration exceeded"));
        assertThat(moved.phase()).isEqualTo(Phase.ABORTED);
        assertThat(store.dueForTimeout(start.plusSeconds(600), 10)).extracting(Job::jobId)
                .containsExactly(notYet.jobId());
    }

    // ------------------------------------------------------------------ claims and leases

    @Test
    void claimQueuedTakesUnleasedQueuedJobsOldestFirst() {
        Instant now = T0.plusSeconds(100);
        Job q1 = inPhase(job(1), Phase.QUEUED);
        Job q2 = inPhase(job(2), Phase.QUEUED);
        Job q3 = inPhase(job(3), Phase.QUEUED);
        Job leased = inPhase(job(0), Phase.QUEUED).toBuilder().lease(new Lease("other", now.plusSeconds(5), null, null))
                .build();
        Job expired = inPhase(job(4), Phase.QUEUED).toBuilder()
                .lease(new Lease("dead", now.minusSeconds(1), null, null)).build();
        Job pending = job(0);
        Job elsewhere = Job.builder(JobIds.next(), list + "x", "demo", T0).rawPhase(Phase.QUEUED).build();
        List.of(q3, leased, q1, expired, pending, q2, elsewhere).forEach(store::insert);

        List<Job> claimed = store.claimQueued(list, "me", now, now.plusSeconds(30), 2);
        assertThat(claimed).extracting(Job::jobId).containsExactly(q1.jobId(), q2.jobId());
        for (Job c : claimed) {
            assertThat(c.lease()).isEqualTo(new Lease("me", now.plusSeconds(30), null, null));
            assertThat(c.version()).isEqualTo(1);
            assertThat(store.get(c.jobId()).orElseThrow()).isEqualTo(c);
        }
        assertThat(store.claimQueued(list, "me", now, now.plusSeconds(30), 10)).extracting(Job::jobId)
                .containsExactly(q3.jobId(), expired.jobId());
        assertThat(store.claimQueued(list, "me", now, now.plusSeconds(30), 10)).isEmpty();
    }

    @Test
    void twoConcurrentClaimersNeverGetTheSameJob() throws Exception {
        int n = 200;
        for (int i = 0; i < n; i++) {
            store.insert(inPhase(job(i), Phase.QUEUED));
        }
        Instant now = T0.plusSeconds(1000);
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            for (String node : List.of("node-a", "node-b")) {
                Callable<List<String>> claimer = () -> {
                    go.await();
                    List<String> mine = new ArrayList<>();
                    while (true) {
                        List<Job> got = store.claimQueued(list, node, now, now.plusSeconds(30), 3);
                        if (got.isEmpty()) {
                            return mine;
                        }
                        got.forEach(j -> mine.add(j.jobId()));
                    }
                };
                results.add(pool.submit(claimer));
            }
            go.countDown();
            List<String> a = results.get(0).get(30, TimeUnit.SECONDS);
            List<String> b = results.get(1).get(30, TimeUnit.SECONDS);
            // One claimer may legally get every job (the other finds nothing left): only overlap is a failure.
            Set<String> both = new HashSet<>(a);
            both.retainAll(new HashSet<>(b));
            List<String> all = new ArrayList<>(a);
            all.addAll(b);
            assertThat(both).as("jobs claimed by both nodes").isEmpty();
            assertThat(all).as("every claim of both nodes").doesNotHaveDuplicates().hasSize(n);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void expiredLeasesListActiveJobsWhoseNodeStoppedRenewing() {
        Instant now = T0.plusSeconds(100);
        Lease old = new Lease("dead", now.minusMillis(1), "local", "r1");
        Lease fresh = new Lease("alive", now.plusSeconds(10), "local", "r2");
        Job exec = inPhase(job(0), Phase.EXECUTING).toBuilder().lease(old).startTime(T0).build();
        Job queued = inPhase(job(1), Phase.QUEUED).toBuilder().lease(old).build();
        Job held = inPhase(job(2), Phase.HELD).toBuilder().lease(old).build();
        Job alive = inPhase(job(3), Phase.EXECUTING).toBuilder().lease(fresh).startTime(T0).build();
        Job finished = inPhase(job(4), Phase.COMPLETED).toBuilder().lease(old).build();
        Job noLease = inPhase(job(5), Phase.QUEUED);
        List.of(exec, queued, held, alive, finished, noLease).forEach(store::insert);
        assertThat(store.expiredLeases(now, 10)).extracting(Job::jobId)
                .containsExactlyInAnyOrder(exec.jobId(), queued.jobId(), held.jobId());
        assertThat(store.expiredLeases(now, 2)).hasSize(2);
        assertThat(store.expiredLeases(now.minusSeconds(1), 10)).isEmpty();
    }

    @Test
    void closeIsIdempotent() {
        store.close();
        store.close();
        store = createStore();
    }
}
