package org.uwskit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** The timer on the injected clock, with a clock that tells of its moves. */
class ClockTimerTest {

    @Test
    void aMoveReturnsOnlyWhenTheTasksDueAtTheNewInstantHaveRunAlsoThoseTheTimerThreadTookFirst() {
        TestClock clock = new TestClock(Instant.parse("2030-01-01T00:00:00Z"));
        CountDownLatch takenByTheTimerThread = new CountDownLatch(1);
        // registered before the timer's own listener: the move is held until the timer thread, reading the moved
        // clock, has taken the due task itself (the order in which a WAIT timeout was once seen not yet completed)
        clock.onStep(() -> {
            try {
                takenByTheTimerThread.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        AtomicBoolean ran = new AtomicBoolean();
        try (ClockTimer timer = new ClockTimer(clock, "clock-timer-test")) {
            timer.schedule(Duration.ofMillis(10), () -> {
                takenByTheTimerThread.countDown();
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
                ran.set(true);
            });
            clock.advance(Duration.ofMillis(10));
            assertThat(takenByTheTimerThread.getCount()).as("the timer thread took the task").isZero();
            assertThat(ran).as("the task due at the new instant has run when the move returns").isTrue();
        }
    }

    @Test
    void aTaskRunsNotBeforeTheClockReachesItsDueInstant() {
        TestClock clock = new TestClock(Instant.parse("2030-01-01T00:00:00Z"));
        AtomicBoolean ran = new AtomicBoolean();
        try (ClockTimer timer = new ClockTimer(clock, "clock-timer-test")) {
            timer.schedule(Duration.ofSeconds(60), () -> ran.set(true));
            clock.advance(Duration.ofSeconds(59));
            assertThat(ran).isFalse();
            clock.advance(Duration.ofSeconds(1));
            assertThat(ran).as("run on the moving thread as the clock reaches the due instant").isTrue();
        }
    }
}
