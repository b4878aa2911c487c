package org.uwskit;

/**
 * A request that is well formed but not allowed in the job's current state, for instance changing parameters of a
 * job that is no longer PENDING. HTTP 403.
 */
public class InvalidStateException extends UwsException {
    public InvalidStateException(String message) {
        super(message);
    }
}
