package org.uwskit.local.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.uwskit.Parameter;
import org.uwskit.local.ProcessTemplate;
import org.uwskit.spi.JobTemplate;

/**
 * Runs a {@link ProcessTemplate} as an OS process in a work directory of its own, waits for it on the pool thread,
 * and kills its whole tree on abort. Internal.
 */
public final class ProcessExecution implements Execution {
    /** Result ids of the captured streams. */
    public static final String STDOUT = "stdout";
    public static final String STDERR = "stderr";
    /** Lines of stderr quoted in the error message of a failed process. */
    public static final int MESSAGE_TAIL_LINES = 3;
    /** Lines of stderr given as the error detail of a failed process. */
    public static final int DETAIL_TAIL_LINES = 100;
    public static final int MESSAGE_MAX_CHARS = 1000;
    /** How often the waiting thread checks for an abort the engine flagged without calling abort(). */
    static final Duration CANCEL_POLL = Duration.ofMillis(500);

    private static final Logger LOG = LoggerFactory.getLogger(ProcessExecution.class);
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}");
    // names that cannot collide with safe upload or output names, which never start with a dot
    private static final String STDOUT_FILE = ".uws-stdout";
    private static final String STDERR_FILE = ".uws-stderr";

    private final ProcessTemplate template;

    public ProcessExecution(ProcessTemplate template) {
        this.template = template;
    }

    @Override
    public Outcome run(LocalJob job) {
        Path dir = job.settings().workRoot().resolve(job.ref());
        try {
            return runIn(job, dir);
        } finally {
            if (!job.settings().keepWorkDirs()) {
                try {
                    WorkDirs.deleteTree(dir);
                } catch (IOException e) {
                    LOG.warn("job {}: cannot delete its work directory {}", job.template().jobId(), dir, e);
                }
            }
        }
    }

    private Outcome runIn(LocalJob job, Path dir) {
        String jobId = job.template().jobId();
        List<String> command;
        Map<String, Path> uploads;
        try {
            Files.createDirectories(dir);
            uploads = copyUploads(job, dir);
            command = command(job.template(), uploads);
        } catch (SetupException e) {
            return Outcome.failed(e.getMessage(), null);
        } catch (IOException e) {
            return Outcome.failed("cannot prepare the work directory of the job: " + Texts.message(e), null);
        }
        if (job.isCancelled()) {
            return Outcome.aborted(job.cancelReason());
        }
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectOutput(dir.resolve(STDOUT_FILE).toFile())
                .redirectError(dir.resolve(STDERR_FILE).toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Map<String, String> env = pb.environment();
        if (!template.inheritEnvironment()) {
            env.clear();
        }
        for (ProcessTemplate.EnvironmentVariable v : template.environment()) {
            if (v.source() == ProcessTemplate.Source.LITERAL) {
                env.put(v.name(), v.value());
            } else if (v.source() == ProcessTemplate.Source.UPLOAD) {
                Path upload = uploads.get(v.value().toUpperCase(Locale.ROOT));
                if (upload != null) {
                    env.put(v.name(), upload.toString());
                }
            } else {
                List<String> values = job.template().values(v.value());
                if (!values.isEmpty()) {
                    env.put(v.name(), values.get(0));
                }
            }
        }
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            return Outcome.failed("cannot start " + template.executable() + ": " + Texts.message(e), null);
        }
        LOG.debug("job {}: started pid {}: {}", jobId, process.pid(), command);
        try {
            job.events().info("pid", Long.toString(process.pid()));
        } catch (RuntimeException e) {
            LOG.warn("job {}: cannot record pid {} in jobInfo", jobId, process.pid(), e);
        }

        boolean killed = false;
        int exit = -1;
        try {
            while (!process.waitFor(CANCEL_POLL.toMillis(), TimeUnit.MILLISECONDS)) {
                if (job.isCancelled()) {
                    throw new InterruptedException("cancelled");
                }
            }
            exit = process.exitValue();
        } catch (InterruptedException e) {
            killed = true;
            if (!ProcessTree.kill(process.toHandle(), job.settings().killGrace())) {
                LOG.warn("job {}: some processes of pid {} survived SIGKILL", jobId, process.pid());
            }
            Thread.interrupted();
        }
        String publishProblem = publish(job, dir);
        if (killed || job.isCancelled()) {
            return Outcome.aborted(job.cancelReason());
        }
        if (exit != 0) {
            return failure(exit, dir.resolve(STDERR_FILE));
        }
        if (publishProblem != null) {
            return Outcome.failed(publishProblem, null);
        }
        return Outcome.completed();
    }

    private static Outcome failure(int exit, Path stderr) {
        List<String> tail = Texts.tailLines(stderr, DETAIL_TAIL_LINES);
        StringBuilder message = new StringBuilder("exit code ").append(exit);
        if (!tail.isEmpty()) {
            List<String> last = tail.subList(Math.max(0, tail.size() - MESSAGE_TAIL_LINES), tail.size());
            message.append(": ").append(String.join(" | ", last.stream().map(String::strip).toList()));
        }
        String detail = tail.isEmpty() ? null : String.join("\n", tail) + "\n";
        return Outcome.failed(Texts.truncate(message.toString(), MESSAGE_MAX_CHARS), detail);
    }

    /** Lists stdout, stderr and the declared outputs that exist; returns a problem to report, or null. */
    private String publish(LocalJob job, Path dir) {
        String problem = null;
        List<String[]> files = new ArrayList<>();
        files.add(new String[] {STDOUT, STDOUT_FILE, "text/plain"});
        files.add(new String[] {STDERR, STDERR_FILE, "text/plain"});
        for (ProcessTemplate.Output o : template.outputs()) {
            files.add(new String[] {o.fileName(), o.fileName(), o.mimeType()});
        }
        for (String[] f : files) {
            Path file = dir.resolve(f[1]);
            // a symbolic link could point anywhere on the host: only real files become results
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            try (OutputStream out = job.events().openResult(f[0], f[2])) {
                Files.copy(file, out);
            } catch (IOException | RuntimeException e) {
                LOG.warn("job {}: cannot store result {}", job.template().jobId(), f[0], e);
                if (problem == null) {
                    problem = "cannot store the result " + f[0] + ": " + Texts.message(e);
                }
            }
        }
        return problem;
    }

    /** Copies every inline upload of the job into the work directory; returns the copies by parameter name. */
    private static Map<String, Path> copyUploads(LocalJob job, Path dir) throws IOException, SetupException {
        Map<String, Path> byParameter = new HashMap<>();
        for (Parameter p : job.template().rawParameters()) {
            if (!p.value().startsWith("param:")) {
                continue;
            }
            String name = p.value().substring("param:".length());
            if (!SAFE_NAME.matcher(name).matches()) {
                throw new SetupException("parameter " + p.name() + " refers to the upload '" + name
                        + "', which is not a safe file name");
            }
            Path target = dir.resolve(name);
            if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                try (InputStream in = job.events().openUpload(name)) {
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                } catch (NoSuchFileException e) {
                    throw new SetupException("parameter " + p.name() + " refers to the upload " + name
                            + ", which the job does not have");
                }
            }
            // relative to the work directory (the process's cwd): outputs such as wc's do not reveal server paths,
            // and the "./" keeps an upload named like an option ("-n") from being read as one
            byParameter.putIfAbsent(p.name().toUpperCase(Locale.ROOT), Path.of(".", name));
        }
        return byParameter;
    }

    private List<String> command(JobTemplate job, Map<String, Path> uploads) throws SetupException {
        List<String> command = new ArrayList<>();
        command.add(template.executable());
        for (ProcessTemplate.Argument a : template.arguments()) {
            switch (a.source()) {
                case LITERAL -> command.add(a.value());
                case PARAMETER -> {
                    List<String> values = job.values(a.value());
                    if (values.isEmpty()) {
                        throw new SetupException("parameter " + a.value() + " has no value, but job type "
                                + job.jobType() + " passes it to its command");
                    }
                    command.addAll(values);
                }
                case UPLOAD -> {
                    Path p = uploads.get(a.value().toUpperCase(Locale.ROOT));
                    if (p == null) {
                        List<String> values = job.values(a.value());
                        throw new SetupException(values.isEmpty()
                                ? "parameter " + a.value() + " is missing: job type " + job.jobType()
                                        + " needs an uploaded file there"
                                : "parameter " + a.value() + " must refer to an inline upload (param:name), not '"
                                        + Texts.truncate(values.get(0), 200) + "'");
                    }
                    command.add(p.toString());
                }
                default -> throw new IllegalStateException("unknown argument source " + a.source());
            }
        }
        return command;
    }

    /** A job that cannot be started as configured; the message is for the client. */
    private static final class SetupException extends Exception {
        SetupException(String message) {
            super(message);
        }
    }
}
