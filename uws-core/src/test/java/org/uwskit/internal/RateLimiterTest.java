package org.uwskit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
    final TestClock clock = new TestClock(Instant.parse("2030-01-01T00:00:00Z"));

    @Test
    void aBurstPassesThenTheBucketRefillsAtTheRate() {
        RateLimiter r = new RateLimiter(clock, 2, 3); // 2 tokens a second, 3 at most
        for (int i = 0; i < 3; i++) {
            assertThat(r.tryAcquire("a")).as("request %s of the burst", i).isZero();
        }
        assertThat(r.tryAcquire("a")).isEqualTo(Duration.ofMillis(500));
        clock.advance(Duration.ofMillis(499));
        assertThat(r.tryAcquire("a")).isEqualTo(Duration.ofMillis(1));
        clock.advance(Duration.ofMillis(1));
        assertThat(r.tryAcquire("a")).isZero();
        assertThat(r.tryAcquire("a")).isEqualTo(Duration.ofMillis(500));
        // a long pause refills to the burst, never beyond
        clock.advance(Duration.ofHours(1));
        for (int i = 0; i < 3; i++) {
            assertThat(r.tryAcquire("a")).isZero();
        }
        assertThat(r.tryAcquire("a")).isPositive();
    }

    @Test
    void eachKeyHasItsOwnBucket() {
        RateLimiter r = new RateLimiter(clock, 1, 1);
        assertThat(r.tryAcquire("a")).isZero();
        assertThat(r.tryAcquire("a")).isEqualTo(Duration.ofSeconds(1));
        assertThat(r.tryAcquire("b")).isZero();
    }

    @Test
    void aRefusedRequestTakesNoToken() {
        RateLimiter r = new RateLimiter(clock, 1, 1);
        assertThat(r.tryAcquire("a")).isZero();
        for (int i = 0; i < 100; i++) {
            assertThat(r.tryAcquire("a")).isPositive();
        }
        clock.advance(Duration.ofSeconds(1));
        assertThat(r.tryAcquire("a")).isZero();
    }

    @Test
    void aClockSetBackNeitherAddsNorTakesTokens() {
        RateLimiter r = new RateLimiter(clock, 1, 1);
        assertThat(r.tryAcquire("a")).isZero();
        clock.advance(Duration.ofSeconds(-30));
        assertThat(r.tryAcquire("a")).isEqualTo(Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(31));
        assertThat(r.tryAcquire("a")).isZero();
    }

    @Test
    void idleBucketsAreDroppedSoMemoryStaysBounded() {
        RateLimiter r = new RateLimiter(clock, 10, 10);
        for (int i = 0; i <= RateLimiter.SWEEP_ABOVE; i++) {
            r.tryAcquire("owner-" + i);
        }
        assertThat(r.size()).isEqualTo(RateLimiter.SWEEP_ABOVE + 1);
        clock.advance(Duration.ofSeconds(1)); // every bucket is full again
        r.tryAcquire("late");
        assertThat(r.size()).isEqualTo(1);
    }

    @Test
    void badSettingsAreRefused() {
        assertThatThrownBy(() -> new RateLimiter(clock, 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RateLimiter(clock, 1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
