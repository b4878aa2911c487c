package org.uwskit.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.uwskit.Job;
import org.uwskit.JobFilter;
import org.uwskit.JobIds;
import org.uwskit.JobRef;
import org.uwskit.Parameter;
import org.uwskit.Phase;
import org.uwskit.spi.OwnerUsage;
import org.uwskit.spi.JobStore.Cursor;

/**
 * The {@link JobStoreContract} group on listing: list order with keyset paging and every filter (phase union,
 * ARCHIVED hidden unless asked, after, owner, combined), count, the limit, and an owner's usage (stored and active
 * jobs, upload bytes). Extend {@link JobStoreContract}, which runs every group.
 */
abstract class JobStoreListingContract extends JobStoreRecordContract {
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
}
