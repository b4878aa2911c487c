package org.uwskit.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs an external program (a real client) with a deadline and captures its merged output. */
final class Command {
    private Command() {
    }

    /**
     * The outcome of a run.
     *
     * @param exitCode the exit code
     * @param output   stdout and stderr, merged
     */
    record Outcome(int exitCode, String output) {
    }

    /**
     * Runs {@code cmd}, writing its output to a file in {@code workDir} (no pipe to fill up), and waits at most
     * {@code timeout}.
     *
     * @throws AssertionError if the program is missing or does not end in time (it is then killed)
     */
    static Outcome run(List<String> cmd, Path workDir, Duration timeout) throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of(cmd.get(0)))) {
            throw new AssertionError(cmd.get(0) + " is not installed (see the README: the Debian packages "
                    + "python3-pyvo and stilts are needed for the real-client tests)");
        }
        Path log = Files.createTempFile(workDir, "command-", ".log");
        Process p = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError(String.join(" ", cmd) + " did not end within " + timeout + "; output:\n"
                    + Files.readString(log, StandardCharsets.UTF_8));
        }
        return new Outcome(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }
}
