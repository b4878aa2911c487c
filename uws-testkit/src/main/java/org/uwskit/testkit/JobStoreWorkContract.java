package org.uwskit.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.uwskit.Job;
import org.uwskit.JobIds;
import org.uwskit.Lease;
import org.uwskit.Phase;

/**
 * The {@link JobStoreContract} group on what the engine asks of a store: destruction and timeout due lists,
 * claiming QUEUED jobs (also from two threads at once, never the same job twice) and expired leases. Extend
 * {@link JobStoreContract}, which runs every group.
 */
abstract class JobStoreWorkContract extends JobStoreListingContract {
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
}
