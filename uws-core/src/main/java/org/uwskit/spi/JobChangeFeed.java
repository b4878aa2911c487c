package org.uwskit.spi;

import java.util.function.Consumer;
import org.uwskit.Phase;

/**
 * An optional capability of a {@link JobStore}: it tells subscribers about every stored change, including changes
 * made by other nodes (the JDBC store uses PostgreSQL LISTEN/NOTIFY). The API uses it to wake WAIT requests and the
 * engine to learn of new work and of aborts at once instead of polling.
 *
 * <p>Listeners are called on a thread of the store's, must return quickly and must not throw. A change may be
 * reported more than once; subscribers re-read the job.
 */
public interface JobChangeFeed {

    /** Subscribes; close the returned handle to stop. */
    AutoCloseable subscribe(Consumer<JobChange> listener);

    /**
     * A stored change.
     *
     * @param jobId   the job
     * @param jobList its job list
     * @param phase   its phase after the change, or null if it was deleted
     * @param version its version after the change (-1 if deleted)
     */
    record JobChange(String jobId, String jobList, Phase phase, long version) {
        public boolean deleted() {
            return phase == null;
        }
    }
}
