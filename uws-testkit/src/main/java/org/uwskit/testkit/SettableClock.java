package org.uwskit.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link Clock} that stands still until a test moves it: give it to {@code JobService.builder().clock(...)} and
 * drive destruction times, execution-duration deadlines and lease expiry without sleeping.
 *
 * <p>Thread-safe: {@link #set} and {@link #advance} may be called while other threads read the time. Time never
 * moves by itself. The zone is UTC unless given.
 */
public final class SettableClock extends Clock {
    /** The instant a clock built with {@link #SettableClock()} starts at. */
    public static final Instant DEFAULT_START = Instant.parse("2030-01-01T00:00:00Z");

    private final AtomicReference<Instant> now;
    private final ZoneId zone;

    /** A clock at {@link #DEFAULT_START}, UTC. */
    public SettableClock() {
        this(DEFAULT_START);
    }

    /** A clock at {@code start}, UTC. */
    public SettableClock(Instant start) {
        this(new AtomicReference<>(Objects.requireNonNull(start, "start")), ZoneOffset.UTC);
    }

    private SettableClock(AtomicReference<Instant> now, ZoneId zone) {
        this.now = now;
        this.zone = zone;
    }

    /** Moves the clock to {@code instant} (backwards too). */
    public void set(Instant instant) {
        now.set(Objects.requireNonNull(instant, "instant"));
    }

    /**
     * Moves the clock forward by {@code d}.
     *
     * @return the new instant
     */
    public Instant advance(Duration d) {
        Objects.requireNonNull(d, "d");
        return now.updateAndGet(i -> i.plus(d));
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
        return new SettableClock(now, z);
    }

    @Override
    public String toString() {
        return "SettableClock[" + now.get() + "]";
    }
}
