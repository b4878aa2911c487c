package org.uwskit.spi;

import java.util.Collection;
import java.util.Map;

/**
 * Runs jobs, shaped after DRMAA2's job session: submit a template, abort, query many states in one call, and push
 * state changes through {@link ExecutionEvents}. Optional capabilities are separate interfaces:
 * {@link Reattachable}, {@link Holdable}, {@link Suspendable}. A custom backend proves itself by extending
 * {@code org.uwskit.testkit.ExecutionBackendContract}.
 *
 * <p><b>Threading:</b> the engine calls these methods from its own threads, possibly concurrently for different
 * jobs; implementations are thread-safe. {@link #submit} must return promptly (start the work, do not run it on the
 * caller's thread). Events may be pushed from any thread, before or after {@code submit} returns.
 * <b>Exceptions:</b> {@link BackendException} for failures the engine should turn into a job ERROR.
 */
public interface ExecutionBackend extends AutoCloseable {

    /** A short, stable name (stored with each job's lease so that the right backend re-attaches after a restart). */
    String name();

    /** Whether this backend runs jobs of this job type. */
    boolean accepts(String jobType);

    /**
     * Starts a job. The backend reports progress through {@code events}: {@link ExecutionEvents#started()} when it
     * actually runs, then exactly one of completed / failed / aborted.
     *
     * @return the backend's own reference for the job (a thread key, a process id, a SLURM job id), stored in the
     *         job's lease and later passed to {@link #abort}, {@link #states} and re-attachment
     * @throws BackendException if the job could not be submitted (the job ends in ERROR with the message)
     */
    String submit(JobTemplate template, ExecutionEvents events) throws BackendException;

    /**
     * Asks the backend to stop a job. Idempotent; an unknown or finished reference is ignored. Returns without
     * waiting for the work to stop; the backend then reports {@link ExecutionEvents#aborted(String)} (or the outcome
     * it reached first).
     */
    void abort(String backendRef);

    /** The states of many jobs in one call; references the backend does not know map to {@link BackendState#UNKNOWN}. */
    Map<String, BackendState> states(Collection<String> backendRefs);

    /** Stops accepting work and releases resources; running work is aborted. Idempotent, bounded in time. */
    @Override
    void close();

    /** What a backend knows of one of its jobs. */
    enum BackendState {
        QUEUED, RUNNING, SUSPENDED, HELD, DONE, FAILED, ABORTED, UNKNOWN
    }

    /** The backend could not do what was asked; the message is shown to the client in the job's error. */
    class BackendException extends Exception {
        public BackendException(String message) {
            super(message);
        }

        public BackendException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
