package org.uwskit.spi;

/**
 * Optional capability of an {@link ExecutionBackend} whose jobs outlive the engine process (SLURM): after a restart,
 * or when another node's lease expired, the engine re-attaches to the running work instead of submitting it again.
 */
public interface Reattachable {
    /**
     * Resumes reporting events for work submitted earlier.
     *
     * @return true if the backend knows {@code backendRef} and will report its outcome through {@code events}; false
     *         if the work is gone (the engine then applies the lost-node policy)
     */
    boolean reattach(String backendRef, JobTemplate template, ExecutionEvents events);
}
