package org.uwskit.internal;

import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.uwskit.StoreUnavailableException;

/**
 * What an engine node knows of the store's availability: when to try it again (exponential back-off) and, after an
 * outage, until when leases that lapsed during it are not taken over. Not API. Thread-safe (its own monitor).
 */
final class StoreHealth {
    /** The first delay before the store is tried again after it was found unavailable; doubled per failure. */
    static final Duration STORE_RETRY_MIN = Duration.ofMillis(100);
    /** The longest delay between tries of an unavailable store (also capped at a third of the lease duration). */
    static final Duration STORE_RETRY_MAX = Duration.ofSeconds(2);
    private static final Logger LOG = LoggerFactory.getLogger(StoreHealth.class);

    private final String nodeId;
    private final boolean manual;
    private final Duration leaseDuration;
    private final Runnable onBack;
    private boolean down;
    private Instant lastOk;
    private Instant downSince;
    private Instant backAt;
    private Instant graceCutoff;
    private Duration delay = Duration.ZERO;
    private Instant retryAt;

    /**
     * @param nodeId        the engine's node id (for the log)
     * @param manual        whether the engine is manual (no back-off: the caller decides when to retry)
     * @param leaseDuration the lease duration (caps the back-off; the grace after an outage)
     * @param onBack        run when the store answers again after an outage
     */
    StoreHealth(String nodeId, boolean manual, Duration leaseDuration, Runnable onBack) {
        this.nodeId = nodeId;
        this.manual = manual;
        this.leaseDuration = leaseDuration;
        this.onBack = onBack;
    }

    synchronized boolean isDown() {
        return down;
    }

    /**
     * Whether the store may be tried at {@code now}: always, unless it is down and the back-off runs. In manual
     * mode the caller decides when to retry, so there is no back-off.
     */
    synchronized boolean mayTry(Instant now) {
        return manual || !down || !now.isBefore(retryAt);
    }

    synchronized void ok(Instant now) {
        if (down) {
            down = false;
            Instant cutoff = downSince;
            if (inGrace(now) && graceCutoff.isBefore(cutoff)) {
                cutoff = graceCutoff;
            }
            graceCutoff = cutoff;
            backAt = now;
            delay = Duration.ZERO;
            onBack.run();
            LOG.info("engine {}: the job store answers again (unavailable since about {}); leases that lapsed"
                    + " meanwhile are not taken over before {}", nodeId, downSince, now.plus(leaseDuration));
        }
        if (lastOk == null || now.isAfter(lastOk)) {
            lastOk = now;
        }
    }

    synchronized void failed(Instant now, StoreUnavailableException e) {
        if (!down) {
            down = true;
            downSince = lastOk != null && lastOk.isBefore(now) ? lastOk : now;
            LOG.warn("engine {}: the job store is unavailable ({}); keeping event writes and retrying", nodeId,
                    e.getMessage());
        }
        Duration max = STORE_RETRY_MAX.compareTo(leaseDuration.dividedBy(3)) < 0 ? STORE_RETRY_MAX
                : leaseDuration.dividedBy(3);
        delay = delay.isZero() ? STORE_RETRY_MIN : delay.multipliedBy(2);
        if (delay.compareTo(max) > 0) {
            delay = max;
        }
        retryAt = now.plus(delay);
    }

    /**
     * The instant before which a lease must have expired to be taken over: {@code now}, except during an outage
     * and for one lease duration after it, when leases that lapsed since the outage began are left to their
     * owners to renew.
     */
    synchronized Instant takeoverCutoff(Instant now) {
        Instant cutoff = down ? downSince : inGrace(now) ? graceCutoff : now;
        return cutoff.isBefore(now) ? cutoff : now;
    }

    private boolean inGrace(Instant now) {
        return backAt != null && now.isBefore(backAt.plus(leaseDuration));
    }
}
