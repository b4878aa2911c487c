package org.uwskit.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.uwskit.JobDefinition;
import org.uwskit.JobIds;
import org.uwskit.Parameter;
import org.uwskit.TypedParameters;
import org.uwskit.spi.ExecutionBackend;
import org.uwskit.spi.ExecutionBackend.BackendState;
import org.uwskit.spi.JobTemplate;
import org.uwskit.testkit.RecordingEvents.Event;
import org.uwskit.testkit.RecordingEvents.Kind;

/**
 * The contract every {@link ExecutionBackend} meets. Extend it in your backend's tests and provide a fresh backend
 * and three job types it accepts: one that succeeds quickly, one that fails, one that runs until aborted (at least
 * {@link #timeout()}).
 *
 * <pre>{@code
 * class MyBackendTest extends ExecutionBackendContract {
 *     protected ExecutionBackend createBackend() { return new MyBackend(...); }
 *     protected String succeedingJobType() { return "ok"; }
 *     protected String failingJobType() { return "fail"; }
 *     protected String longRunningJobType() { return "sleep"; }
 * }
 * }</pre>
 *
 * <p>Checks: submit → started → completed; failure → failed with a message; abort of running work → aborted
 * within {@link #timeout()}; {@code states()} of many references in one call; unknown references → UNKNOWN;
 * {@code abort} of an unknown reference is ignored; exactly one terminal report per job; {@code close()} is
 * bounded and idempotent. Each test gets a new backend, closed afterwards.
 */
public abstract class ExecutionBackendContract {

    /** The backend under test, created before each test. */
    protected ExecutionBackend backend;

    /** A new backend. */
    protected abstract ExecutionBackend createBackend();

    /** A job type that starts and completes successfully within {@link #timeout()}. */
    protected abstract String succeedingJobType();

    /** A job type that fails within {@link #timeout()}. */
    protected abstract String failingJobType();

    /** A job type that runs until aborted, for longer than {@link #timeout()}. */
    protected abstract String longRunningJobType();

    /** Parameters to give a job of {@code jobType}; none by default. */
    protected List<Parameter> parameters(String jobType) {
        return List.of();
    }

    /** The bound on every wait of the suite; 10 s by default. */
    protected Duration timeout() {
        return Duration.ofSeconds(10);
    }

    /** The template of a job of {@code jobType}, validated against a lenient definition of that name. */
    protected JobTemplate template(String jobType) {
        JobDefinition def = JobDefinition.builder(jobType).build();
        List<Parameter> params = parameters(jobType);
        TypedParameters typed = def.validate(params);
        return new JobTemplate(JobIds.next(), "contract", def, "tester", typed, params, 0, null);
    }

    @BeforeEach
    void createBackendUnderTest() {
        backend = createBackend();
    }

    @AfterEach
    void closeBackendUnderTest() {
        if (backend != null) {
            backend.close();
        }
    }

    @Test
    void hasAStableNameAndAcceptsTheContractJobTypes() {
        assertThat(backend.name()).isNotBlank().isEqualTo(backend.name());
        assertThat(backend.accepts(succeedingJobType())).isTrue();
        assertThat(backend.accepts(failingJobType())).isTrue();
        assertThat(backend.accepts(longRunningJobType())).isTrue();
    }

    @Test
    void submitReportsStartedThenCompletedExactlyOnce() throws Exception {
        RecordingEvents events = new RecordingEvents();
        String ref = backend.submit(template(succeedingJobType()), events);
        assertThat(ref).isNotBlank();
        Event end = events.awaitTerminal(timeout());
        assertThat(end.kind()).isEqualTo(Kind.COMPLETED);
        List<Kind> kinds = events.kinds();
        assertThat(kinds).contains(Kind.STARTED);
        assertThat(kinds.indexOf(Kind.STARTED)).isLessThan(kinds.indexOf(Kind.COMPLETED));
        assertThat(kinds.stream().filter(Kind::isTerminal).count()).isEqualTo(1);
        assertThat(backend.states(List.of(ref)).get(ref)).isIn(BackendState.DONE, BackendState.UNKNOWN);
    }

    @Test
    void failureReportsFailedWithAMessage() throws Exception {
        RecordingEvents events = new RecordingEvents();
        backend.submit(template(failingJobType()), events);
        Event end = events.awaitTerminal(timeout());
        assertThat(end.kind()).isEqualTo(Kind.FAILED);
        assertThat(end.text()).isNotBlank();
        assertThat(events.kinds().stream().filter(Kind::isTerminal).count()).isEqualTo(1);
    }

    @Test
    void abortOfRunningWorkReportsAbortedWithinTheBound() throws Exception {
        RecordingEvents events = new RecordingEvents();
        String ref = backend.submit(template(longRunningJobType()), events);
        events.await(Kind.STARTED, timeout());
        assertThat(backend.states(List.of(ref)).get(ref)).isIn(BackendState.RUNNING, BackendState.QUEUED);
        long t0 = System.nanoTime();
        backend.abort(ref);
        Event end = events.awaitTerminal(timeout());
        assertThat(end.kind()).isEqualTo(Kind.ABORTED);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(timeout());
        assertThatCode(() -> backend.abort(ref)).as("abort is idempotent").doesNotThrowAnyException();
        assertThat(events.kinds().stream().filter(Kind::isTerminal).count()).isEqualTo(1);
    }

    @Test
    void statesOfManyReferencesInOneCall() throws Exception {
        List<String> refs = new ArrayList<>();
        List<RecordingEvents> all = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            RecordingEvents ev = new RecordingEvents();
            refs.add(backend.submit(template(longRunningJobType()), ev));
            all.add(ev);
        }
        assertThat(refs).doesNotHaveDuplicates();
        String unknown = "no-such-ref-" + JobIds.next();
        Collection<String> asked = new ArrayList<>(refs);
        asked.add(unknown);
        Map<String, BackendState> states = backend.states(asked);
        assertThat(states).containsOnlyKeys(asked);
        assertThat(states.get(unknown)).isEqualTo(BackendState.UNKNOWN);
        for (String ref : refs) {
            assertThat(states.get(ref)).isIn(BackendState.QUEUED, BackendState.RUNNING);
        }
        refs.forEach(backend::abort);
        for (RecordingEvents ev : all) {
            assertThat(ev.awaitTerminal(timeout()).kind()).isEqualTo(Kind.ABORTED);
        }
    }

    @Test
    void unknownReferencesAreUnknownAndAbortingThemIsIgnored() {
        String unknown = "no-such-ref-" + JobIds.next();
        assertThat(backend.states(List.of(unknown))).containsEntry(unknown, BackendState.UNKNOWN);
        assertThatCode(() -> backend.abort(unknown)).doesNotThrowAnyException();
    }

    @Test
    void closeIsBoundedAndIdempotentAndStopsRunningWork() throws Exception {
        RecordingEvents events = new RecordingEvents();
        backend.submit(template(longRunningJobType()), events);
        events.await(Kind.STARTED, timeout());
        long t0 = System.nanoTime();
        backend.close();
        backend.close();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(timeout());
        events.terminal().ifPresent(e -> assertThat(e.kind()).isEqualTo(Kind.ABORTED));
        assertThat(events.kinds()).doesNotContain(Kind.COMPLETED);
    }
}
