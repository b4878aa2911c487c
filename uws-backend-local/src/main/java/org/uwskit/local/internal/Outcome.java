package org.uwskit.local.internal;

/**
 * How an execution ended. Internal.
 *
 * @param state   DONE, FAILED or ABORTED
 * @param message the error message or abort reason, or null
 * @param detail  the error detail, or null
 */
public record Outcome(LocalJob.State state, String message, String detail) {

    public static Outcome completed() {
        return new Outcome(LocalJob.State.DONE, null, null);
    }

    public static Outcome failed(String message, String detail) {
        return new Outcome(LocalJob.State.FAILED, message, detail);
    }

    public static Outcome aborted(String reason) {
        return new Outcome(LocalJob.State.ABORTED, reason, null);
    }
}
