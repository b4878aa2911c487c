package org.uwskit.spi;

import org.uwskit.Job;
import org.uwskit.PhaseChange;
import org.uwskit.Result;

/**
 * Told of changes made on this node, after they are stored. Called on the thread that made the change (an engine
 * worker or a request thread): must return quickly, must not throw (exceptions are logged and ignored) and must not
 * change the job synchronously.
 */
public interface JobListener {
    /** A job changed phase; {@code job} is the stored snapshot after the change. */
    default void phaseChanged(Job job, PhaseChange change) {
    }

    /** A result was added to a job. */
    default void resultAdded(Job job, Result result) {
    }

    /** A job was destroyed (deleted, not archived). */
    default void destroyed(Job job) {
    }
}
