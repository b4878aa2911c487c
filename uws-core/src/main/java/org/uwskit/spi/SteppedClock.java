package org.uwskit.spi;

/**
 * Implemented by a {@link java.time.Clock} that stands still until it is moved by hand (a test's settable clock,
 * such as uws-testkit's {@code SettableClock}) and tells when it moves. Timers that run on the service's clock (the
 * timeouts of WAIT requests) then fire as soon as the clock is moved past them, on the thread that moved it, so a
 * test of WAIT is deterministic. Clocks that do not implement it (the system clock) are read again at each timer's
 * due instant, and at least every second.
 *
 * <p><b>Threading:</b> implementations call listeners on the thread that moved the clock, after the move, and must
 * allow listeners to be added and removed from any thread.
 */
public interface SteppedClock {

    /**
     * Registers a listener called after each move of the clock. Listeners must be quick and must not throw.
     *
     * @param listener called after each move
     * @return a handle that unregisters the listener
     */
    AutoCloseable onStep(Runnable listener);
}
