package org.uwskit.internal;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.uwskit.Phase;
import org.uwskit.spi.ExecutionBackend;

/**
 * One job this engine node runs: its backend and the backend's reference, what the engine asked of it, and the
 * event writes the store refused while it was unavailable ({@link EventWriter}). Not API. Thread-safe: flags are
 * volatile; {@link #writes} and {@link #lost} are read and written under the monitor of {@link #writes}, which
 * orders this job's event writes.
 */
final class RunningJob {
    private static final Logger LOG = LoggerFactory.getLogger(RunningJob.class);

    final String nodeId;
    final String jobId;
    final String jobList;
    final ExecutionBackend backend;
    final AtomicBoolean abortSent = new AtomicBoolean();
    /** The events the backend reports for this job; set once, right after construction. */
    BackendEvents events;
    volatile String ref;
    volatile boolean abortRequested;
    volatile boolean finishing;
    /** Another node took the job over: its events are ignored. Set and read under {@link #writes}. */
    volatile boolean lost;
    volatile Phase lastPhase = Phase.QUEUED;
    /** Event writes the store refused (unavailable), oldest first; the monitor orders this job's writes. */
    final Deque<EventWriter.Write> writes = new ArrayDeque<>();

    RunningJob(String nodeId, String jobId, String jobList, ExecutionBackend backend) {
        this.nodeId = nodeId;
        this.jobId = jobId;
        this.jobList = jobList;
        this.backend = backend;
    }

    boolean hasKeptWrites() {
        synchronized (writes) {
            return !writes.isEmpty();
        }
    }

    /** Records that the job is to stop and asks the backend to abort it (once, when it has a reference). */
    void stop() {
        abortRequested = true;
        sendAbort();
    }

    void sendAbort() {
        String r = ref;
        if (r != null && abortSent.compareAndSet(false, true)) {
            try {
                backend.abort(r);
            } catch (RuntimeException e) {
                LOG.warn("engine {}: aborting job {} in backend {} failed", nodeId, jobId, backend.name(), e);
            }
        }
    }
}
