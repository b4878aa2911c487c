package org.uwskit;

/** The caller may not see or change this job, or may not use this job list anonymously. HTTP 403 (401 if anonymous). */
public class AccessDeniedException extends UwsException {
    private final boolean authenticationRequired;
    private final String jobId;

    public AccessDeniedException(String message, boolean authenticationRequired) {
        this(message, authenticationRequired, null);
    }

    /**
     * @param jobId the existing job the caller may not access, or null when the refusal is about the job list (an
     *              adapter that hides other owners' jobs answers as for an unknown id only in the first case)
     */
    public AccessDeniedException(String message, boolean authenticationRequired, String jobId) {
        super(message);
        this.authenticationRequired = authenticationRequired;
        this.jobId = jobId;
    }

    /** True when the caller was anonymous and authenticating might help (the adapter may answer 401). */
    public boolean authenticationRequired() {
        return authenticationRequired;
    }

    /** The job that exists but belongs to another owner, or null when the job list itself was refused. */
    public String jobId() {
        return jobId;
    }
}
