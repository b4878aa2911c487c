package org.uwskit.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.uwskit.spi.SteppedClock;

/**
 * A {@link Clock} that stands still until a test moves it: give it to {@code JobService.builder().clock(...)} and
 * drive destruction times, execution-duration deadlines and lease expiry without sleeping.
 *
 * <p>It is a {@link SteppedClock}: timers on the service's clock (the timeouts of WAIT requests) fire as soon as
 * {@link #set} or {@link #advance} moves it past them, on the calling thread, so WAIT is tested without sleeping.
 *
 * <p>Thread-safe: {@link #set} and {@link #advance} may be called while other threads read the time. Time never
 * moves by itself. The zone is UTC unless given.
 */
public final class SettableClock extends Clock implements SteppedClock {
    /** The instant a clock built with {@link #SettableClock()} starts at. */
    public static final Instant DEFAULT_START = Instant.parse("2030-01-01T00:00:00Z");

    private final AtomicReference<Instant> now;
    private final List<Runnable> listeners;
    private final ZoneId zone;

    /** A clock at {@link #DEFAULT_START}, UTC. */
    public SettableClock() {
        this(DEFAULT_START);
    }

    /** A clock at {@code start}, UTC. */
    public SettableClock(Instant start) {
        this(new AtomicReference<>(Objects.requireNonNull(start, "start")), new CopyOnWriteArrayList<>(),
                ZoneOffset.UTC);
    }

    private SettableClock(AtomicReference<Instant> now, List<Runnable> listeners, ZoneId zone) {
        this.now = now;
        this.listeners = listeners;
        this.zone = zone;
    }

    /** Moves the clock to {@code instant} (backwards too). */
    public void set(Instant instant) {
        now.set(Objects.requireNonNull(instant, "instant"));
        stepped();
    }

    /**
     * Moves the clock forward by {@code d}.
     *
     * @return the new instant
     */
    public Instant advance(Duration d) {
        Objects.requireNonNull(d, "d");
        Instant i = now.updateAndGet(x -> x.plus(d));
        stepped();
        return i;
    }

    private void stepped() {
        for (Runnable l : listeners) {
            l.run();
        }
    }

    /** Registers a listener called on the moving thread after each {@link #set} and {@link #advance}. */
    @Override
    public AutoCloseable onStep(Runnable listener) {
        Objects.requireNonNull(listener, "listener");
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    /** A view in another zone sharing this clock's time (moving either moves both). */
    @Override
    public Clock withZone(ZoneId z) {
        return new SettableClock(now, listeners, z);
    }

    @Override
    public String toString() {
        return "SettableClock[" + now.get() + "]";
    }
}
