package org.uwskit.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.uwskit.JobIds;
import org.uwskit.spi.ExecutionBackend;
import org.uwskit.spi.JobTemplate;
import org.uwskit.spi.Reattachable;
import org.uwskit.testkit.RecordingEvents.Kind;

/**
 * The contract of an {@link ExecutionBackend} that is also {@link Reattachable} (its work outlives the engine
 * process): everything {@link ExecutionBackendContract} checks, plus what the engine relies on when a job changes
 * engine node. Extend it instead of {@link ExecutionBackendContract}; {@link #createBackend()} must return a
 * backend that implements {@link Reattachable}, and two backends it returns must reach the same work (as two nodes
 * of one service do).
 *
 * <p>Checks: work {@linkplain Reattachable#detach detached} by one backend and
 * {@linkplain Reattachable#reattach re-attached} by another goes on, is followed by the second only (an abort
 * through it reaches the work and is reported once, to the second's sink; the first reports nothing more, within
 * {@link #quietPeriod()}); detaching an unknown reference is ignored.
 */
public abstract class ReattachableBackendContract extends ExecutionBackendContract {

    /**
     * How long a detached backend is watched for reports it must not make: longer than the backend takes to notice
     * the end of work it still followed (e.g. a few poll intervals); {@code timeout() / 5} by default.
     */
    protected Duration quietPeriod() {
        return timeout().dividedBy(5);
    }

    @Test
    void detachedWorkIsFollowedOnlyByTheBackendThatReattachedIt() throws Exception {
        assertThat(backend).as("the backend under test").isInstanceOf(Reattachable.class);
        JobTemplate template = template(longRunningJobType());
        RecordingEvents first = new RecordingEvents();
        String ref = backend.submit(template, first);
        first.await(Kind.STARTED, timeout());
        ((Reattachable) backend).detach(ref); // this node lost the job to another
        List<Kind> before = first.kinds();
        ExecutionBackend other = createBackend(); // the node that took it over
        try {
            RecordingEvents second = new RecordingEvents();
            assertThat(((Reattachable) other).reattach(ref, template, second)).as("the work is still there").isTrue();
            other.abort(ref);
            assertThat(second.awaitTerminal(timeout()).kind()).isEqualTo(Kind.ABORTED);
            // an absence: the detached backend would report the end within a poll or two if it still followed it
            Thread.sleep(quietPeriod().toMillis());
            assertThat(first.kinds()).as("what the detached backend reported after detach").isEqualTo(before);
            assertThat(second.kinds().stream().filter(Kind::isTerminal).count()).isEqualTo(1);
        } finally {
            other.close();
        }
    }

    @Test
    void detachingAnUnknownReferenceIsIgnored() {
        assertThat(backend).as("the backend under test").isInstanceOf(Reattachable.class);
        assertThatCode(() -> ((Reattachable) backend).detach("no-such-ref-" + JobIds.next()))
                .doesNotThrowAnyException();
    }
}
