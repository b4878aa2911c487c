package org.uwskit.spi;

/**
 * Optional capability of an {@link ExecutionBackend}: pause a running job and resume it. Implemented by the backend
 * class itself, next to {@link ExecutionBackend}.
 *
 * <p>UWS gives clients no request to suspend a job, and uws-core's engine does not call these methods; they are for
 * the host's own code (for instance an operator pausing work). Thread-safe; both methods return without waiting for
 * the work.
 */
public interface Suspendable {
    /**
     * Pauses the job; the backend reports {@link ExecutionEvents#suspended()}.
     *
     * @param backendRef a reference returned by {@link ExecutionBackend#submit}
     * @throws ExecutionBackend.BackendException if the backend cannot pause it
     */
    void suspend(String backendRef) throws ExecutionBackend.BackendException;

    /**
     * Resumes it; the backend reports {@link ExecutionEvents#resumed()}.
     *
     * @param backendRef a reference returned by {@link ExecutionBackend#submit}
     * @throws ExecutionBackend.BackendException if the backend cannot resume it
     */
    void resume(String backendRef) throws ExecutionBackend.BackendException;
}
