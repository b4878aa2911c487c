package org.uwskit.slurm.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.uwskit.Parameter;
import org.uwskit.slurm.SlurmJobType;
import org.uwskit.spi.ExecutionEvents;
import org.uwskit.spi.JobTemplate;

/**
 * The working directory of one SLURM job on the shared file system, and the files that make its batch job: the
 * fixed script, the command line and the environment as NUL-separated files ({@code .uws/argv}, {@code .uws/env}),
 * the input files. Nothing a client sent is ever written into the script's text.
 */
public final class WorkDir {
    /** The control directory inside a job's working directory (its name starts with a dot: no output can be it). */
    public static final String CONTROL = ".uws";
    /** The PATH a job gets unless its type sets one. */
    public static final String DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin";

    /**
     * The batch script, the same for every job: reads the environment and the command line from the control files
     * (values NUL-separated, never parsed as shell) and replaces itself by the command, which therefore gets
     * SLURM's signals itself ({@code --signal B:USR2@N}, scancel's SIGTERM) and whose exit code is the job's.
     */
    public static final String SCRIPT = "#!/bin/bash\n"
            + "# written by uwskit: the command line and the environment come from NUL-separated files of the\n"
            + "# working directory, never from this text\n"
            + "set -u\n"
            + "while IFS= read -r -d '' kv; do export \"$kv\"; done < " + CONTROL + "/env\n"
            + "mapfile -d '' -t argv < " + CONTROL + "/argv\n"
            + "exec \"${argv[@]}\"\n";

    private final Path dir;

    /** @param dir the job's working directory */
    public WorkDir(Path dir) {
        this.dir = dir;
    }

    /** @return the working directory */
    public Path path() {
        return dir;
    }

    /** @return the control directory */
    public Path control() {
        return dir.resolve(CONTROL);
    }

    /** @return the stdout file */
    public Path stdout() {
        return control().resolve("stdout");
    }

    /** @return the stderr file */
    public Path stderr() {
        return control().resolve("stderr");
    }

    /** @return the script file */
    public Path script() {
        return control().resolve("job.sh");
    }

    /**
     * Writes everything a job needs before submission.
     *
     * @param type     the job type
     * @param job      the UWS job
     * @param events   to read the job's uploads
     * @throws SetupException if the job cannot run as its type says (a missing parameter, a NUL byte), for the client
     * @throws IOException    if the shared file system fails
     */
    public void prepare(SlurmJobType type, JobTemplate job, ExecutionEvents events) throws SetupException,
            IOException {
        Files.createDirectories(control());
        // the script is written last: a script on disk means a complete preparation. The output of an earlier
        // attempt goes: an output file then proves that SLURM started this one.
        Files.deleteIfExists(script());
        Files.deleteIfExists(stdout());
        Files.deleteIfExists(stderr());
        List<String> argv = new ArrayList<>();
        argv.add(type.command());
        for (SlurmJobType.Argument a : type.arguments()) {
            if (a.source() == SlurmJobType.Source.LITERAL) {
                argv.add(a.value());
            } else {
                List<String> v = job.values(a.value());
                if (v.isEmpty()) {
                    throw new SetupException("parameter " + a.value() + " has no value, but job type "
                            + job.jobType() + " passes it to its command");
                }
                argv.addAll(v);
            }
        }
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", DEFAULT_PATH);
        env.put("UWS_JOB_ID", job.jobId());
        for (SlurmJobType.Variable v : type.environment()) {
            if (v.source() == SlurmJobType.Source.LITERAL) {
                env.put(v.name(), v.value());
            } else {
                List<String> values = job.values(v.value());
                if (!values.isEmpty()) {
                    env.put(v.name(), values.get(0));
                }
            }
        }
        for (SlurmJobType.InputFile f : type.files()) {
            Path target = dir.resolve(f.fileName());
            if (f.source() == SlurmJobType.Source.UPLOAD) {
                String upload = uploadName(job, f.parameter());
                try (InputStream in = events.openUpload(upload)) {
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                } catch (NoSuchFileException e) {
                    throw new SetupException("parameter " + f.parameter() + " refers to the upload " + upload
                            + ", which the job does not have");
                }
            } else {
                List<String> values = job.values(f.parameter());
                if (values.isEmpty()) {
                    throw new SetupException("parameter " + f.parameter() + " has no value, but job type "
                            + job.jobType() + " writes it to " + f.fileName());
                }
                Files.writeString(target, values.get(0), StandardCharsets.UTF_8);
            }
        }
        List<String> envLines = new ArrayList<>();
        env.forEach((k, v) -> envLines.add(k + "=" + v));
        writeNul(control().resolve("env"), envLines);
        writeNul(control().resolve("argv"), argv);
        Files.writeString(script(), SCRIPT, StandardCharsets.UTF_8);
        script().toFile().setExecutable(true);
    }

    private static void writeNul(Path file, List<String> values) throws IOException, SetupException {
        try (OutputStream out = Files.newOutputStream(file)) {
            for (String v : values) {
                if (v.indexOf('\0') >= 0) {
                    throw new SetupException("a value passed to the job contains a NUL character");
                }
                out.write(v.getBytes(StandardCharsets.UTF_8));
                out.write(0);
            }
        }
    }

    private static String uploadName(JobTemplate job, String parameter) throws SetupException {
        for (Parameter p : job.rawParameters()) {
            if (p.isNamed(parameter) && p.value().startsWith("param:")) {
                return p.value().substring("param:".length());
            }
        }
        throw new SetupException("parameter " + parameter + " must refer to an inline upload (param:name)");
    }

    /**
     * The last lines of a text file, for an error message.
     *
     * @param file     the file
     * @param maxChars the most characters kept (from the end)
     * @return the tail, or the empty string if the file is missing
     */
    public static String tail(Path file, int maxChars) {
        try {
            byte[] b = Files.readAllBytes(file);
            String s = new String(b, StandardCharsets.UTF_8);
            return s.length() <= maxChars ? s : "…" + s.substring(s.length() - maxChars);
        } catch (IOException e) {
            return "";
        }
    }

    /** A job that cannot run as configured; the message is for the client. */
    public static final class SetupException extends Exception {
        /** @param message for the client */
        public SetupException(String message) {
            super(message);
        }
    }
}
