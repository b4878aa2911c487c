package org.uwskit;

/** The caller may not see or change this job, or may not use this job list anonymously. HTTP 403 (401 if anonymous). */
public class AccessDeniedException extends UwsException {
    private final boolean authenticationRequired;

    public AccessDeniedException(String message, boolean authenticationRequired) {
        super(message);
        this.authenticationRequired = authenticationRequired;
    }

    /** True when the caller was anonymous and authenticating might help (the adapter may answer 401). */
    public boolean authenticationRequired() {
        return authenticationRequired;
    }
}
