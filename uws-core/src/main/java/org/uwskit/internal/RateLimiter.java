package org.uwskit.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Token buckets by key: each bucket holds at most {@code burst} tokens, refills at {@code perSecond} tokens a
 * second, and each {@link #tryAcquire} takes one. Time comes from the injected {@link Clock} only. Thread-safe.
 *
 * <p>Memory stays bounded by the number of keys that sent a request in the last {@code burst / perSecond} seconds:
 * a bucket that has refilled completely is the same as no bucket, so such buckets are dropped when the map grows
 * beyond {@value #SWEEP_ABOVE} keys.
 */
final class RateLimiter {
    /** Above this many buckets, full (idle) buckets are removed on the next acquisition. */
    static final int SWEEP_ABOVE = 10_000;

    private final Clock clock;
    private final double perSecond;
    private final int burst;
    private final Map<Object, Bucket> buckets = new ConcurrentHashMap<>();

    /**
     * @param clock     the time source
     * @param perSecond tokens added per second (&gt; 0)
     * @param burst     the bucket size (≥ 1)
     */
    RateLimiter(Clock clock, double perSecond, int burst) {
        if (!(perSecond > 0) || burst < 1) {
            throw new IllegalArgumentException("perSecond must be > 0 and burst >= 1");
        }
        this.clock = Objects.requireNonNull(clock, "clock");
        this.perSecond = perSecond;
        this.burst = burst;
    }

    /**
     * Takes one token from the key's bucket.
     *
     * @param key the bucket (an owner)
     * @return {@link Duration#ZERO} if a token was taken; otherwise how long until one will be available, in whole
     *         milliseconds rounded up (nothing is taken then)
     */
    Duration tryAcquire(Object key) {
        long nowNanos = nanos();
        if (buckets.size() > SWEEP_ABOVE) {
            sweep(nowNanos);
        }
        Bucket b = buckets.computeIfAbsent(key, k -> new Bucket(burst, nowNanos));
        synchronized (b) {
            b.refill(nowNanos, perSecond, burst);
            if (b.tokens >= 1) {
                b.tokens -= 1;
                return Duration.ZERO;
            }
            double missingMillis = (1 - b.tokens) / perSecond * 1000;
            // whole milliseconds, rounded up but not past a float error of a few nanoseconds
            return Duration.ofMillis(Math.max(1, (long) Math.ceil(missingMillis - 1e-6)));
        }
    }

    /** The number of buckets held (for tests of the memory bound). */
    int size() {
        return buckets.size();
    }

    private void sweep(long nowNanos) {
        buckets.entrySet().removeIf(e -> {
            Bucket b = e.getValue();
            synchronized (b) {
                b.refill(nowNanos, perSecond, burst);
                return b.tokens >= burst;
            }
        });
    }

    private long nanos() {
        java.time.Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    private static final class Bucket {
        double tokens;
        long lastNanos;

        Bucket(double tokens, long lastNanos) {
            this.tokens = tokens;
            this.lastNanos = lastNanos;
        }

        void refill(long nowNanos, double perSecond, int burst) {
            long elapsed = nowNanos - lastNanos;
            if (elapsed > 0) { // a clock set back adds nothing and takes nothing
                tokens = Math.min(burst, tokens + elapsed / 1e9 * perSecond);
                lastNanos = nowNanos;
            }
        }
    }
}
