package org.uwskit.spi;

/**
 * Optional capability of an {@link ExecutionBackend} whose jobs outlive the engine process (SLURM): after a restart,
 * or when another node's lease expired, the engine re-attaches to the running work instead of submitting it again.
 * Implemented by the backend class itself, next to {@link ExecutionBackend}.
 *
 * <p>When an engine closes, it does not abort the running work of such a backend: the work keeps running and a node
 * re-attaches to it later. Called on the engine's housekeeping thread; must return promptly.
 */
public interface Reattachable {
    /**
     * Resumes reporting events for work submitted earlier, possibly by another process. Must not submit the work
     * again. If the work already finished, the backend reports its outcome through {@code events}. A
     * {@link RuntimeException} counts as false (and is logged).
     *
     * @param backendRef the reference stored in the job's lease; null when the node was lost after it named this
     *                   backend in the lease but before it stored the reference (the work may or may not have been
     *                   submitted): a backend that can find its work by {@code template.jobId()} re-attaches to it
     *                   (or submits it if it provably never was), any other returns false
     * @param template   the job, as at submission
     * @param events     where to report from now on
     *
     * @return true if the backend knows {@code backendRef} and will report its outcome through {@code events}; false
     *         if the work is gone (the engine then applies the lost-node policy)
     */
    boolean reattach(String backendRef, JobTemplate template, ExecutionEvents events);

    /**
     * The reference of a job this backend re-attached without one ({@link #reattach} with a null reference): the
     * engine stores it in the job's lease and passes it to {@link ExecutionBackend#abort} and the other calls from
     * then on. Called once, right after such a re-attachment returned true.
     *
     * <p>The default returns null (the job then keeps no reference: an abort cannot reach its work), for backends
     * that never re-attach without a reference.
     *
     * @param jobId the job's id
     * @return the reference, or null
     */
    default String referenceOf(String jobId) {
        return null;
    }

    /**
     * Stops following work that another engine node took over (its lease now names that node, for instance after
     * this node was cut off from the store for longer than its lease) or that ended elsewhere: the work is left
     * running, untouched, and no event of it is reported any more, so that only the node holding the lease watches
     * it (a batch scheduler is not polled for it by two nodes). Unknown or already detached references are ignored.
     * Must return promptly and must not throw.
     *
     * <p>The default does nothing: the backend goes on watching the work and reporting events, which the engine
     * ignores.
     *
     * @param backendRef the job's reference, as stored in its lease
     */
    default void detach(String backendRef) {
    }
}
