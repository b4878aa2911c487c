package org.uwskit;

/**
 * A compare-and-set update lost a race: the stored version of the job was not the expected one. Thrown by stores;
 * the API and the engine resolve it by re-reading the job and re-applying their rule, so clients rarely see it.
 */
public class StaleVersionException extends UwsException {
    private final String jobId;
    private final long expectedVersion;

    public StaleVersionException(String jobId, long expectedVersion) {
        super("job '" + jobId + "' was changed concurrently (expected version " + expectedVersion + ")");
        this.jobId = jobId;
        this.expectedVersion = expectedVersion;
    }

    public String jobId() {
        return jobId;
    }

    public long expectedVersion() {
        return expectedVersion;
    }
}
