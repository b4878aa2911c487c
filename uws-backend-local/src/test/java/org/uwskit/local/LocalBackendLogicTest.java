package org.uwskit.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.uwskit.JobDefinition;
import org.uwskit.ParameterDefinition;
import org.uwskit.ParameterType;
import org.uwskit.spi.ExecutionBackend.BackendException;
import org.uwskit.spi.ExecutionBackend.BackendState;
import org.uwskit.spi.JobTemplate;

class LocalBackendLogicTest {
    private static final Duration MAX = Duration.ofSeconds(10);
    private final List<LocalBackend> backends = new ArrayList<>();

    @AfterEach
    void close() {
        backends.forEach(LocalBackend::close);
    }

    private LocalBackend backend(LocalBackend.Builder b) {
        LocalBackend backend = b.build();
        backends.add(backend);
        return backend;
    }

    @Test
    void logicReturningNormallyCompletesWithItsResultsAndLog() throws Exception {
        JobDefinition def = JobDefinition.builder("demo")
                .parameter(ParameterDefinition.builder("N", ParameterType.INTEGER).defaultValue("3")).build();
        AtomicReference<String> thread = new AtomicReference<>();
        LocalBackend backend = backend(LocalBackend.builder().logic("demo", ctx -> {
            thread.set(Thread.currentThread().getName());
            ctx.progress(0.5, "half way");
            try (OutputStream out = ctx.result("numbers", "text/plain")) {
                for (long i = 1; i <= ctx.parameters().getLong("N"); i++) {
                    out.write((i + "\n").getBytes(StandardCharsets.UTF_8));
                }
            }
            ctx.log().info("wrote {} numbers", ctx.parameters().getLong("N"));
            // left open on purpose: the backend closes and lists it
            ctx.result("unclosed", null).write('x');
        }));
        CapturingEvents events = new CapturingEvents();
        String ref = backend.submit(Jobs.template(def), events);

        assertThat(events.awaitEnd(MAX)).isEqualTo("completed");
        assertThat(events.events()).startsWith("started").contains("progress 0.5 half way").endsWith("completed");
        assertThat(events.text("numbers")).isEqualTo("1\n2\n3\n");
        assertThat(events.mimeTypes).containsEntry("numbers", "text/plain").containsEntry("log", "text/plain");
        assertThat(events.text("log")).contains("INFO wrote 3 numbers");
        assertThat(events.text("unclosed")).isEqualTo("x");
        assertThat(thread.get()).startsWith("uws-local-local-");
        assertThat(backend.states(List.of(ref, "nope"))).containsExactly(
                Map.entry(ref, BackendState.DONE), Map.entry("nope", BackendState.UNKNOWN));
        assertThat(backend.name()).isEqualTo("local");
        assertThat(backend.accepts("demo")).isTrue();
        assertThat(backend.accepts("other")).isFalse();
    }

    @Test
    void logicThrowingFailsWithTheMessageAndAReferenceButNoStackTrace() throws Exception {
        LocalBackend backend = backend(LocalBackend.builder().logic("demo", ctx -> {
            throw new IllegalStateException("the catalogue is offline");
        }));
        CapturingEvents events = new CapturingEvents();
        String ref = backend.submit(Jobs.template("demo"), events);

        assertThat(events.awaitEnd(MAX)).isEqualTo("failed");
        assertThat(events.message).isEqualTo("the catalogue is offline");
        // issue 8 finding 6: the stack trace names our classes and files; it goes to the log, not to /error
        assertThat(events.detail).contains("the catalogue is offline", "reference job")
                .doesNotContain("IllegalStateException").doesNotContain("LocalBackendLogicTest").doesNotContain("at ");
        assertThat(backend.states(List.of(ref))).containsEntry(ref, BackendState.FAILED);
    }

    @Test
    void anExceptionWithoutMessageIsNamedByItsSimpleJdkClassName() throws Exception {
        LocalBackend backend = backend(LocalBackend.builder().logic("demo", ctx -> {
            throw new NullPointerException();
        }));
        CapturingEvents events = new CapturingEvents();
        backend.submit(Jobs.template("demo"), events);
        assertThat(events.awaitEnd(MAX)).isEqualTo("failed");
        assertThat(events.message).isEqualTo("the job logic failed without a message (NullPointerException)");
    }

    @Test
    void abortInterruptsTheLogicAndEndsInAbortedKeepingResultsSoFar() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        AtomicBoolean sawCancelled = new AtomicBoolean();
        LocalBackend backend = backend(LocalBackend.builder().logic("demo", ctx -> {
            try (OutputStream out = ctx.result("partial", "text/plain")) {
                out.write("first".getBytes(StandardCharsets.UTF_8));
            }
            running.countDown();
            try {
                new CountDownLatch(1).await();
            } finally {
                sawCancelled.set(ctx.isCancelled());
            }
        }));
        CapturingEvents events = new CapturingEvents();
        String ref = backend.submit(Jobs.template("demo"), events);
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(backend.states(List.of(ref))).containsEntry(ref, BackendState.RUNNING);

        backend.abort(ref);
        backend.abort(ref);

        assertThat(events.awaitEnd(MAX)).isEqualTo("aborted");
        assertThat(sawCancelled).isTrue();
        assertThat(events.text("partial")).isEqualTo("first");
        assertThat(backend.states(List.of(ref))).containsEntry(ref, BackendState.ABORTED);
        assertThat(events.events()).doesNotContain("SECOND TERMINAL completed", "SECOND TERMINAL aborted");
        backend.abort(ref);
        backend.abort("unknown-ref");
    }

    @Test
    void anAbortTheEngineFlagsIsSeenByIsCancelled() throws Exception {
        CapturingEvents events = new CapturingEvents();
        CountDownLatch running = new CountDownLatch(1);
        LocalBackend backend = backend(LocalBackend.builder().logic("demo", ctx -> {
            running.countDown();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!ctx.isCancelled() && System.nanoTime() < end) {
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
            }
        }));
        backend.submit(Jobs.template("demo"), events);
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
        events.abortRequested = true;
        assertThat(events.awaitEnd(MAX)).isEqualTo("aborted");
    }

    @Test
    void poolBoundsConcurrencyAndTheExtraJobWaitsQueued() throws Exception {
        int threads = 2;
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch allRunning = new CountDownLatch(threads);
        Set<String> names = java.util.concurrent.ConcurrentHashMap.newKeySet();
        LocalBackend backend = backend(LocalBackend.builder().name("pool").threads(threads).logic("demo", ctx -> {
            names.add(Thread.currentThread().getName());
            allRunning.countDown();
            assertThat(release.await(10, TimeUnit.SECONDS)).isTrue();
        }));
        List<CapturingEvents> events = new ArrayList<>();
        List<String> refs = new ArrayList<>();
        for (int i = 0; i < threads + 1; i++) {
            CapturingEvents e = new CapturingEvents();
            events.add(e);
            refs.add(backend.submit(Jobs.template("demo"), e));
        }
        assertThat(allRunning.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(backend.states(refs).values())
                .containsExactlyInAnyOrder(BackendState.RUNNING, BackendState.RUNNING, BackendState.QUEUED);
        long startedCount = events.stream().filter(e -> e.events().contains("started")).count();
        assertThat(startedCount).isEqualTo(threads);

        release.countDown();
        for (CapturingEvents e : events) {
            assertThat(e.awaitEnd(MAX)).isEqualTo("completed");
            assertThat(e.events()).startsWith("started");
        }
        assertThat(names).hasSize(threads).allMatch(n -> n.startsWith("uws-local-pool-"));
        assertThat(backend.threads()).isEqualTo(threads);
    }

    @Test
    void abortOfAQueuedJobEndsItWithoutStartingIt() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(1);
        LocalBackend backend = backend(LocalBackend.builder().threads(1).logic("demo", ctx -> {
            running.countDown();
            assertThat(release.await(10, TimeUnit.SECONDS)).isTrue();
        }));
        CapturingEvents first = new CapturingEvents();
        CapturingEvents second = new CapturingEvents();
        backend.submit(Jobs.template("demo"), first);
        String queued = backend.submit(Jobs.template("demo"), second);
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();

        backend.abort(queued);

        assertThat(second.awaitEnd(MAX)).isEqualTo("aborted");
        assertThat(second.events()).containsExactly("aborted");
        release.countDown();
        assertThat(first.awaitEnd(MAX)).isEqualTo("completed");
    }

    @Test
    void queueCapacityIsABoundAndAFullQueueRefusesWithAClearMessage() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        LocalBackend backend = backend(LocalBackend.builder().threads(1).queueCapacity(1).logic("demo", ctx -> {
            assertThat(release.await(10, TimeUnit.SECONDS)).isTrue();
        }));
        CapturingEvents running = new CapturingEvents();
        backend.submit(Jobs.template("demo"), running);
        running.awaitEvent("started", MAX);
        backend.submit(Jobs.template("demo"), new CapturingEvents());
        assertThatThrownBy(() -> backend.submit(Jobs.template("demo"), new CapturingEvents()))
                .isInstanceOf(BackendException.class).hasMessageContaining("is full");
        release.countDown();
    }

    @Test
    void contextGivesUploadsParametersAndDeadline() throws Exception {
        JobDefinition def = JobDefinition.builder("demo")
                .parameter(ParameterDefinition.builder("TABLE", ParameterType.FILE)).build();
        AtomicReference<String> viaParameter = new AtomicReference<>();
        AtomicReference<String> viaName = new AtomicReference<>();
        AtomicReference<Instant> deadline = new AtomicReference<>();
        LocalBackend backend = backend(LocalBackend.builder().logic("demo", ctx -> {
            try (InputStream in = ctx.upload("table")) {
                viaParameter.set(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            try (InputStream in = ctx.upload("param:t1")) {
                viaName.set(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            deadline.set(ctx.deadline());
            assertThat(ctx.jobId()).isNotBlank();
            assertThat(ctx.parameters().getString("table")).isEqualTo("param:t1");
            ctx.upload("missing").close();
        }));
        CapturingEvents events = new CapturingEvents().upload("t1", "a,b\n1,2\n");
        Instant until = Instant.parse("2030-01-01T00:00:00Z");
        backend.submit(Jobs.withDeadline(Jobs.template(def, "TABLE", "param:t1"), 60, until), events);

        assertThat(events.awaitEnd(MAX)).isEqualTo("failed");
        assertThat(events.message).contains("missing");
        assertThat(viaParameter.get()).isEqualTo("a,b\n1,2\n");
        assertThat(viaName.get()).isEqualTo("a,b\n1,2\n");
        assertThat(deadline.get()).isEqualTo(until);
    }

    @Test
    void deadlineIsComputedFromTheStartWhenTheTemplateHasNone() throws Exception {
        AtomicReference<Instant> deadline = new AtomicReference<>();
        Instant now = Instant.parse("2024-05-01T10:00:00Z");
        LocalBackend backend = backend(LocalBackend.builder()
                .clock(java.time.Clock.fixed(now, java.time.ZoneOffset.UTC))
                .logic("demo", ctx -> deadline.set(ctx.deadline()))
                .logic("unlimited", ctx -> deadline.set(ctx.deadline())));
        CapturingEvents events = new CapturingEvents();
        JobTemplate t = Jobs.template("demo");
        backend.submit(Jobs.withDeadline(t, 90, null), events);
        events.awaitEnd(MAX);
        assertThat(deadline.get()).isEqualTo(now.plusSeconds(90));

        CapturingEvents unlimited = new CapturingEvents();
        backend.submit(Jobs.template("unlimited"), unlimited);
        unlimited.awaitEnd(MAX);
        assertThat(deadline.get()).isNull();
    }

    @Test
    void badResultIdsAreRefusedWithAClearMessage() throws Exception {
        LocalBackend backend = backend(LocalBackend.builder().logic("demo", ctx -> ctx.result("../etc/passwd", null)));
        CapturingEvents events = new CapturingEvents();
        backend.submit(Jobs.template("demo"), events);
        assertThat(events.awaitEnd(MAX)).isEqualTo("failed");
        assertThat(events.message).contains("'../etc/passwd' is not a valid result or upload name");
    }

    @Test
    void closeAbortsRunningWorkRefusesNewWorkAndIsIdempotent() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        LocalBackend backend = LocalBackend.builder().logic("demo", ctx -> {
            running.countDown();
            new CountDownLatch(1).await();
        }).build();
        CapturingEvents events = new CapturingEvents();
        backend.submit(Jobs.template("demo"), events);
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
        java.nio.file.Path root = backend.workRoot();
        assertThat(root).isDirectory();

        backend.close();
        backend.close();

        assertThat(events.awaitEnd(MAX)).isEqualTo("aborted");
        assertThat(events.message).contains("shut down");
        assertThat(root).doesNotExist();
        assertThatThrownBy(() -> backend.submit(Jobs.template("demo"), new CapturingEvents()))
                .isInstanceOf(BackendException.class).hasMessageContaining("shut down");
    }

    @Test
    void unknownJobTypesAreRefusedAtSubmit() {
        LocalBackend backend = backend(LocalBackend.builder().logic("demo", ctx -> { }));
        assertThatThrownBy(() -> backend.submit(Jobs.template("other"), new CapturingEvents()))
                .isInstanceOf(BackendException.class).hasMessageContaining("no job logic or process for job type other");
    }

    @Test
    void badConfigurationFailsAtTheBuilder() throws Exception {
        assertThatThrownBy(() -> LocalBackend.builder().build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one");
        assertThatThrownBy(() -> LocalBackend.builder().threads(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("threads");
        assertThatThrownBy(() -> LocalBackend.builder().killGrace(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("killGrace");
        assertThatThrownBy(() -> LocalBackend.builder().name("a b"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("backend name");
        assertThatThrownBy(() -> LocalBackend.builder().logic("x", ctx -> { }).logic("x", ctx -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("registered twice");
        java.nio.file.Path file = java.nio.file.Files.createTempFile("not-a-dir", ".txt");
        try {
            assertThatThrownBy(() -> LocalBackend.builder().workRoot(file).logic("x", ctx -> { }).build())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("work root");
        } finally {
            java.nio.file.Files.delete(file);
        }
    }
}
