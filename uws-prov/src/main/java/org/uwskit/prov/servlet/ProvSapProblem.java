package org.uwskit.prov.servlet;

/** A ProvSAP request that cannot be answered: the HTTP status and the {@code text/plain} message sent. */
final class ProvSapProblem extends Exception {
    private static final long serialVersionUID = 1L;
    private final int status;

    ProvSapProblem(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }
}
