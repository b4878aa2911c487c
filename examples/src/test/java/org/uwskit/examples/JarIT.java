package org.uwskit.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.uwskit.examples.Http.form;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shaded jar as a child process: printed URLs, --help, bad options, SIGTERM. */
class JarIT {
    @TempDir
    Path data;

    @Test
    void jarServesThePrintedJobListsAndStopsOnSigterm() throws Exception {
        try (ServerProcess p = ServerProcess.start(data)) {
            assertThat(p.jobLists()).containsKeys("demo", "wordcount", "tap");
            assertThat(p.baseUri().getPort()).isPositive();
            Http http = new Http();
            for (URI list : p.jobLists().values()) {
                assertThat(http.get(list).statusCode()).as(list.toString()).isEqualTo(200);
            }
            URI job = http.createJob(p.jobLists().get("demo"), form("SECONDS", "30", "PHASE", "RUN"));
            http.awaitPhase(job, "EXECUTING"::equals, Duration.ofSeconds(20));
            long start = System.nanoTime();
            int code = p.stop();
            // SIGTERM: the JVM runs the shutdown hook and exits with 128 + 15
            assertThat(code).as(p.output()).isEqualTo(143);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
            assertThat(p.output()).contains("stopped");
        }
    }

    @Test
    void helpPrintsTheOptions() throws Exception {
        ServerProcess p = ServerProcess.launch(List.of("--help"));
        assertThat(p.awaitExit(Duration.ofSeconds(20))).isZero();
        assertThat(p.output()).contains("--port").contains("--host").contains("--data").contains("--users")
                .contains("--store").contains("--db-user").contains("--db-password").contains("--db-schema")
                .contains("UWSKIT_DB_USER").contains("--lease-seconds").contains("/provenance");
    }

    @Test
    void aBadStoreExitsWithCode2() throws Exception {
        ServerProcess p = ServerProcess.launch(List.of("--port", "0", "--data", data.toString(), "--store", "oracle"));
        assertThat(p.awaitExit(Duration.ofSeconds(20))).isEqualTo(2);
        assertThat(p.output()).contains("--store: 'oracle' is not h2, memory or a JDBC URL");
    }

    @Test
    void aSecondServerOnTheSameDataDirectoryCannotStart() throws Exception {
        try (ServerProcess first = ServerProcess.start(data)) {
            // whatever its store: the data directory holds the engine node id
            ServerProcess second = ServerProcess.launch(List.of("--port", "0", "--data", data.toString(),
                    "--store", "memory"));
            assertThat(second.awaitExit(Duration.ofSeconds(30))).as(second.output()).isEqualTo(1);
            assertThat(second.output()).contains("cannot start").contains("is in use by another server");
            assertThat(new Http().get(first.jobLists().get("demo")).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void badOptionsExitWithCode2AndAMessage() throws Exception {
        ServerProcess p = ServerProcess.launch(List.of("--port", "eighty"));
        assertThat(p.awaitExit(Duration.ofSeconds(20))).isEqualTo(2);
        assertThat(p.output()).contains("'eighty' is not a number");
    }

    @Test
    void aBadUsersFileExitsWithCode2() throws Exception {
        ServerProcess p = ServerProcess.launch(List.of("--port", "0", "--data", data.toString(),
                "--users", data.resolve("missing.txt").toString()));
        assertThat(p.awaitExit(Duration.ofSeconds(20))).isEqualTo(2);
        assertThat(p.output()).contains("cannot read");
    }

}
