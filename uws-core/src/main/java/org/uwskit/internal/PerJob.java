package org.uwskit.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.uwskit.JobNotFoundException;
import org.uwskit.StoreUnavailableException;

/**
 * The engine's per-job failure ladder, in one place. A pass of the engine (a watchdog, reaper or recovery round, a
 * lease renewal, an event write) touches one job after another; for each of them:
 * <ul>
 * <li>the job was destroyed meanwhile ({@link JobNotFoundException}): nothing to do for it, the pass goes on;</li>
 * <li>the store is unavailable ({@link StoreUnavailableException}): thrown on, it ends the whole pass (the caller
 * records the outage and retries later);</li>
 * <li>any other failure: logged with the job's id, and the pass goes on with the next job.</li>
 * </ul>
 * Not API. Stateless.
 */
final class PerJob {
    private static final Logger LOG = LoggerFactory.getLogger(PerJob.class);

    /** How a step on one job ended. */
    enum Outcome {
        /** The step ran to its end. */
        DONE,
        /** The job does not exist (any more). */
        GONE,
        /** The step failed for another reason than the store's availability; the failure was logged. */
        FAILED
    }

    /** One step on one job; may throw. */
    @FunctionalInterface
    interface Step {
        void run();
    }

    private PerJob() {
    }

    /**
     * Runs {@code step} on the ladder above.
     *
     * @param nodeId the engine's node id (for the log)
     * @param doing  what the step does, for the log ("renewing the lease of")
     * @param jobId  the job's id
     * @param step   the step
     * @return how it ended
     * @throws StoreUnavailableException if the store is unavailable
     */
    static Outcome run(String nodeId, String doing, String jobId, Step step) {
        try {
            step.run();
            return Outcome.DONE;
        } catch (JobNotFoundException e) {
            return Outcome.GONE;
        } catch (StoreUnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.warn("engine {}: {} job {} failed", nodeId, doing, jobId, e);
            return Outcome.FAILED;
        }
    }

    /**
     * Runs {@code step}, treating a job destroyed meanwhile as nothing to do; every other failure is thrown.
     *
     * @return whether the job existed (the step ran to its end)
     */
    static boolean ifPresent(Step step) {
        try {
            step.run();
            return true;
        } catch (JobNotFoundException e) {
            return false;
        }
    }
}
