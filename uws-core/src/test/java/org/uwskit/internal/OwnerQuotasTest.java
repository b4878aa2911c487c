package org.uwskit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.uwskit.Caller;
import org.uwskit.Job;
import org.uwskit.JobDefinition;
import org.uwskit.JobFilter;
import org.uwskit.JobList;
import org.uwskit.JobListPolicy;
import org.uwskit.JobRequest;
import org.uwskit.JobService;
import org.uwskit.Phase;
import org.uwskit.QuotaExceededException;
import org.uwskit.QuotaExceededException.Quota;
import org.uwskit.Quotas;
import org.uwskit.memory.InMemoryJobStore;
import org.uwskit.memory.InMemoryResultStore;

/** The per-owner quotas as the client role enforces them, time from a settable clock. */
class OwnerQuotasTest {
    static final Caller ALICE = Caller.of("alice");
    static final Caller BOB = Caller.of("bob");

    final TestClock clock = new TestClock(Instant.parse("2030-01-01T00:00:00Z"));
    final InMemoryJobStore store = new InMemoryJobStore();
    final InMemoryResultStore results = new InMemoryResultStore();
    JobService service;

    JobService service(Quotas quotas) {
        service = JobService.builder().clock(clock).store(store).resultStore(results)
                .jobList(JobList.builder("demo").definition(JobDefinition.builder("echo").build())
                        .policy(JobListPolicy.builder().allowAnonymous(true).quotas(quotas).build()).build())
                .build();
        return service;
    }

    @AfterEach
    void close() {
        if (service != null) {
            service.close();
        }
    }

    Job create(Caller c) {
        return service.create(c, "demo", JobRequest.builder().build());
    }

    Job createWithUpload(Caller c, int bytes) {
        return service.create(c, "demo", JobRequest.builder()
                .upload(new JobRequest.Upload("F", "f.bin", "application/octet-stream",
                        new ByteArrayInputStream(new byte[bytes]))).build());
    }

    long stored(Caller c) {
        return store.count(new JobFilter("demo", c.ownerId(), false, java.util.Set.of(), null, null));
    }

    @Test
    void theDefaultsBoundEveryQuota() {
        Quotas q = JobListPolicy.defaults().quotas();
        assertThat(q).isEqualTo(Quotas.defaults());
        assertThat(q.maxActiveJobs()).isEqualTo(Quotas.DEFAULT_MAX_ACTIVE_JOBS).isPositive();
        assertThat(q.maxStoredJobs()).isEqualTo(Quotas.DEFAULT_MAX_STORED_JOBS).isPositive();
        assertThat(q.maxUploadBytes()).isEqualTo(Quotas.DEFAULT_MAX_UPLOAD_BYTES).isPositive();
        assertThat(q.requestsPerSecond()).isEqualTo(Quotas.DEFAULT_REQUESTS_PER_SECOND).isPositive();
        assertThat(q.requestBurst()).isEqualTo(Quotas.DEFAULT_REQUEST_BURST).isPositive();
        assertThat(JobListPolicy.defaults().maxActiveJobsPerOwner()).isEqualTo(Quotas.DEFAULT_MAX_ACTIVE_JOBS);
    }

    @Test
    void badQuotaSettingsFailAtBuild() {
        assertThatThrownBy(() -> Quotas.builder().maxStoredJobs(-1).build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Quotas.builder().requestsPerSecond(Double.NaN).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Quotas.builder().requestBurst(0).build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Quotas.builder().retryAfter(Duration.ofMillis(10)).build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void requestRate_aBurstThenTheSustainedRate_perOwner() {
        service(Quotas.builder().requestsPerSecond(1).requestBurst(3).build());
        for (int i = 0; i < 3; i++) {
            service.admit(ALICE, "demo");
        }
        QuotaExceededException e = catchQuota(() -> service.admit(ALICE, "demo"));
        assertThat(e.quota()).isEqualTo(Quota.REQUEST_RATE);
        assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(1));
        assertThat(e.retryAfterSeconds()).isEqualTo(1);
        assertThat(e.getMessage()).contains("request rate").contains("demo");
        service.admit(BOB, "demo"); // bob has his own bucket
        clock.advance(Duration.ofSeconds(1));
        service.admit(ALICE, "demo");
        assertThat(catchQuota(() -> service.admit(ALICE, "demo")).quota()).isEqualTo(Quota.REQUEST_RATE);
    }

    @Test
    void requestRate_anonymousCallersShareOneBucket_adminsAreNotCounted() {
        service(Quotas.builder().requestsPerSecond(1).requestBurst(2).build());
        service.admit(Caller.anonymous(), "demo");
        service.admit(Caller.anonymous(), "demo");
        assertThat(catchQuota(() -> service.admit(Caller.anonymous(), "demo")).getMessage()).contains("anonymous");
        for (int i = 0; i < 100; i++) {
            service.admit(Caller.system(), "demo");
        }
        service.admit(ALICE, "demo");
    }

    @Test
    void requestRate_zeroMeansNoLimit() {
        service(Quotas.unlimited());
        for (int i = 0; i < 10_000; i++) {
            service.admit(ALICE, "demo");
        }
    }

    @Test
    void storedJobs_creationBeyondTheQuotaIsRefusedAndKeepsNothing() {
        service(Quotas.builder().maxStoredJobs(2).build());
        create(ALICE);
        Job second = create(ALICE);
        QuotaExceededException e = catchQuota(() -> create(ALICE));
        assertThat(e.quota()).isEqualTo(Quota.STORED_JOBS);
        assertThat(e.retryAfter()).isEqualTo(Quotas.DEFAULT_RETRY_AFTER);
        assertThat(e.getMessage()).contains("stored jobs").contains("2");
        assertThat(stored(ALICE)).isEqualTo(2);
        create(BOB); // another owner is not affected
        // deleting a job frees room
        service.delete(ALICE, "demo", second.jobId());
        create(ALICE);
        assertThat(stored(ALICE)).isEqualTo(2);
        create(Caller.system()); // administrators are not counted
    }

    @Test
    void activeJobs_runBeyondTheQuotaIsRefused_atCreationAndLater() {
        service(Quotas.builder().maxActiveJobs(1).build());
        Job first = service.create(ALICE, "demo", JobRequest.builder().run().build());
        assertThat(first.phase()).isEqualTo(Phase.QUEUED);
        QuotaExceededException e = catchQuota(() -> service.create(ALICE, "demo", JobRequest.builder().run().build()));
        assertThat(e.quota()).isEqualTo(Quota.ACTIVE_JOBS);
        assertThat(e.getMessage()).contains("active jobs").contains("1");
        assertThat(stored(ALICE)).as("a refused creation with RUN keeps no job").isEqualTo(1);
        Job pending = create(ALICE);
        assertThat(catchQuota(() -> service.run(ALICE, "demo", pending.jobId())).quota()).isEqualTo(Quota.ACTIVE_JOBS);
        assertThat(store.get(pending.jobId()).orElseThrow().phase()).isEqualTo(Phase.PENDING);
        // RUN of the job already QUEUED stays idempotent, not a new active job
        assertThat(service.run(ALICE, "demo", first.jobId()).phase()).isEqualTo(Phase.QUEUED);
        service.create(BOB, "demo", JobRequest.builder().run().build());
        service.abort(ALICE, "demo", first.jobId());
        assertThat(service.run(ALICE, "demo", pending.jobId()).phase()).isEqualTo(Phase.QUEUED);
    }

    @Test
    void uploadBytes_atCreationAndInParameterUpdates() {
        service(Quotas.builder().maxUploadBytes(1000).build());
        Job a = createWithUpload(ALICE, 600);
        QuotaExceededException e = catchQuota(() -> createWithUpload(ALICE, 401));
        assertThat(e.quota()).isEqualTo(Quota.UPLOAD_BYTES);
        assertThat(e.getMessage()).contains("upload bytes").contains("600").contains("1000");
        assertThat(stored(ALICE)).as("the refused job is not kept").isEqualTo(1);
        Job b = createWithUpload(ALICE, 400); // exactly at the quota
        createWithUpload(BOB, 1000);
        // replacing an upload counts only the difference
        service.updateParameters(ALICE, "demo", b.jobId(), List.of(), List.of(new JobRequest.Upload("F", "g.bin",
                "application/octet-stream", new ByteArrayInputStream(new byte[300]))));
        assertThat(catchQuota(() -> service.updateParameters(ALICE, "demo", a.jobId(), List.of(),
                List.of(new JobRequest.Upload("G", "g.bin", "application/octet-stream",
                        new ByteArrayInputStream(new byte[101]))))).quota()).isEqualTo(Quota.UPLOAD_BYTES);
        assertThat(store.get(a.jobId()).orElseThrow().parameters()).extracting(p -> p.name()).containsExactly("F");
        service.updateParameters(ALICE, "demo", a.jobId(), List.of(), List.of(new JobRequest.Upload("G", "g.bin",
                "application/octet-stream", new ByteArrayInputStream(new byte[100]))));
        assertThat(store.ownerUsage("demo", "alice").uploadBytes()).isEqualTo(1000);
        // deleting a job frees its bytes
        service.delete(ALICE, "demo", a.jobId());
        createWithUpload(ALICE, 700);
    }

    @Test
    void unlimitedQuotasRefuseNothing() {
        service(Quotas.unlimited());
        for (int i = 0; i < 300; i++) {
            service.create(ALICE, "demo", JobRequest.builder().run().build());
        }
        createWithUpload(ALICE, 5000);
    }

    @Test
    void theJobStoreDefaultOwnerUsageAgreesWithTheInMemoryStore() {
        service(Quotas.unlimited());
        for (int i = 0; i < 1100; i++) { // more than two pages of the default's paging
            create(i % 2 == 0 ? ALICE : BOB);
        }
        createWithUpload(ALICE, 700);
        service.create(ALICE, "demo", JobRequest.builder().run().build());
        service.create(Caller.anonymous(), "demo", JobRequest.builder().run().build());
        org.uwskit.spi.JobStore plain = new ForwardingJobStore(store); // does not override ownerUsage
        for (String owner : java.util.Arrays.asList("alice", "bob", null, "carol")) {
            assertThat(plain.ownerUsage("demo", owner)).as("owner %s", owner).isEqualTo(store.ownerUsage("demo", owner));
        }
        assertThat(store.ownerUsage("demo", "alice")).isEqualTo(new org.uwskit.spi.OwnerUsage(552, 1, 700));
    }

    private static QuotaExceededException catchQuota(Runnable r) {
        try {
            r.run();
        } catch (QuotaExceededException e) {
            return e;
        }
        throw new AssertionError("expected a QuotaExceededException");
    }
}
