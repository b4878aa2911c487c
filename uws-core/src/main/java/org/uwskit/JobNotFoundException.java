package org.uwskit;

/** The job (or a sub-resource of it, such as a result) does not exist or was destroyed. HTTP 404. */
public class JobNotFoundException extends UwsException {
    private final String jobId;

    public JobNotFoundException(String jobId) {
        this(jobId, "no job '" + jobId + "'");
    }

    public JobNotFoundException(String jobId, String message) {
        super(message);
        this.jobId = jobId;
    }

    public String jobId() {
        return jobId;
    }
}
