package org.uwskit.testkit;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Polls a condition until it holds or a deadline passes: the one way tests wait for something another thread does
 * (a job reaching a phase, a server suspending a request). It never waits for time to pass: drive time that the
 * library reads with {@link SettableClock}. Failing the deadline is an {@link AssertionError} naming what was
 * awaited and, if given, the last observed state.
 *
 * <p>Stateless; thread-safe.
 */
public final class Await {
    /** How long {@link #until(BooleanSupplier, String)} waits at most. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    /** How often the condition is polled by default. */
    public static final Duration DEFAULT_POLL = Duration.ofMillis(5);

    private Await() {
    }

    /**
     * Polls {@code condition} every {@link #DEFAULT_POLL} for at most {@link #DEFAULT_TIMEOUT}.
     *
     * @param condition the condition
     * @param what      what is awaited, for the failure message
     * @return how long it took
     * @throws AssertionError if the deadline passes first
     */
    public static Duration until(BooleanSupplier condition, String what) {
        return until(DEFAULT_TIMEOUT, DEFAULT_POLL, condition, what, () -> "no state given");
    }

    /**
     * Polls {@code condition} every {@link #DEFAULT_POLL} for at most {@code timeout}.
     *
     * @return how long it took
     * @throws AssertionError if the deadline passes first
     */
    public static Duration until(Duration timeout, BooleanSupplier condition, String what) {
        return until(timeout, DEFAULT_POLL, condition, what, () -> "no state given");
    }

    /**
     * Polls {@code condition} every {@code every} for at most {@code timeout}.
     *
     * @param timeout   the deadline, from now
     * @param every     the polling period
     * @param condition the condition
     * @param what      what is awaited, for the failure message
     * @param state     the state to report when the deadline passes
     * @return how long it took
     * @throws AssertionError if the deadline passes first
     */
    public static Duration until(Duration timeout, Duration every, BooleanSupplier condition, String what,
                                 Supplier<String> state) {
        Objects.requireNonNull(condition, "condition");
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within " + timeout + ": " + what + " (" + state.get() + ")");
            }
            LockSupport.parkNanos(every.toNanos());
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while awaiting " + what);
            }
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
