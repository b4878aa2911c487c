package org.uwskit.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AwaitTest {

    @Test
    void returnsOnceTheConditionHolds() {
        AtomicInteger polls = new AtomicInteger();
        Await.until(() -> polls.incrementAndGet() >= 3, "three polls");
        assertThat(polls).hasValue(3);
    }

    @Test
    void failsWithWhatAndTheStateAtTheDeadline() {
        assertThatThrownBy(() -> Await.until(Duration.ofMillis(20), Duration.ofMillis(1), () -> false, "never",
                () -> "still false")).isInstanceOf(AssertionError.class).hasMessageContaining("never")
                .hasMessageContaining("still false");
    }
}
