package org.uwskit.servlet.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.uwskit.InvalidRequestException;
import org.uwskit.Phase;

class ControlValuesTest {

    @Test
    void phaseActionsAreRunAndAbortOnly_item44() {
        assertThat(ControlValues.phaseAction("RUN")).isEqualTo(ControlValues.PhaseAction.RUN);
        assertThat(ControlValues.phaseAction(" abort ")).isEqualTo(ControlValues.PhaseAction.ABORT);
        for (String bad : List.of("SUSPEND", "ARCHIVE", "FOO", "", "PENDING")) {
            assertThatThrownBy(() -> ControlValues.phaseAction(bad)).isInstanceOf(InvalidRequestException.class)
                    .hasMessageContaining("RUN").hasMessageContaining("ABORT");
        }
        assertThatThrownBy(() -> ControlValues.phaseAction(null)).hasMessageContaining("missing PHASE");
    }

    @Test
    void executionDurationAcceptsPyvoDecimals_item47() {
        assertThat(ControlValues.executionDuration("3600")).isEqualTo(3600);
        assertThat(ControlValues.executionDuration("3600.0")).isEqualTo(3600);
        assertThat(ControlValues.executionDuration(" 0 ")).isZero();
        assertThat(ControlValues.executionDuration("1.2")).isEqualTo(2);
        assertThat(ControlValues.executionDuration("1e3")).isEqualTo(1000);
        for (String bad : List.of("abc", "-1", "-0.5", "", "1e100", "NaN")) {
            assertThatThrownBy(() -> ControlValues.executionDuration(bad)).as(bad)
                    .isInstanceOf(InvalidRequestException.class).hasMessageContaining("EXECUTIONDURATION");
        }
    }

    @Test
    void destructionAcceptsMicrosecondsAndNoZone_item12() {
        Instant expected = Instant.parse("2030-01-02T03:04:05.123456Z");
        assertThat(ControlValues.destruction("2030-01-02T03:04:05.123456Z")).isEqualTo(expected);
        assertThat(ControlValues.destruction("2030-01-02T03:04:05.123456")).isEqualTo(expected);
        assertThat(ControlValues.destruction("2030-01-02T04:04:05.123456+01:00")).isEqualTo(expected);
        assertThatThrownBy(() -> ControlValues.destruction("tomorrow")).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("DESTRUCTION").hasMessageContaining("tomorrow");
        assertThatThrownBy(() -> ControlValues.destruction(" ")).hasMessageContaining("missing DESTRUCTION");
    }

    @Test
    void filters_item29() {
        assertThat(ControlValues.last("5")).isEqualTo(5);
        assertThat(ControlValues.last(null)).isNull();
        for (String bad : List.of("0", "-1", "x", "2.5", "99999999999")) {
            assertThatThrownBy(() -> ControlValues.last(bad)).as(bad).hasMessageContaining("LAST");
        }
        assertThatThrownBy(() -> ControlValues.last("2147483648")).hasMessageContaining("too large");
        assertThatThrownBy(() -> ControlValues.last("-1")).hasMessageContaining("not a positive integer");
        assertThat(ControlValues.phases(List.of("completed", "ERROR"))).containsExactlyInAnyOrder(Phase.COMPLETED, Phase.ERROR);
        assertThatThrownBy(() -> ControlValues.phases(List.of("DONE"))).hasMessageContaining("PHASE='DONE'");
        assertThatThrownBy(() -> ControlValues.instant("AFTER", "garbage")).hasMessageContaining("AFTER");
    }

    @Test
    void waitValues_item77() {
        assertThat(ControlValues.waitTime("0")).isEqualTo(Duration.ZERO);
        assertThat(ControlValues.waitTime("30")).isEqualTo(Duration.ofSeconds(30));
        assertThat(ControlValues.waitTime("-1")).isNull();
        for (String bad : List.of("-2", "abc", "1.5", "")) {
            assertThatThrownBy(() -> ControlValues.waitTime(bad)).as(bad).hasMessageContaining("WAIT");
        }
    }

    @Test
    void longValuesAreAbbreviatedInMessages() {
        String huge = "x".repeat(10_000);
        assertThatThrownBy(() -> ControlValues.waitTime(huge)).satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(200));
    }
}
