package org.uwskit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * STILTS taplint's UWS stage (Debian stilts) against the demo job list. taplint exits 0 even when it reports errors,
 * so its report lines are read: no {@code E-} (error) or {@code F-} (failure) line is allowed; warnings are printed.
 */
class TaplintIT {
    static final String STILTS = "/usr/bin/stilts";
    @TempDir
    static Path data;
    static ExampleServer server;

    @BeforeAll
    static void start() throws Exception {
        server = ExampleServer.start(ExampleOptions.builder().port(0).dataDir(data.resolve("data")).build());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void taplintUwsStageReportsNoErrorsOnTheDemoList() throws Exception {
        assertTaplintClean(server.jobListUrls().get("demo").toString());
    }

    @Test
    void taplintUwsStageReportsNoErrorsOnTheTapAsyncList() throws Exception {
        assertTaplintClean(server.jobListUrls().get("tap").toString());
    }

    private static void assertTaplintClean(String asyncUrl) throws Exception {
        Command.Outcome out = Command.run(List.of(STILTS, "taplint", "tapurl=" + server.tapBaseUri(),
                "asyncurl=" + asyncUrl, "stages=UWS", "interface=tap1.1", "format=text"),
                data, Duration.ofSeconds(120));
        System.out.println("taplint against " + asyncUrl + ":\n" + out.output());
        List<String> lines = Arrays.asList(out.output().split("\\R"));
        List<String> errors = lines.stream().filter(l -> l.startsWith("E-") || l.startsWith("F-")).toList();
        List<String> warnings = lines.stream().filter(l -> l.startsWith("W-")).toList();
        warnings.forEach(w -> System.out.println("taplint warning: " + w));
        assertThat(out.exitCode()).as(out.output()).isZero();
        assertThat(lines).as("taplint created jobs").anyMatch(l -> l.startsWith("I-UWS-CJOB-"));
        assertThat(lines).as("taplint ran a job").anyMatch(l -> l.startsWith("I-UWS-POPA-") && l.contains("PHASE=RUN"));
        assertThat(lines).as(out.output()).anyMatch(l -> l.startsWith("Totals: Errors: 0;"));
        assertThat(errors).as(out.output()).isEmpty();
    }
}
