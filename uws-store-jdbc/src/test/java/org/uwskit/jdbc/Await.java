package org.uwskit.jdbc;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polls a condition until it holds or a deadline passes (tests never sleep for a fixed time). */
final class Await {
    private Await() {
    }

    /**
     * Polls every {@code every} until {@code condition} holds.
     *
     * @return the time it took
     * @throws AssertionError with {@code what} and the last {@code state} if the deadline passes
     */
    static Duration until(Duration timeout, Duration every, BooleanSupplier condition, String what,
                          Supplier<String> state) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout + ": " + what + " (" + state.get() + ")");
            }
            LockSupport.parkNanos(every.toNanos());
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
