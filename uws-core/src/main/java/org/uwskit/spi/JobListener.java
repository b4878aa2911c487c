package org.uwskit.spi;

import org.uwskit.Job;
import org.uwskit.PhaseChange;
import org.uwskit.Result;

/**
 * Told of changes made on this node, after they are stored. Called on the thread that made the change (an engine
 * worker or a request thread): must return quickly, must not throw (exceptions are logged and ignored) and must not
 * change the job synchronously. Register with {@code JobService.Builder#listener}; listeners are called in the
 * order added, once per change. Changes made by an engine built on the service are reported too, on the
 * engine's threads; changes made by other nodes sharing the store are not (see {@link JobChangeFeed}).
 */
public interface JobListener {
    /**
     * A job changed phase; {@code job} is the stored snapshot after the change. Also called at creation, with the
     * history's first entry ({@code from} null, {@code to} PENDING).
     *
     * @param job    the job after the change
     * @param change the history entry the change appended
     */
    default void phaseChanged(Job job, PhaseChange change) {
    }

    /**
     * A result was added to a job (or replaced one of the same id).
     *
     * @param job    the job after the change
     * @param result the new result
     */
    default void resultAdded(Job job, Result result) {
    }

    /**
     * A job was destroyed (deleted, not archived): by a client or at its destruction instant.
     *
     * @param job the last snapshot before deletion
     */
    default void destroyed(Job job) {
    }
}
