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
 * committed after {@link #subscribe} returned is reported, one committed while the feed was cut off from its
 * database (or otherwise could not deliver) may not be reported itself. After any such gap the feed MUST report
 * {@link JobChange#resync()} once it delivers again (for example after each re-LISTEN following a lost
 * connection, and after the first successful LISTEN if earlier attempts failed): subscribers then re-read whatever
 * they wait for, as the changes of the gap are not replayed. A feed with no gaps never reports it. A resync has no
 * job ({@link JobChange#isResync()}); subscribers that do not care may ignore it, but must not fail on its null
 * job id. A {@code JobService} built on such a store subscribes when built and unsubscribes when closed; the
 * store's {@code close()} ends every subscription.
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
     * A stored change, or the {@linkplain #resync() resync} signal.
     *
     * @param jobId   the job (null only for the resync signal)
     * @param jobList its job list (null for the resync signal)
     * @param phase   its phase after the change, or null if it was deleted (and for the resync signal)
     * @param version its version after the change (-1 if deleted, and for the resync signal)
     */
    record JobChange(String jobId, String jobList, Phase phase, long version) {
        /**
         * The signal "changes may have been missed": the feed had a gap (see {@link JobChangeFeed}) and any job
         * may have changed or been deleted meanwhile without being reported. Subscribers re-read what they wait for.
         *
         * @return a change with no job, no job list, no phase and version -1
         */
        public static JobChange resync() {
            return new JobChange(null, null, null, -1);
        }

        /** @return whether this is the {@linkplain #resync() resync} signal rather than the change of one job */
        public boolean isResync() {
            return jobId == null;
        }

        /** @return whether the job was deleted (then {@code phase} is null); false for the resync signal */
        public boolean deleted() {
            return phase == null && jobId != null;
        }
    }
}
