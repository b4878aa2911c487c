package org.uwskit;

/**
 * The root of the exceptions the uwskit API throws. Each subtype maps to one HTTP status in the servlet adapter;
 * the message is written for the client and says what was wrong.
 */
public abstract class UwsException extends RuntimeException {
    protected UwsException(String message) {
        super(message);
    }

    protected UwsException(String message, Throwable cause) {
        super(message, cause);
    }
}
