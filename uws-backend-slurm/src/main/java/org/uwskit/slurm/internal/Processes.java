package org.uwskit.slurm.internal;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command (a list of arguments, never a shell) to its end within a timeout. Its output goes to temporary
 * files (no reader threads, no pipe that can fill up), read once it ended.
 */
public final class Processes {

    /** What a command gave. @param exitCode its exit code @param out its stdout @param err its stderr */
    public record Outcome(int exitCode, String out, String err) {
        /** @return stderr, else stdout, trimmed: the command's own message */
        public String message() {
            String e = err.strip();
            return e.isEmpty() ? out.strip() : e;
        }
    }

    private Processes() {
    }

    /**
     * Runs a command.
     *
     * @param argv    the program and its arguments
     * @param env     variables added to the inherited environment (from which {@code SLURM_JWT} is removed)
     * @param timeout how long to wait before the process is killed
     * @return its outcome
     * @throws IOException if it cannot be started or does not end within the timeout (then it is killed)
     */
    public static Outcome run(List<String> argv, Map<String, String> env, Duration timeout) throws IOException {
        Path out = Files.createTempFile("uws-slurm-", ".out");
        Path err = Files.createTempFile("uws-slurm-", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(argv);
            // the commands authenticate with munge; a SLURM_JWT inherited from the service (meant for slurmrestd)
            // would switch them to JWT, with which some replies (scontrol suspend) cannot be read
            pb.environment().remove("SLURM_JWT");
            pb.environment().putAll(env);
            pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            pb.redirectOutput(out.toFile());
            pb.redirectError(err.toFile());
            Process p = pb.start();
            try {
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    throw new IOException(argv.get(0) + " did not answer within " + timeout.toMillis() + " ms");
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException(argv.get(0) + " was interrupted", e);
            }
            return new Outcome(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
