package org.uwskit;

/** A parameter value or upload exceeds the job list's size limits. HTTP 413. */
public class PayloadTooLargeException extends UwsException {
    public PayloadTooLargeException(String message) {
        super(message);
    }
}
