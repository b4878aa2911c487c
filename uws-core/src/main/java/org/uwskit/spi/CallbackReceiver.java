package org.uwskit.spi;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Optional capability of an {@link ExecutionBackend} (or any component) whose running jobs tell the service about
 * themselves over HTTP: a batch job on a cluster posting "started" and "ended". A servlet adapter mounts a receiver
 * at {@code {mount}/}{@value #SEGMENT}{@code /{name}/{jobId}/{event}} (POST only); the request carries no user
 * credentials and is not subject to any job list's access rule or an owner's quotas: the receiver authenticates it
 * by the token in the {@value #TOKEN_HEADER} header, which it issued to that job alone.
 *
 * <p>A callback is a hint, never an authority: a receiver must not change a job's phase because of one, only look
 * at the job sooner (its backend's own view of the job decides), so that a replayed or forged-but-valid callback
 * costs at most a bounded amount of extra work. Implementations are thread-safe, answer quickly (never block on
 * the cluster) and never throw.
 */
public interface CallbackReceiver {
    /** The path segment, under the adapter's mount, of every receiver (it can never be a job list's name). */
    String SEGMENT = "_callbacks";
    /** The request header carrying the job's token. */
    String TOKEN_HEADER = "X-UWS-Callback-Token";
    /** The most bytes of body a callback may carry; beyond, the adapter answers 413 without calling the receiver. */
    int MAX_BODY_BYTES = 1024;
    /** What a receiver's name must match (it is a path segment). */
    Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    /** @return this receiver's name, the path segment after {@value #SEGMENT}; matches {@link #NAME} */
    String name();

    /**
     * Handles one callback.
     *
     * @param jobId the job the callback is about, as sent (not checked yet)
     * @param event the event, as sent (e.g. {@code started}, {@code ended})
     * @param token the token presented in {@value #TOKEN_HEADER}, or null if none
     * @param body  the body, at most {@value #MAX_BODY_BYTES} bytes (empty if none)
     * @return whether it was accepted, or why not (the message is sent to the caller: nothing secret in it)
     */
    Answer receive(String jobId, String event, String token, byte[] body);

    /** How a callback was taken; the adapter answers 204, 400, 403 or 404. */
    enum Outcome {
        /** Taken (possibly a duplicate, which changes nothing): 204. */
        ACCEPTED,
        /** Not a callback this receiver understands (an unknown event, a malformed body): 400. */
        BAD_REQUEST,
        /** No token, or not the token of that job: 403. */
        FORBIDDEN,
        /** A job this receiver does not follow (unknown, finished, or followed by another node): 404. */
        NOT_FOUND
    }

    /**
     * The answer to a callback.
     *
     * @param outcome how it was taken
     * @param message for the caller (ignored for {@link Outcome#ACCEPTED})
     */
    record Answer(Outcome outcome, String message) {
        /** Checks the arguments. */
        public Answer {
            Objects.requireNonNull(outcome, "outcome");
            message = message == null ? "" : message;
        }

        /** @return an accepted answer */
        public static Answer accepted() {
            return new Answer(Outcome.ACCEPTED, "");
        }

        /** @param outcome a refusal @param message why @return the answer */
        public static Answer refused(Outcome outcome, String message) {
            return new Answer(outcome, message);
        }
    }
}
