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
 * <b>Exceptions:</b> {@link BackendException} for failures the engine should turn into a job ERROR; a
 * {@link RuntimeException} from {@code submit} is treated the same way, one from {@link #abort} is logged. A
 * backend must not change jobs in the store itself: everything goes through {@link ExecutionEvents}.
 *
 * <p><b>Lifecycle:</b> the application creates a backend and hands it to {@code Engine.Builder#backend}; the engine
 * closes it when the engine closes. A backend serves one engine.
 */
public interface ExecutionBackend extends AutoCloseable {

    /**
     * A short, stable name (stored with each job's lease so that the right backend re-attaches after a restart).
     * Must not change over the backend's life or between releases, and must differ from the other backends' names
     * of the engine.
     *
     * @return the name, for instance {@code local}
     */
    String name();

    /**
     * Whether this backend runs jobs of this job type. Called at every dispatch: cheap, no I/O, must not throw.
     *
     * @param jobType the job definition's name
     * @return true to be given jobs of that type (the engine uses the first backend that accepts)
     */
    boolean accepts(String jobType);

    /**
     * Starts a job. The backend reports progress through {@code events}: {@link ExecutionEvents#started()} when it
     * actually runs, then exactly one of completed / failed / aborted. Must return promptly (queue or start the
     * work, never run it on the caller's thread).
     *
     * @param template what to run
     * @param events   where to report this job's progress and outcome; valid for the job's whole life
     *
     * @return the backend's own reference for the job (a thread key, a process id, a SLURM job id), stored in the
     *         job's lease and later passed to {@link #abort}, {@link #states} and re-attachment
     * @throws BackendException if the job could not be submitted (the job ends in ERROR with the message)
     */
    String submit(JobTemplate template, ExecutionEvents events) throws BackendException;

    /**
     * Asks the backend to stop a job. Idempotent; an unknown or finished reference is ignored. Returns without
     * waiting for the work to stop; the backend then reports {@link ExecutionEvents#aborted(String)} (or the outcome
     * it reached first). Must not throw; must not block on the work.
     *
     * @param backendRef a reference returned by {@link #submit} (or re-attached)
     */
    void abort(String backendRef);

    /**
     * The states of many jobs in one call; references the backend does not know map to {@link BackendState#UNKNOWN}.
     * One round trip for all references (a batch scheduler is asked once, not once per job); must not throw for
     * unknown references.
     *
     * @param backendRefs references returned by {@link #submit}
     * @return a state for every reference asked
     */
    Map<String, BackendState> states(Collection<String> backendRefs);

    /**
     * Stops accepting work and releases resources. Idempotent, bounded in time. Called by {@code Engine.close()}
     * after it aborted the running work of this node, or, for a {@link Reattachable} backend, detached from it.
     * A backend whose work cannot outlive this process aborts what still runs; a {@link Reattachable} backend
     * leaves its jobs running, so that the next engine re-attaches to them instead of running them again.
     */
    @Override
    void close();

    /** What a backend knows of one of its jobs. */
    enum BackendState {
        /** Accepted, waiting to run. */
        QUEUED,
        /** Running. */
        RUNNING,
        /** Paused after it started ({@link Suspendable}). */
        SUSPENDED,
        /** Held by the backend or its scheduler ({@link Holdable}). */
        HELD,
        /** Finished successfully. */
        DONE,
        /** Finished with a failure. */
        FAILED,
        /** Stopped before it finished. */
        ABORTED,
        /** The backend does not know the reference (never submitted, or forgotten after it finished). */
        UNKNOWN
    }

    /** The backend could not do what was asked; the message is shown to the client in the job's error. */
    class BackendException extends Exception {
        /** @param message what went wrong, for the client */
        public BackendException(String message) {
            super(message);
        }

        /**
         * @param message what went wrong, for the client
         * @param cause   the underlying failure (part of the stack trace kept as the job's error detail)
         */
        public BackendException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
