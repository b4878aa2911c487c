package org.uwskit.internal;

import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.uwskit.DestructionMode;
import org.uwskit.Job;
import org.uwskit.JobList;
import org.uwskit.Phase;
import org.uwskit.StoreUnavailableException;
import org.uwskit.spi.Reattachable;

/**
 * The engine's housekeeping pass, in this order: store the event writes kept during a store outage, release claims
 * never submitted, the execution-duration watchdog (ABORTED, results kept), the destruction reaper (destroy, or
 * archive when the job list says so), renewal of this node's leases (every third of the lease duration, and at once
 * after an outage), {@link Recovery} of jobs whose node died, and a check of the jobs this node runs against the
 * store (changes it was not told of). A store outage ends the pass; it is recorded and retried. Not API.
 */
final class Housekeeper {
    /** The most jobs each housekeeping step reads from the store per run. */
    static final int HOUSEKEEPING_BATCH = 100;

    private static final Logger LOG = LoggerFactory.getLogger(Housekeeper.class);

    private final EngineNode node;
    private final EventWriter writer;
    private final Dispatcher dispatcher;
    private final Recovery recovery;

    Housekeeper(EngineNode node, EventWriter writer, Dispatcher dispatcher, Recovery recovery) {
        this.node = node;
        this.writer = writer;
        this.dispatcher = dispatcher;
        this.recovery = recovery;
    }

    /** See {@link org.uwskit.Engine#housekeep()}. */
    int housekeep() {
        if (node.closed.get()) {
            return 0;
        }
        Instant now = node.now();
        if (!node.health.mayTry(now)) {
            return 0;
        }
        int changed = 0;
        try {
            changed += writer.flushKeptWrites();
            dispatcher.releaseUnsubmitted();
            changed += watchdog(now);
            node.health.ok(now);
            changed += reap(now);
            renewLeases(now);
            changed += recovery.recover(now, HOUSEKEEPING_BATCH);
            checkRunning();
        } catch (StoreUnavailableException e) {
            node.health.failed(now, e);
        }
        return changed;
    }

    private int watchdog(Instant now) {
        int n = 0;
        for (Job job : node.store.dueForTimeout(now, HOUSEKEEPING_BATCH)) {
            Job[] after = new Job[1];
            boolean present = PerJob.ifPresent(() -> after[0] = node.change(job.jobId(), cur -> cur.deadline()
                    .filter(d -> !d.isAfter(now)).isPresent()
                    ? EngineNode.terminal(cur, Phase.ABORTED, "execution duration exceeded", null, now) : cur));
            if (present && after[0].phase() == Phase.ABORTED && after[0].version() != job.version()) {
                n++;
            }
        }
        return n;
    }

    private int reap(Instant now) {
        int[] n = {0};
        for (Job job : node.store.dueForDestruction(now, HOUSEKEEPING_BATCH)) {
            PerJob.run(node.nodeId, "destroying", job.jobId(), () -> {
                reapOne(job, now);
                n[0]++;
            });
        }
        return n[0];
    }

    private void reapOne(Job job, Instant now) {
        Job cur = job;
        if (!cur.phase().isFinished() && cur.phase() != Phase.ARCHIVED) {
            cur = node.change(job.jobId(), j -> EngineNode.terminal(j, Phase.ABORTED, "destruction time reached",
                    null, now));
        }
        JobList list = node.kernel.jobListMap().get(cur.jobList());
        DestructionMode mode = list == null ? DestructionMode.DELETE : list.policy().destructionMode();
        if (mode == DestructionMode.ARCHIVE && cur.phase().isFinished()) {
            cur = node.change(job.jobId(), j -> j.phase().isFinished()
                    ? j.toBuilder().phase(Phase.ARCHIVED, now, "destruction time reached")
                    .results(j.results().stream().filter(res -> !res.isStored()).toList())
                    .lease(null).build()
                    : j);
            if (cur.phase() == Phase.ARCHIVED) {
                deleteBlobs(cur.jobId());
                return;
            }
        }
        node.kernel.destroy(cur);
    }

    private void deleteBlobs(String jobId) {
        try {
            node.results.deleteAll(jobId);
        } catch (IOException e) {
            LOG.warn("engine {}: deleting the blobs of archived job {} failed", node.nodeId, jobId, e);
        }
    }

    private void renewLeases(Instant now) {
        Instant last = node.lastRenewal;
        if (last != null && now.isBefore(last.plus(node.leaseDuration.dividedBy(3)))) {
            return;
        }
        Instant until = now.plus(node.leaseDuration);
        for (RunningJob r : node.running.values()) {
            node.renew(r, until);
        }
        node.lastRenewal = now; // not before: after a store failure every lease is renewed on the next pass
    }

    /** Catches changes this node was not told of (other nodes, stores without a change feed). */
    private void checkRunning() {
        for (RunningJob r : node.running.values()) {
            if (r.finishing || r.lost) {
                continue;
            }
            Optional<Job> j = node.store.get(r.jobId);
            if (j.isEmpty()) {
                r.stop();
                node.finished(r);
            } else if (j.get().phase() == Phase.ABORTED) {
                r.stop();
            } else if (j.get().phase().isFinished() || j.get().phase() == Phase.ARCHIVED) {
                // ended elsewhere (another node's recovery): local work of a non-reattachable backend is orphaned
                if (r.backend instanceof Reattachable) {
                    node.detach(r);
                } else {
                    r.stop();
                }
                node.finished(r);
            } else if (node.heldElsewhere(j.get())) {
                node.lost(r, j.get().lease());
            }
        }
    }
}
