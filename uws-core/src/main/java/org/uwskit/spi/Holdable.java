package org.uwskit.spi;

/**
 * Optional capability of an {@link ExecutionBackend}: hold a submitted job and release it later. Implemented by the
 * backend class itself, next to {@link ExecutionBackend}.
 *
 * <p>The engine calls {@link #release} when a client's RUN moves a HELD job back to EXECUTING; a failure there is
 * logged. uws-core's engine never holds a job by itself: {@link #hold} is for the host's own code (a backend whose
 * scheduler holds jobs reports {@link ExecutionEvents#held()} on its own). Thread-safe; both methods return without
 * waiting for the work.
 */
public interface Holdable {
    /**
     * Holds the job; the backend reports {@link ExecutionEvents#held()}.
     *
     * @param backendRef a reference returned by {@link ExecutionBackend#submit}
     * @throws ExecutionBackend.BackendException if the backend cannot hold it
     */
    void hold(String backendRef) throws ExecutionBackend.BackendException;

    /**
     * Releases a held job; the backend then reports {@link ExecutionEvents#started()} when it runs again.
     *
     * @param backendRef a reference returned by {@link ExecutionBackend#submit}
     * @throws ExecutionBackend.BackendException if the backend cannot release it
     */
    void release(String backendRef) throws ExecutionBackend.BackendException;
}
