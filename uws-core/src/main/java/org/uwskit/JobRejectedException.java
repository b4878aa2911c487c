package org.uwskit;

/** The service refuses to create or run the job, for instance because a limit of active jobs is reached. HTTP 403. */
public class JobRejectedException extends UwsException {
    public JobRejectedException(String message) {
        super(message);
    }
}
