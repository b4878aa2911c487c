package org.uwskit;

/**
 * The job store cannot be reached (database down, pool exhausted). Transient: the request may be retried. HTTP 503
 * with Retry-After.
 */
public class StoreUnavailableException extends UwsException {
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
