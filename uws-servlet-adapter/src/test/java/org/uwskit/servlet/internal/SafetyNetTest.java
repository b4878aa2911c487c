package org.uwskit.servlet.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The WAIT safety net, driven by calling its sweep directly (no waiting on its thread). */
class SafetyNetTest {
    private final SafetyNet net = new SafetyNet();

    @AfterEach
    void close() {
        net.close();
    }

    @Test
    void aPassedDeadlineRunsOnceAndIsForgotten() {
        AtomicInteger runs = new AtomicInteger();
        net.add(Duration.ZERO, runs::incrementAndGet);
        net.sweep();
        net.sweep();
        assertThat(runs).hasValue(1);
        assertThat(net.size()).isZero();
    }

    @Test
    void aDeadlineNotYetPassedWaits() {
        AtomicInteger runs = new AtomicInteger();
        net.add(Duration.ofHours(1), runs::incrementAndGet);
        net.sweep();
        assertThat(runs).hasValue(0);
        assertThat(net.size()).isEqualTo(1);
    }

    @Test
    void aWithdrawnDeadlineNeverRuns() {
        AtomicInteger runs = new AtomicInteger();
        SafetyNet.Deadline d = net.add(Duration.ZERO, runs::incrementAndGet);
        d.cancel();
        d.cancel();
        net.sweep();
        assertThat(runs).hasValue(0);
        assertThat(net.size()).isZero();
    }

    @Test
    void aFailingActionDoesNotStopTheOthers() {
        AtomicInteger runs = new AtomicInteger();
        net.add(Duration.ZERO, () -> {
            throw new IllegalStateException("boom");
        });
        net.add(Duration.ZERO, runs::incrementAndGet);
        net.sweep();
        assertThat(runs).hasValue(1);
        assertThat(net.size()).isZero();
    }
}
