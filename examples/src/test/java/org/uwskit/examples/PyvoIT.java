package org.uwskit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * pyvo (Debian python3-pyvo, run with /usr/bin/python3) drives the demo job list at /tap/async through
 * {@code AsyncTAPJob}: create, set execution duration and destruction, run, wait, fetch the result, delete; a failing
 * job; an abort; the job list. The script is src/test/python/pyvo_drive.py.
 */
class PyvoIT {
    static final String PYTHON = "/usr/bin/python3";
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
    void pyvoDrivesTheDemoJobs() throws Exception {
        Path script = Path.of(System.getProperty("uwskit.examples.python", "src/test/python"), "pyvo_drive.py");
        Command.Outcome out = Command.run(List.of(PYTHON, script.toAbsolutePath().toString(),
                server.tapBaseUri().toString()), data, Duration.ofSeconds(120));
        System.out.println(out.output());
        assertThat(out.exitCode()).as(out.output()).isZero();
        assertThat(out.output()).contains("OK completed job", "OK failing job", "OK aborted job", "OK job list",
                "ALL OK");
        assertThat(out.output()).contains("error message: the demo job failed because FAIL=true");
    }
}
