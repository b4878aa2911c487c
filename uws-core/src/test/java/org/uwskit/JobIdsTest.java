package org.uwskit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JobIdsTest {
    @Test
    void a100kIdsAreUniqueUrlSafeAndOfFixedLength() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            String id = JobIds.next();
            assertThat(id).hasSize(26).matches("[a-z][a-z2-7]{25}");
            assertThat(JobIds.isWellFormed(id)).isTrue();
            assertThat(seen.add(id)).as("duplicate %s", id).isTrue();
        }
        assertThat(seen).hasSize(100_000);
    }

    @Test
    void junkIdsAreNotWellFormed() {
        assertThat(JobIds.isWellFormed("../etc/passwd")).isFalse();
        assertThat(JobIds.isWellFormed("")).isFalse();
        assertThat(JobIds.isWellFormed(null)).isFalse();
        assertThat(JobIds.isWellFormed("a".repeat(65))).isFalse();
        assertThat(JobIds.isWellFormed("a b")).isFalse();
    }
}
