package org.uwskit.internal;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The one polling loop of uws-core's own tests: uws-testkit's {@code Await} cannot be used here, as uws-testkit
 * depends on uws-core. Polls a condition every 5 ms until it holds, failing with {@code what} after the timeout.
 */
final class CoreAwait {
    private CoreAwait() {
    }

    static void until(Duration timeout, BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within " + timeout + ": " + what);
            }
            LockSupport.parkNanos(5_000_000);
        }
    }
}
