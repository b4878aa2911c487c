package org.uwskit.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.uwskit.spi.SteppedClock;

/**
 * A settable clock for core tests (uws-core cannot depend on uws-testkit's SettableClock); it tells of each move, as
 * a {@link SteppedClock}, so timers on the service's clock fire at once.
 */
public final class TestClock extends Clock implements SteppedClock {
    private final AtomicReference<Instant> now;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    public TestClock(Instant start) {
        now = new AtomicReference<>(start);
    }

    public void set(Instant i) {
        now.set(i);
        listeners.forEach(Runnable::run);
    }

    public Instant advance(Duration d) {
        Instant i = now.updateAndGet(x -> x.plus(d));
        listeners.forEach(Runnable::run);
        return i;
    }

    @Override
    public AutoCloseable onStep(Runnable listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
