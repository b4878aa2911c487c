package org.uwskit.servlet.internal;

/**
 * An HTTP-level refusal that has no {@link org.uwskit.UwsException} counterpart: an unknown path (404), a method
 * the resource does not allow (405, with the {@code Allow} value), no acceptable media type (406), a body of a type it cannot read (415), a request the
 * container could not parse. The message is written for the client.
 */
public final class HttpProblem extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String allow;

    public HttpProblem(int status, String message) {
        this(status, message, null);
    }

    public HttpProblem(int status, String message, String allow) {
        super(message, null, false, false);
        this.status = status;
        this.allow = allow;
    }

    public int status() {
        return status;
    }

    /** The {@code Allow} header for a 405, else null. */
    public String allow() {
        return allow;
    }
}
