package org.uwskit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.uwskit.AccessDeniedException;
import org.uwskit.BlobKind;
import org.uwskit.Caller;
import org.uwskit.IllegalPhaseTransitionException;
import org.uwskit.InvalidRequestException;
import org.uwskit.InvalidStateException;
import org.uwskit.Job;
import org.uwskit.JobDefinition;
import org.uwskit.JobFilter;
import org.uwskit.JobList;
import org.uwskit.JobListPolicy;
import org.uwskit.JobNotFoundException;
import org.uwskit.JobRef;
import org.uwskit.JobRejectedException;
import org.uwskit.JobRequest;
import org.uwskit.JobService;
import org.uwskit.Parameter;
import org.uwskit.ParameterDefinition;
import org.uwskit.ParameterType;
import org.uwskit.PayloadTooLargeException;
import org.uwskit.Phase;
import org.uwskit.PhaseChange;
import org.uwskit.Result;
import org.uwskit.ResultContent;
import org.uwskit.memory.InMemoryJobStore;
import org.uwskit.memory.InMemoryResultStore;
import org.uwskit.spi.JobListener;

class DefaultJobServiceTest {
    static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
    static final Caller ALICE = Caller.of("alice");
    static final Caller BOB = Caller.of("bob");

    final TestClock clock = new TestClock(T0);
    final InMemoryJobStore store = new InMemoryJobStore();
    final InMemoryResultStore results = new InMemoryResultStore();
    final List<String> heard = new ArrayList<>();
    JobService service;

    JobService service(JobListPolicy policy, JobDefinition... defs) {
        JobList.Builder l = JobList.builder("demo").policy(policy);
        for (JobDefinition d : defs.length == 0 ? new JobDefinition[] {JobDefinition.builder("echo").build()} : defs) {
            l.definition(d);
        }
        service = JobService.builder().clock(clock).store(store).resultStore(results).jobList(l.build())
                .listener(new JobListener() {
                    @Override
                    public void phaseChanged(Job job, PhaseChange change) {
                        heard.add(change.from() + ">" + change.to());
                    }

                    @Override
                    public void destroyed(Job job) {
                        heard.add("destroyed");
                    }
                })
                .build();
        return service;
    }

    JobService service() {
        return service(JobListPolicy.defaults());
    }

    @AfterEach
    void close() {
        if (service != null) {
            service.close();
        }
    }

    Job create(Caller c, String... nameValue) {
        JobRequest.Builder b = JobRequest.builder();
        for (int i = 0; i < nameValue.length; i += 2) {
            b.parameter(nameValue[i], nameValue[i + 1]);
        }
        return service.create(c, "demo", b.build());
    }

    @Test
    void aFailingQuoteEstimatorDoesNotFailCreationOrRun() {
        org.uwskit.spi.QuoteEstimator broken = (job, list, now) -> {
            throw new IllegalStateException("estimator bug");
        };
        try (JobService s = JobService.builder().clock(clock).quoteEstimator(broken)
                .jobList(JobList.builder("demo").definition(JobDefinition.builder("demo").build())
                        .policy(JobListPolicy.builder().allowAnonymous(true).build()).build())
                .build()) {
            Job j = s.create(Caller.anonymous(), "demo", JobRequest.builder().build());
            assertThat(j.quote()).isNull();
            assertThat(s.run(Caller.anonymous(), "demo", j.jobId()).phase()).isEqualTo(Phase.QUEUED);
        }
    }

    // ------------------------------------------------------------------ creation

    @Test
    void creationAppliesTheDefaultsOfThePolicy() {
        service();
        Job j = create(ALICE, "x", "1");
        assertThat(j.phase()).isEqualTo(Phase.PENDING);
        assertThat(j.ownerId()).isEqualTo("alice");
        assertThat(j.creationTime()).isEqualTo(T0);
        assertThat(j.executionDuration()).isEqualTo(3600);
        assertThat(j.destruction()).isEqualTo(T0.plus(JobListPolicy.DEFAULT_RETENTION));
        assertThat(j.quote()).as("no finished job of this type yet").isNull();
        assertThat(j.history()).containsExactly(new PhaseChange(null, Phase.PENDING, T0, "created"));
        assertThat(j.version()).isZero();
        assertThat(store.get(j.jobId())).contains(j);
        assertThat(heard).containsExactly("null>PENDING");
    }

    @Test
    void requestedDurationAndDestructionAreClamped() {
        service(JobListPolicy.builder().maxExecutionDuration(Duration.ofMinutes(10)).defaultExecutionDuration(
                Duration.ofMinutes(1)).maxRetention(Duration.ofDays(2)).build());
        Job big = service.create(ALICE, "demo", JobRequest.builder().executionDuration(99_999L)
                .destruction(T0.plus(Duration.ofDays(100))).build());
        assertThat(big.executionDuration()).isEqualTo(600);
        assertThat(big.destruction()).isEqualTo(T0.plus(Duration.ofDays(2)));
        Job unlimited = service.create(ALICE, "demo", JobRequest.builder().executionDuration(0L).build());
        assertThat(unlimited.executionDuration()).as("0 = unlimited becomes the cap").isEqualTo(600);
        assertThatThrownBy(() -> service.create(ALICE, "demo", JobRequest.builder().executionDuration(-1L).build()))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("EXECUTIONDURATION");
    }

    @Test
    void neverDestroyedWhenThereIsNoRetention() {
        service(JobListPolicy.builder().defaultRetention(null).maxRetention(null).build());
        assertThat(create(ALICE).destruction()).isNull();
    }

    @Test
    void invalidParametersListEveryProblem() {
        service(JobListPolicy.defaults(), JobDefinition.builder("cone")
                .parameter(ParameterDefinition.builder("RA", ParameterType.REAL).required())
                .parameter(ParameterDefinition.builder("DEC", ParameterType.REAL).required()).build());
        assertThatThrownBy(() -> create(ALICE, "RA", "north"))
                .isInstanceOfSatisfying(InvalidRequestException.class,
                        e -> assertThat(e.problems()).hasSize(2));
        assertThat(store.size()).isZero();
    }

    @Test
    void theSelectorParameterChoosesTheJobType() {
        service(JobListPolicy.defaults(), JobDefinition.builder("alpha").strict().build(),
                JobDefinition.builder("beta").strict()
                        .parameter(ParameterDefinition.builder("N", ParameterType.INTEGER)).build());
        assertThat(create(ALICE, "TYPE", "beta", "N", "3").jobType()).isEqualTo("beta");
        assertThat(create(ALICE, "type", "alpha").jobType()).isEqualTo("alpha");
        assertThatThrownBy(() -> create(ALICE)).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("type");
        assertThatThrownBy(() -> create(ALICE, "type", "gamma")).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("gamma");
    }

    @Test
    void tooManyOrTooLongParametersAre413() {
        service(JobListPolicy.builder().maxParameters(3).maxParameterLength(10).build());
        assertThatThrownBy(() -> create(ALICE, "a", "1", "b", "2", "c", "3", "d", "4"))
                .isInstanceOf(PayloadTooLargeException.class).hasMessageContaining("4").hasMessageContaining("3");
        assertThatThrownBy(() -> create(ALICE, "q", "x".repeat(11)))
                .isInstanceOf(PayloadTooLargeException.class).hasMessageContaining("q").hasMessageContaining("10");
        assertThat(store.size()).isZero();
    }

    @Test
    void uploadsAreStoredAndServed() throws Exception {
        service();
        Job j = service.create(ALICE, "demo", JobRequest.builder().parameter("table", "param:t1")
                .upload("t1", "my.csv", "text/csv", bytes("a,b\n1,2\n")).build());
        Parameter p = j.parameter("table").orElseThrow();
        assertThat(p.byReference()).isTrue();
        assertThat(p.value()).isEqualTo("param:t1");
        assertThat(p.upload()).isEqualTo(new Parameter.Upload("my.csv", "text/csv", 8));
        try (ResultContent c = service.openUpload(ALICE, "demo", j.jobId(), "table", 2, 3)) {
            assertThat(c.totalSize()).isEqualTo(8);
            assertThat(c.mimeType()).isEqualTo("text/csv");
            assertThat(new String(c.stream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("b\n1");
        }
    }

    @Test
    void anUnreferencedUploadBecomesAParameterOfItsOwnName() {
        service();
        Job j = service.create(ALICE, "demo", JobRequest.builder().upload("cat", null, null, bytes("x")).build());
        assertThat(j.parameter("cat").orElseThrow().value()).isEqualTo("param:cat");
    }

    @Test
    void anOversizedUploadIs413AndLeavesNothingBehind() {
        service(JobListPolicy.builder().maxUploadSize(10).build());
        assertThatThrownBy(() -> service.create(ALICE, "demo", JobRequest.builder()
                .upload("ok", null, null, bytes("small"))
                .upload("big", null, null, bytes("x".repeat(11))).build()))
                .isInstanceOf(PayloadTooLargeException.class).hasMessageContaining("big").hasMessageContaining("10");
        assertThat(results.blobCount()).isZero();
        assertThat(store.size()).isZero();
    }

    @Test
    void aFileParametersMaxSizeBoundsItsUploadBelowTheListsLimit() {
        service(JobListPolicy.builder().maxUploadSize(1000).build(), JobDefinition.builder("small")
                .parameter(org.uwskit.ParameterDefinition.builder("FILE", org.uwskit.ParameterType.FILE).maxSize(5))
                .parameter(org.uwskit.ParameterDefinition.builder("OTHER", org.uwskit.ParameterType.FILE))
                .build());
        assertThatThrownBy(() -> service.create(ALICE, "demo", JobRequest.builder().parameter("FILE", "param:f")
                .upload("f", null, null, bytes("123456")).build()))
                .isInstanceOf(PayloadTooLargeException.class).hasMessageContaining("'f'").hasMessageContaining("5");
        assertThat(results.blobCount()).isZero();
        assertThat(store.size()).isZero();
        // at the limit, and another FILE parameter without maxSize keeps the list's limit
        Job j = service.create(ALICE, "demo", JobRequest.builder().parameter("FILE", "param:f")
                .upload("f", null, null, bytes("12345")).parameter("OTHER", "param:o")
                .upload("o", null, null, bytes("x".repeat(900))).build());
        assertThat(j.parameter("FILE").orElseThrow().upload().size()).isEqualTo(5);
        // the same bound when the upload is replaced later
        assertThatThrownBy(() -> service.updateParameters(ALICE, "demo", j.jobId(),
                List.of(Parameter.of("FILE", "param:g")),
                List.of(new JobRequest.Upload("g", null, null, bytes("1234567")))))
                .isInstanceOf(PayloadTooLargeException.class).hasMessageContaining("5");
        assertThat(service.get(ALICE, "demo", j.jobId()).parameter("FILE").orElseThrow().value())
                .isEqualTo("param:f");
    }

    @Test
    void badUploadNamesAre400() {
        service();
        assertThatThrownBy(() -> service.create(ALICE, "demo", JobRequest.builder()
                .upload("../../etc/passwd", null, null, bytes("x")).build()))
                .isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void createWithRunQueuesAtOnce() {
        service();
        Job j = service.create(ALICE, "demo", JobRequest.builder().run().runId("r1").build());
        assertThat(j.phase()).isEqualTo(Phase.QUEUED);
        assertThat(j.runId()).isEqualTo("r1");
        assertThat(j.history()).extracting(PhaseChange::to).containsExactly(Phase.PENDING, Phase.QUEUED);
    }

    // ------------------------------------------------------------------ RUN and ABORT in every phase

    /** Puts a stored job straight into {@code phase}, as the engine would have. */
    Job force(Job j, Phase phase) {
        Job cur = store.get(j.jobId()).orElseThrow();
        Job next = cur.toBuilder().rawPhase(phase).version(cur.version() + 1)
                .startTime(phase == Phase.PENDING || phase == Phase.QUEUED ? null : T0).build();
        store.update(next);
        return next;
    }

    @ParameterizedTest
    @EnumSource(Phase.class)
    void runInEveryPhase(Phase phase) {
        service();
        Job j = force(create(ALICE), phase);
        switch (phase) {
            case PENDING -> assertThat(service.run(ALICE, "demo", j.jobId()).phase()).isEqualTo(Phase.QUEUED);
            case HELD -> assertThat(service.run(ALICE, "demo", j.jobId()).phase()).isEqualTo(Phase.EXECUTING);
            case QUEUED, EXECUTING -> {
                Job again = service.run(ALICE, "demo", j.jobId());
                assertThat(again.phase()).as("RUN of a running job is a no-op").isEqualTo(phase);
                assertThat(again.version()).isEqualTo(j.version());
            }
            default -> {
                assertThatThrownBy(() -> service.run(ALICE, "demo", j.jobId()))
                        .isInstanceOf(IllegalPhaseTransitionException.class);
                assertThat(store.get(j.jobId()).orElseThrow().phase()).isEqualTo(phase);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Phase.class)
    void abortInEveryPhase(Phase phase) {
        service();
        Job j = force(create(ALICE), phase);
        clock.advance(Duration.ofSeconds(5));
        switch (phase) {
            case PENDING, QUEUED, EXECUTING, HELD, SUSPENDED -> {
                Job a = service.abort(ALICE, "demo", j.jobId());
                assertThat(a.phase()).isEqualTo(Phase.ABORTED);
                assertThat(a.endTime()).isEqualTo(T0.plusSeconds(5));
                assertThat(a.history().get(a.history().size() - 1))
                        .isEqualTo(new PhaseChange(phase, Phase.ABORTED, T0.plusSeconds(5), "client ABORT"));
            }
            case ABORTED -> assertThat(service.abort(ALICE, "demo", j.jobId()).version())
                    .as("ABORT of an aborted job is a no-op").isEqualTo(j.version());
            default -> {
                assertThatThrownBy(() -> service.abort(ALICE, "demo", j.jobId()))
                        .isInstanceOf(IllegalPhaseTransitionException.class);
                assertThat(store.get(j.jobId()).orElseThrow().phase()).isEqualTo(phase);
            }
        }
    }

    @Test
    void activeJobLimitsRefuseRun() {
        service(JobListPolicy.builder().maxActiveJobsPerOwner(2).maxActiveJobs(3).build());
        Job a1 = create(ALICE);
        Job a2 = create(ALICE);
        Job a3 = create(ALICE);
        service.run(ALICE, "demo", a1.jobId());
        service.run(ALICE, "demo", a2.jobId());
        // the per-owner limit is a quota (429), the limit over all owners a rejection (403)
        assertThatThrownBy(() -> service.run(ALICE, "demo", a3.jobId()))
                .isInstanceOf(org.uwskit.QuotaExceededException.class).hasMessageContaining("2");
        Job b1 = create(BOB);
        Job b2 = create(BOB);
        service.run(BOB, "demo", b1.jobId());
        assertThatThrownBy(() -> service.run(BOB, "demo", b2.jobId())).isInstanceOf(JobRejectedException.class)
                .hasMessageContaining("3");
        assertThatThrownBy(() -> service.create(BOB, "demo", JobRequest.builder().run().build()))
                .isInstanceOf(JobRejectedException.class);
        service.abort(ALICE, "demo", a1.jobId());
        assertThat(service.run(ALICE, "demo", a3.jobId()).phase()).isEqualTo(Phase.QUEUED);
    }

    // ------------------------------------------------------------------ other changes

    @Test
    void durationAndParametersChangeOnlyWhilePending() {
        service(JobListPolicy.builder().maxExecutionDuration(Duration.ofSeconds(100))
                .defaultExecutionDuration(Duration.ofSeconds(10)).build());
        Job j = create(ALICE, "a", "1", "b", "2", "A", "3");
        assertThat(service.setExecutionDuration(ALICE, "demo", j.jobId(), 50).executionDuration()).isEqualTo(50);
        assertThat(service.setExecutionDuration(ALICE, "demo", j.jobId(), 500).executionDuration()).isEqualTo(100);
        assertThatThrownBy(() -> service.setExecutionDuration(ALICE, "demo", j.jobId(), -5))
                .isInstanceOf(InvalidRequestException.class);
        Job p = service.updateParameters(ALICE, "demo", j.jobId(), List.of(Parameter.of("A", "9"),
                Parameter.of("c", "7")));
        assertThat(p.parameters()).extracting(Parameter::name, Parameter::value)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("b", "2"), org.assertj.core.groups.Tuple.tuple("A", "9"),
                        org.assertj.core.groups.Tuple.tuple("c", "7"));
        service.run(ALICE, "demo", j.jobId());
        assertThatThrownBy(() -> service.setExecutionDuration(ALICE, "demo", j.jobId(), 5))
                .isInstanceOf(InvalidStateException.class).hasMessageContaining("QUEUED");
        assertThatThrownBy(() -> service.updateParameters(ALICE, "demo", j.jobId(), List.of(Parameter.of("a", "1"))))
                .isInstanceOf(InvalidStateException.class);
    }

    // ------------------------------------------------------------------ parameter updates with uploads

    /** A stream that remembers whether it was closed, and can fail after some bytes. */
    static final class TrackedStream extends java.io.FilterInputStream {
        boolean closed;
        private final int failAfter;
        private int read;

        TrackedStream(String content, int failAfter) {
            super(bytes(content));
            this.failAfter = failAfter;
        }

        TrackedStream(String content) {
            this(content, -1);
        }

        @Override
        public int read(byte[] b, int off, int len) throws java.io.IOException {
            if (failAfter >= 0 && read >= failAfter) {
                throw new java.io.IOException("connection reset by peer");
            }
            int n = super.read(b, off, failAfter >= 0 ? Math.min(len, failAfter - read) : len);
            read += Math.max(n, 0);
            return n;
        }

        @Override
        public void close() throws java.io.IOException {
            closed = true;
            super.close();
        }
    }

    private String uploaded(Job j, String name) throws Exception {
        try (ResultContent c = service.openUpload(ALICE, "demo", j.jobId(), name, 0, -1)) {
            return new String(c.stream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static Set<java.nio.file.Path> spooledFiles() throws Exception {
        java.nio.file.Path tmp = java.nio.file.Path.of(System.getProperty("java.io.tmpdir"));
        try (Stream<java.nio.file.Path> s = java.nio.file.Files.list(tmp)) {
            return s.filter(f -> f.getFileName().toString().startsWith("uwskit-upload-")).collect(Collectors.toSet());
        }
    }

    @Test
    void updateWithUploadsAsPyvoSendsThem() throws Exception {
        service();
        Job j = create(ALICE, "QUERY", "select 1");
        Set<java.nio.file.Path> spooledBefore = spooledFiles();
        TrackedStream t1 = new TrackedStream("a,b\n1,2\n");
        TrackedStream t2 = new TrackedStream("xyz");
        Job u = service.updateParameters(ALICE, "demo", j.jobId(),
                List.of(Parameter.of("UPLOAD", "t1,param:t1"), Parameter.of("other", "param:t2")),
                List.of(new JobRequest.Upload("t1", "t1.csv", "text/csv", t1),
                        new JobRequest.Upload("t2", null, "application/octet-stream", t2)));
        assertThat(u.parameter("QUERY").orElseThrow().value()).isEqualTo("select 1");
        assertThat(u.parameter("UPLOAD").orElseThrow()).isEqualTo(Parameter.of("UPLOAD", "t1,param:t1"));
        // an unreferenced upload becomes a parameter of its own name, a referenced one is linked
        assertThat(u.parameter("t1").orElseThrow())
                .isEqualTo(new Parameter("t1", "param:t1", true, new Parameter.Upload("t1.csv", "text/csv", 8)));
        assertThat(u.parameter("other").orElseThrow())
                .isEqualTo(new Parameter("other", "param:t2", true,
                        new Parameter.Upload(null, "application/octet-stream", 3)));
        assertThat(u.parameter("t2")).isEmpty();
        assertThat(uploaded(u, "t1")).isEqualTo("a,b\n1,2\n");
        assertThat(uploaded(u, "other")).isEqualTo("xyz");
        assertThat(service.get(ALICE, "demo", j.jobId())).isEqualTo(u);
        assertThat(t1.closed).isTrue();
        assertThat(t2.closed).isTrue();
        assertThat(spooledFiles()).isSubsetOf(spooledBefore);

        // a second update replaces the bytes and the metadata of the upload of the same name
        Job again = service.updateParameters(ALICE, "demo", j.jobId(), List.of(),
                List.of(new JobRequest.Upload("t1", "new.csv", "text/csv", bytes("c\n"))));
        assertThat(again.parameters(("t1"))).hasSize(1);
        assertThat(again.parameter("t1").orElseThrow().upload().size()).isEqualTo(2);
        assertThat(uploaded(again, "t1")).isEqualTo("c\n");
        assertThat(results.blobCount()).isEqualTo(2);
    }

    @Test
    void aRefusedUploadUpdateLeavesTheJobAndItsUploadsAsTheyWere() throws Exception {
        service(JobListPolicy.builder().maxUploadSize(10).build());
        Job j = service.create(ALICE, "demo", JobRequest.builder().parameter("a", "1")
                .upload("t1", null, "text/plain", bytes("original")).build());
        Set<java.nio.file.Path> spooledBefore = spooledFiles();

        // too large: the first upload was fine, the second is not; nothing of either is stored
        TrackedStream ok = new TrackedStream("new");
        TrackedStream big = new TrackedStream("x".repeat(11));
        assertThatThrownBy(() -> service.updateParameters(ALICE, "demo", j.jobId(), List.of(Parameter.of("a", "2")),
                List.of(new JobRequest.Upload("t1", null, null, ok), new JobRequest.Upload("t9", null, null, big))))
                .isInstanceOf(PayloadTooLargeException.class).hasMessageContaining("t9").hasMessageContaining("10");
        assertThat(ok.closed).isTrue();
        assertThat(big.closed).isTrue();

        // the client's stream breaks half-way
        TrackedStream broken = new TrackedStream("0123456789", 4);
        assertThatThrownBy(() -> service.updateParameters(ALICE, "demo", j.jobId(), List.of(),
                List.of(new JobRequest.Upload("t1", null, null, broken))))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("t1")
                .hasMessageContaining("connection reset");

        // malformed and repeated names
        assertThatThrownBy(() -> service.updateParameters(ALICE, "demo", j.jobId(), List.of(),
                List.of(new JobRequest.Upload("../x", null, null, bytes("x")))))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("../x");
        assertThatThrownBy(() -> service.updateParameters(ALICE, "demo", j.jobId(), List.of(),
                List.of(new JobRequest.Upload("d", null, null, bytes("x")),
                        new JobRequest.Upload("d", null, null, bytes("y")))))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("twice");

        assertThat(service.get(ALICE, "demo", j.jobId())).isEqualTo(j);
        assertThat(uploaded(j, "t1")).isEqualTo("original");
        assertThat(results.blobCount()).isEqualTo(1);
        assertThat(spooledFiles()).isSubsetOf(spooledBefore);
    }

    @Test
    void uploadUpdatesNeedAPendingJobAndAccess() throws Exception {
        service();
        Job j = service.create(ALICE, "demo", JobRequest.builder()
                .upload("t1", null, "text/plain", bytes("original")).build());
        assertThatThrownBy(() -> service.updateParameters(BOB, "demo", j.jobId(), List.of(),
                List.of(new JobRequest.Upload("t1", null, null, bytes("bob's")))))
                .isInstanceOf(AccessDeniedException.class);
        service.run(ALICE, "demo", j.jobId());
        TrackedStream late = new TrackedStream("too late");
        assertThatThrownBy(() -> service.updateParameters(ALICE, "demo", j.jobId(), List.of(),
                List.of(new JobRequest.Upload("t1", null, null, late))))
                .isInstanceOf(InvalidStateException.class).hasMessageContaining("QUEUED");
        assertThat(late.closed).isTrue();
        assertThat(uploaded(j, "t1")).isEqualTo("original");
        assertThat(results.blobCount()).isEqualTo(1);
    }

    @Test
    void destructionIsClampedAndRefusedForArchivedJobs() {
        service(JobListPolicy.builder().maxRetention(Duration.ofDays(1)).build());
        Job j = create(ALICE);
        assertThat(service.setDestruction(ALICE, "demo", j.jobId(), T0.plusSeconds(60)).destruction())
                .isEqualTo(T0.plusSeconds(60));
        assertThat(service.setDestruction(ALICE, "demo", j.jobId(), T0.plus(Duration.ofDays(9))).destruction())
                .isEqualTo(T0.plus(Duration.ofDays(1)));
        force(j, Phase.ARCHIVED);
        assertThatThrownBy(() -> service.setDestruction(ALICE, "demo", j.jobId(), T0))
                .isInstanceOf(InvalidStateException.class);
    }

    @Test
    void deleteAbortsAnActiveJobThenForgetsItAndItsBlobs() throws Exception {
        service();
        Job j = service.create(ALICE, "demo", JobRequest.builder().upload("u", null, null, bytes("x")).run().build());
        assertThat(results.blobCount()).isEqualTo(1);
        heard.clear();
        service.delete(ALICE, "demo", j.jobId());
        assertThat(heard).containsExactly("QUEUED>ABORTED", "destroyed");
        assertThat(store.get(j.jobId())).isEmpty();
        assertThat(results.blobCount()).isZero();
        assertThatThrownBy(() -> service.get(ALICE, "demo", j.jobId())).isInstanceOf(JobNotFoundException.class);
    }

    @Test
    void resultsAreServedWithRanges() throws Exception {
        service();
        Job j = create(ALICE);
        try (var out = results.create(j.jobId(), BlobKind.RESULT, "r")) {
            out.write("0123456789".getBytes(StandardCharsets.UTF_8));
        }
        Job cur = store.get(j.jobId()).orElseThrow();
        store.update(cur.toBuilder().addResult(Result.stored("r", "text/plain", 10))
                .addResult(new Result("ext", java.net.URI.create("http://x/y"), null, -1)).version(1).build());
        try (ResultContent c = service.openResult(ALICE, "demo", j.jobId(), "r", 3, 4)) {
            assertThat(new String(c.stream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("3456");
            assertThat(c.offset()).isEqualTo(3);
            assertThat(c.length()).isEqualTo(4);
            assertThat(c.totalSize()).isEqualTo(10);
        }
        try (ResultContent c = service.openResult(ALICE, "demo", j.jobId(), "r", 0, -1)) {
            assertThat(c.stream().readAllBytes()).hasSize(10);
        }
        assertThatThrownBy(() -> service.openResult(ALICE, "demo", j.jobId(), "r", 8, 5))
                .isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> service.openResult(ALICE, "demo", j.jobId(), "nope", 0, -1))
                .isInstanceOf(JobNotFoundException.class);
        assertThatThrownBy(() -> service.openResult(ALICE, "demo", j.jobId(), "ext", 0, -1))
                .isInstanceOf(JobNotFoundException.class).hasMessageContaining("http://x/y");
    }

    // ------------------------------------------------------------------ access

    @Test
    void ownersSeeOnlyTheirJobsAndAdminsSeeAll() {
        service();
        Job a = create(ALICE);
        Job b = create(BOB);
        assertThatThrownBy(() -> service.get(BOB, "demo", a.jobId())).isInstanceOfSatisfying(
                AccessDeniedException.class, e -> assertThat(e.authenticationRequired()).isFalse());
        assertThatThrownBy(() -> service.abort(BOB, "demo", a.jobId())).isInstanceOf(AccessDeniedException.class);
        assertThat(ids(service.list(ALICE, JobFilter.all("demo")))).containsExactly(a.jobId());
        assertThat(ids(service.list(Caller.system(), JobFilter.all("demo")))).containsExactlyInAnyOrder(b.jobId(), a.jobId());
        assertThat(ids(service.list(new Caller("root", Set.of(), true), JobFilter.all("demo").withOwner("bob"))))
                .containsExactly(b.jobId());
    }

    @Test
    void anonymousCallersNeedAListThatAllowsThem() {
        service();
        assertThatThrownBy(() -> create(Caller.anonymous())).isInstanceOfSatisfying(AccessDeniedException.class,
                e -> assertThat(e.authenticationRequired()).isTrue());
        assertThatThrownBy(() -> service.list(Caller.anonymous(), JobFilter.all("demo")))
                .isInstanceOf(AccessDeniedException.class);
        service.close();
        service(JobListPolicy.builder().allowAnonymous(true).build());
        Job anon = create(Caller.anonymous());
        create(ALICE);
        assertThat(anon.ownerId()).isNull();
        assertThat(ids(service.list(Caller.anonymous(), JobFilter.all("demo")))).containsExactly(anon.jobId());
    }

    @Test
    void jobsOfOtherListsAndJunkIdsAreNotFound() {
        service();
        Job j = create(ALICE);
        assertThatThrownBy(() -> service.get(ALICE, "other", j.jobId())).isInstanceOf(JobNotFoundException.class);
        assertThatThrownBy(() -> service.get(ALICE, "demo", "../x")).isInstanceOf(JobNotFoundException.class);
        Job foreign = Job.builder("foreignjob", "elsewhere", "echo", T0).ownerId("alice").build();
        store.insert(foreign);
        assertThatThrownBy(() -> service.get(ALICE, "demo", "foreignjob")).isInstanceOf(JobNotFoundException.class);
    }

    // ------------------------------------------------------------------ listing filters

    @Test
    void listFiltersPhaseUnionArchivedAfterLastAndTheirConjunction() {
        service();
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            clock.set(T0.plusSeconds(i));
            jobs.add(create(ALICE));
        }
        force(jobs.get(1), Phase.QUEUED);
        force(jobs.get(2), Phase.COMPLETED);
        force(jobs.get(3), Phase.ARCHIVED);
        force(jobs.get(7), Phase.COMPLETED);
        JobFilter all = JobFilter.all("demo");
        assertThat(ids(service.list(ALICE, all))).hasSize(9).doesNotContain(jobs.get(3).jobId());
        assertThat(ids(service.list(ALICE, all.withPhases(Set.of(Phase.ARCHIVED)))))
                .containsExactly(jobs.get(3).jobId());
        assertThat(ids(service.list(ALICE, all.withPhases(EnumSet.of(Phase.QUEUED, Phase.COMPLETED)))))
                .containsExactly(jobs.get(7).jobId(), jobs.get(2).jobId(), jobs.get(1).jobId());
        assertThat(ids(service.list(ALICE, all.withAfter(T0.plusSeconds(7)))))
                .containsExactly(jobs.get(9).jobId(), jobs.get(8).jobId());
        assertThat(ids(service.list(ALICE, all.withLast(3))))
                .containsExactly(jobs.get(9).jobId(), jobs.get(8).jobId(), jobs.get(7).jobId());
        assertThat(ids(service.list(ALICE, all.withPhases(Set.of(Phase.COMPLETED, Phase.PENDING))
                .withAfter(T0.plusSeconds(1)).withLast(4))))
                .containsExactly(jobs.get(9).jobId(), jobs.get(8).jobId(), jobs.get(7).jobId(), jobs.get(6).jobId());
        List<JobRef> refs = service.list(ALICE, all).toList();
        for (int i = 1; i < refs.size(); i++) {
            assertThat(refs.get(i - 1).creationTime()).isAfter(refs.get(i).creationTime());
        }
    }

    @Test
    void listStreamsLazilyAcrossManyPages() {
        service(JobListPolicy.builder().allowAnonymous(true).build());
        int n = DefaultJobService.LIST_PAGE_SIZE * 2 + 17;
        for (int i = 0; i < n; i++) {
            store.insert(Job.builder(org.uwskit.JobIds.next(), "demo", "echo", T0.plusMillis(i)).ownerId("alice")
                    .build());
        }
        List<String> listed = ids(service.list(ALICE, JobFilter.all("demo")));
        assertThat(listed).hasSize(n).doesNotHaveDuplicates();
        assertThat(ids(service.list(ALICE, JobFilter.all("demo").withLast(DefaultJobService.LIST_PAGE_SIZE + 3))))
                .hasSize(DefaultJobService.LIST_PAGE_SIZE + 3).isEqualTo(listed.subList(0,
                        DefaultJobService.LIST_PAGE_SIZE + 3));
    }

    @Test
    void defaultServiceWorksWithoutAnyStoreGiven() throws Exception {
        try (JobService s = JobService.builder().jobList(JobList.builder("d")
                .definition(JobDefinition.builder("x").build()).build()).build()) {
            Job j = s.create(ALICE, "d", JobRequest.builder().upload("u", null, null, bytes("abc")).build());
            try (ResultContent c = s.openUpload(ALICE, "d", j.jobId(), "u", 0, -1)) {
                assertThat(c.stream().readAllBytes()).hasSize(3);
            }
            assertThat(s.clock().getZone()).isEqualTo(java.time.ZoneOffset.UTC);
        }
    }

    static List<String> ids(Stream<JobRef> s) {
        try (s) {
            return s.map(JobRef::jobId).collect(Collectors.toList());
        }
    }

    static InputStream bytes(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }
}
