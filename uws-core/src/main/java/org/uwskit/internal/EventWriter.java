package org.uwskit.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.uwskit.Job;
import org.uwskit.StoreUnavailableException;

/**
 * The outage-tolerant writer of backend events: each event of a running job is stored now, or, while the store is
 * unavailable, kept per job and in order and stored later ({@link #flushKeptWrites()}, on the housekeeping thread
 * and while closing); it is never dropped. Memory stays bounded: queues exist only for running jobs, and a kept
 * last-wins write (a progress, a jobInfo key, a result) replaces its own earlier kept value. A write that finds the
 * job's lease held by another node stops the local execution. Not API. Thread-safe (a job's writes are ordered by
 * the monitor of its {@link RunningJob#writes}).
 */
final class EventWriter {
    private static final Logger LOG = LoggerFactory.getLogger(EventWriter.class);

    private final EngineNode node;

    EventWriter(EngineNode node) {
        this.node = node;
    }

    /**
     * One event write of a running job. Equality is identity: a flushed write is removed from its queue by identity.
     * {@code what} names it in logs; {@code rule} is a rule of {@link JobKernel#change}, so applying it again is
     * safe; {@code replaces} is the key of a last-wins write (a progress, a jobInfo key, a result id): a kept write
     * with the same key is dropped when this one is kept (null for phase events, which are all kept);
     * {@code terminal} says that storing it ends the job's stay in the node's running set.
     */
    record Write(String what, JobKernel.Rule rule, String replaces, boolean terminal) {
        @Override
        public boolean equals(Object o) {
            return this == o;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }
    }

    /**
     * Records one event of a running job: stored now, or kept (in order, behind the job's earlier kept writes) when
     * the store is unavailable. Never throws for store failures.
     */
    void record(RunningJob r, Write w) {
        synchronized (r.writes) {
            if (r.lost) {
                return;
            }
            if (!r.writes.isEmpty() || node.health.isDown()) {
                keep(r, w);
                return;
            }
            try {
                store(r, w);
            } catch (StoreUnavailableException e) {
                node.health.failed(node.now(), e);
                keep(r, w);
            }
        }
    }

    private void keep(RunningJob r, Write w) {
        if (w.replaces() != null) {
            r.writes.removeIf(x -> w.replaces().equals(x.replaces()));
        }
        r.writes.addLast(w);
        LOG.debug("engine {}: the job store is unavailable; keeping {} of job {} ({} kept)", node.nodeId, w.what(),
                r.jobId, r.writes.size());
    }

    /**
     * Stores one event write, unless another node holds the job's lease (then the local execution is stopped).
     *
     * @throws StoreUnavailableException if the store cannot be reached: the caller keeps the write
     */
    private void store(RunningJob r, Write w) {
        Job[] after = new Job[1];
        PerJob.Outcome o = PerJob.run(node.nodeId, "recording " + w.what() + " of", r.jobId, () -> after[0] =
                node.change(r.jobId, cur -> node.heldElsewhere(cur) ? cur : w.rule().apply(cur)));
        switch (o) {
            case GONE -> {
                LOG.debug("engine {}: job {} is gone; ignoring {}", node.nodeId, r.jobId, w.what());
                r.stop();
                node.finished(r);
            }
            case FAILED -> {
                if (w.terminal()) {
                    node.finished(r);
                }
            }
            case DONE -> {
                node.health.ok(node.now());
                if (node.heldElsewhere(after[0])) {
                    node.lost(r, after[0].lease());
                } else if (w.terminal()) {
                    node.finished(r);
                }
            }
        }
    }

    /**
     * Stores the kept event writes of every running job, oldest first per job.
     *
     * @return the number of writes stored
     * @throws StoreUnavailableException if the store still fails (the failed write stays first in its queue)
     */
    int flushKeptWrites() {
        int n = 0;
        for (RunningJob r : node.running.values()) {
            while (true) {
                Write w;
                synchronized (r.writes) {
                    w = r.lost ? null : r.writes.peekFirst();
                }
                if (w == null) {
                    break;
                }
                store(r, w);
                n++;
                synchronized (r.writes) {
                    r.writes.remove(w);
                }
            }
        }
        return n;
    }
}
