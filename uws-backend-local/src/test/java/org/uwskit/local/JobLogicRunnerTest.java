package org.uwskit.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.uwskit.InvalidRequestException;
import org.uwskit.JobDefinition;
import org.uwskit.ParameterDefinition;
import org.uwskit.ParameterType;
import org.uwskit.Phase;
import org.uwskit.PhaseChange;

class JobLogicRunnerTest {
    private static final JobDefinition COUNT = JobDefinition.builder("count")
            .parameter(ParameterDefinition.builder("N", ParameterType.INTEGER).required().min(1).max(1000))
            .build();

    private static final JobLogic COUNTING = ctx -> {
        long n = ctx.parameters().getLong("N");
        try (OutputStream out = ctx.result("numbers", "text/plain")) {
            for (long i = 1; i <= n; i++) {
                out.write((i + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        ctx.progress(1.0, "counted");
        ctx.log().info("counted to {}", n);
    };

    @Test
    void runsLogicToCompletedWithReadableResults() {
        RunOutcome out = JobLogicRunner.run(COUNT, COUNTING, Map.of("N", "3"));

        assertThat(out.phase()).isEqualTo(Phase.COMPLETED);
        assertThat(out.timedOut()).isFalse();
        assertThat(out.error()).isEmpty();
        assertThat(out.text("numbers")).isEqualTo("1\n2\n3\n");
        assertThat(out.results()).extracting(r -> r.id()).containsExactly("numbers", "log");
        assertThat(out.results().get(0).size()).isEqualTo(6);
        assertThat(out.results().get(0).mimeType()).isEqualTo("text/plain");
        assertThat(out.text("log")).contains("INFO counted to 3");
        assertThat(out.jobInfo()).containsEntry("progressMessage", "counted");
        assertThat(out.job().history()).extracting(PhaseChange::to)
                .containsSubsequence(Phase.QUEUED, Phase.EXECUTING, Phase.COMPLETED);
        assertThatThrownBy(() -> out.bytes("nope")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no stored result 'nope'");
    }

    @Test
    void failingLogicEndsInErrorWithItsMessage() {
        RunOutcome out = JobLogicRunner.run(COUNT, ctx -> {
            throw new IllegalArgumentException("N is unlucky: " + ctx.parameters().getLong("N"));
        }, Map.of("N", "13"));

        assertThat(out.phase()).isEqualTo(Phase.ERROR);
        assertThat(out.error()).hasValueSatisfying(e -> {
            assertThat(e.message()).isEqualTo("N is unlucky: 13");
            // issue 8 finding 6: no stack trace (our class and file names) in what clients read at /error
            assertThat(e.detail()).contains("N is unlucky: 13", "reference job").doesNotContain("IllegalArgumentException")
                    .doesNotContain("at org.uwskit");
        });
    }

    @Test
    void invalidParametersAreRefusedAsTheHttpLayerWould() {
        assertThatThrownBy(() -> JobLogicRunner.run(COUNT, COUNTING, Map.of("N", "zero")))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("N: 'zero' is not an integer");
        assertThatThrownBy(() -> JobLogicRunner.run(COUNT, COUNTING, Map.of()))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("required parameter N is missing");
    }

    @Test
    void uploadsReachTheLogic() {
        JobDefinition def = JobDefinition.builder("lines")
                .parameter(ParameterDefinition.builder("FILE", ParameterType.FILE).required()).build();
        RunOutcome out = JobLogicRunner.builder(def, ctx -> {
            try (InputStream in = ctx.upload("FILE"); OutputStream o = ctx.result("count", "text/plain")) {
                long lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().count();
                o.write(Long.toString(lines).getBytes(StandardCharsets.UTF_8));
            }
        }).upload("FILE", "a\nb\nc\nd\n").run();

        assertThat(out.phase()).isEqualTo(Phase.COMPLETED);
        assertThat(out.text("count")).isEqualTo("4");
        assertThat(out.job().parameter("FILE")).hasValueSatisfying(p -> assertThat(p.value()).isEqualTo("param:FILE"));
    }

    @Test
    void theTimeoutAbortsTheJobAndKeepsResultsSoFar() {
        RunOutcome out = JobLogicRunner.builder(COUNT, ctx -> {
            try (OutputStream o = ctx.result("partial", "text/plain")) {
                o.write("so far".getBytes(StandardCharsets.UTF_8));
            }
            new CountDownLatch(1).await();
        }).parameter("N", "1").timeout(Duration.ofMillis(500)).run();

        assertThat(out.timedOut()).isTrue();
        assertThat(out.phase()).isEqualTo(Phase.ABORTED);
        assertThat(out.text("partial")).isEqualTo("so far");
    }

    @Test
    void theExecutionDurationWatchdogAbortsALongJob() {
        long t0 = System.nanoTime();
        RunOutcome out = JobLogicRunner.builder(COUNT, ctx -> {
            try (OutputStream o = ctx.result("partial", "text/plain")) {
                o.write("before the deadline".getBytes(StandardCharsets.UTF_8));
            }
            while (!ctx.isCancelled()) {
                java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
            }
        }).parameter("N", "1").executionDuration(Duration.ofSeconds(1)).timeout(Duration.ofSeconds(20)).run();

        assertThat(out.timedOut()).isFalse();
        assertThat(out.phase()).isEqualTo(Phase.ABORTED);
        assertThat(out.job().history()).last().extracting(PhaseChange::reason).isEqualTo("execution duration exceeded");
        assertThat(out.text("partial")).isEqualTo("before the deadline");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void builderRefusesBadSettings() {
        assertThatThrownBy(() -> JobLogicRunner.builder(COUNT, COUNTING).timeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout");
        assertThatThrownBy(() -> JobLogicRunner.builder(COUNT, COUNTING).executionDuration(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("executionDuration");
    }
}
