package org.uwskit.spi;

/** Optional capability of an {@link ExecutionBackend}: hold a submitted job and release it later. */
public interface Holdable {
    /** Holds the job; the backend reports {@link ExecutionEvents#held()}. */
    void hold(String backendRef) throws ExecutionBackend.BackendException;

    /** Releases a held job. */
    void release(String backendRef) throws ExecutionBackend.BackendException;
}
