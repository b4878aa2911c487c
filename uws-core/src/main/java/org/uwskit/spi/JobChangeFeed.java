package org.uwskit.spi;

import java.util.function.Consumer;
import org.uwskit.Phase;

/**
 * An optional capability of a {@link JobStore}: it tells subscribers about every stored change, including changes
 * made by other nodes (the JDBC store uses PostgreSQL LISTEN/NOTIFY). The API uses it to wake WAIT requests and the
 * engine to learn of new work and of aborts at once instead of polling.
 *
 * <p>Listeners are called on a thread of the store's, must return quickly and must not throw. A change may be
 * reported more than once; subscribers re-read the job. Changes are reported after they are committed; a change
 * committed after {@link #subscribe} returned is reported, one committed while the store was cut off from its
 * database may be reported late or not at all (subscribers that must not miss work also poll). A {@code JobService} built on such
 * a store subscribes when built and unsubscribes when closed; the store's {@code close()} ends every subscription.
 */
public interface JobChangeFeed {

    /**
     * Subscribes to every stored change of every job list. Thread-safe.
     *
     * @param listener called for each change, on a thread of the store's
     * @return a handle; closing it (idempotent) stops further calls
     */
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
        /** @return whether the job was deleted (then {@code phase} is null) */
        public boolean deleted() {
            return phase == null;
        }
    }
}
