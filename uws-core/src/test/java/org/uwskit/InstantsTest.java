package org.uwskit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class InstantsTest {
    private static final DateTimeFormatter REFERENCE = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private static String reference(Instant i) {
        return REFERENCE.format(i.truncatedTo(ChronoUnit.MILLIS));
    }

    @Test
    void formatIsTheIsoPatternInUtcToTheMillisecond() {
        assertThat(Instants.format(Instant.parse("2026-11-21T09:30:00Z"))).isEqualTo("2026-11-21T09:30:00.000Z");
        assertThat(Instants.format(Instant.parse("2024-02-29T23:59:59.999999999Z")))
                .isEqualTo("2024-02-29T23:59:59.999Z");
        assertThat(Instants.format(Instant.EPOCH)).isEqualTo("1970-01-01T00:00:00.000Z");
        assertThat(Instants.format(Instant.parse("9999-12-31T23:59:59.001Z"))).isEqualTo("9999-12-31T23:59:59.001Z");
    }

    @Test
    void formatAgreesWithTheFormatterEverywhereIncludingOutsideTheFastRange() {
        SplittableRandom r = new SplittableRandom(42);
        for (int k = 0; k < 100_000; k++) {
            Instant i = Instant.ofEpochSecond(r.nextLong(-62_000_000_000L, 300_000_000_000L), r.nextInt(1_000_000_000));
            assertThat(Instants.format(i)).isEqualTo(reference(i));
        }
        for (Instant i : new Instant[] {Instant.ofEpochSecond(-1, 999_999_999), Instant.ofEpochSecond(253_402_300_799L),
                Instant.ofEpochSecond(253_402_300_800L), Instant.parse("2000-02-29T12:00:00.5Z")}) {
            assertThat(Instants.format(i)).isEqualTo(reference(i));
        }
    }
}
