package org.uwskit.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.uwskit.spi.CallbackReceiver;
import org.uwskit.spi.CallbackReceiver.Answer;
import org.uwskit.spi.CallbackReceiver.Outcome;

/**
 * The contract every {@link CallbackReceiver} meets, whatever its jobs: its name is a path segment; an event it does
 * not know is 400; no token, an empty one, another job's or a forged one is 403, and says nothing secret; a valid
 * token of a job it does not follow is 404; garbage (null or odd ids, huge tokens, binary bodies) never makes it
 * throw. Extend it and provide a receiver, one event it knows and a way to make a valid token.
 *
 * <pre>{@code
 * class MyReceiverTest extends CallbackReceiverContract {
 *     protected CallbackReceiver createReceiver() { return ...; }
 *     protected String knownEvent() { return "ended"; }
 *     protected String validToken(String jobId) { return ...; }
 * }
 * }</pre>
 */
public abstract class CallbackReceiverContract {
    /** The receiver under test, created before each test. */
    protected CallbackReceiver receiver;

    /** A new receiver, following no job. */
    protected abstract CallbackReceiver createReceiver();

    /** An event the receiver knows (e.g. {@code ended}). */
    protected abstract String knownEvent();

    /** The token the receiver would give job {@code jobId}. */
    protected abstract String validToken(String jobId);

    /** Releases the receiver; override if it needs closing. */
    protected void closeReceiver(CallbackReceiver r) throws Exception {
        if (r instanceof AutoCloseable c) {
            c.close();
        }
    }

    @BeforeEach
    void createIt() {
        receiver = createReceiver();
    }

    @AfterEach
    void closeIt() throws Exception {
        closeReceiver(receiver);
    }

    private Answer receive(String jobId, String event, String token, byte[] body) {
        Answer[] a = new Answer[1];
        assertThatCode(() -> a[0] = receiver.receive(jobId, event, token, body)).doesNotThrowAnyException();
        assertThat(a[0]).isNotNull();
        return a[0];
    }

    @Test
    void itsNameIsAPathSegment() {
        assertThat(receiver.name()).matches(CallbackReceiver.NAME);
    }

    @Test
    void anUnknownEventIs400() {
        assertThat(receive("job1", "no-such-event", validToken("job1"), new byte[0]).outcome())
                .isEqualTo(Outcome.BAD_REQUEST);
    }

    @Test
    void aMissingOrWrongTokenIs403AndShowsNoToken() {
        String good = validToken("job1");
        for (String bad : new String[] {null, "", " ", validToken("job2"), good + "0", good.substring(1),
                "x".repeat(10_000)}) {
            Answer a = receive("job1", knownEvent(), bad, new byte[0]);
            assertThat(a.outcome()).as("token %s", bad == null ? null : bad.length() + " chars")
                    .isEqualTo(Outcome.FORBIDDEN);
            assertThat(a.message()).isNotBlank().doesNotContain(good);
        }
    }

    @Test
    void aValidTokenOfAJobItDoesNotFollowIs404() {
        Answer a = receive("job1", knownEvent(), validToken("job1"), new byte[0]);
        assertThat(a.outcome()).isEqualTo(Outcome.NOT_FOUND);
        assertThat(a.message()).isNotBlank().doesNotContain(validToken("job1"));
    }

    @Test
    void garbageNeverThrows() {
        byte[] binary = new byte[CallbackReceiver.MAX_BODY_BYTES];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) i;
        }
        receive(null, null, null, null);
        receive("", "", "", new byte[0]);
        receive("../../etc/passwd", knownEvent(), validToken("../../etc/passwd"), binary);
        receive("job1", knownEvent(), validToken("job1"), "\u0000\u00ff".getBytes(StandardCharsets.UTF_8));
        receive("j".repeat(10_000), knownEvent(), "t".repeat(10_000), binary);
    }
}
