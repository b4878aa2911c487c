package org.uwskit.spi;

/** Optional capability of an {@link ExecutionBackend}: pause a running job and resume it. */
public interface Suspendable {
    /** Pauses the job; the backend reports {@link ExecutionEvents#suspended()}. */
    void suspend(String backendRef) throws ExecutionBackend.BackendException;

    /** Resumes it; the backend reports {@link ExecutionEvents#resumed()}. */
    void resume(String backendRef) throws ExecutionBackend.BackendException;
}
