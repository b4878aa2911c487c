package org.uwskit.slurm.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.uwskit.Parameter;
import org.uwskit.slurm.SlurmJobType;
import org.uwskit.spi.CallbackReceiver;
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

    /** The control file holding the job's callback token, as a curl config file (owner-only permissions). */
    public static final String CALLBACK = "callback";
    /** The control file holding the URL the job's callbacks go to, before the event's name. */
    public static final String CALLBACK_URL = "callback-url";

    /**
     * The batch script, the same for every job: reads the environment and the command line from the control files
     * (values NUL-separated, never parsed as shell) and runs the command as its child. It forwards SIGTERM, SIGHUP,
     * SIGINT, SIGQUIT, SIGUSR1 and SIGUSR2 (scancel, {@code --signal B:USR2@N}) to the command, and exits as the
     * command did: with its exit code, or, for a command killed by signal N, by raising N on itself, so that SLURM
     * sees the same status as if the command were the job (one ambiguity: bash reports a command that exited with
     * 128+N like one killed by N). When the job has callback files ({@value #CALLBACK}, {@value #CALLBACK_URL}) and
     * the node has curl, it posts {@code started} when the command starts and {@code ended} (body
     * {@code status=<bash status>}) when it ends, with short timeouts and two retries, each answer's HTTP status (and
     * curl's complaints) into {@code .uws/callback.log}; without them it skips the callback (the service's poll stays
     * the authority).
     */
    public static final String SCRIPT = "#!/bin/bash\n"
            + "# written by uwskit: the command line and the environment come from NUL-separated files of the\n"
            + "# working directory, never from this text\n"
            + "set -u\n"
            + "while IFS= read -r -d '' kv; do export \"$kv\"; done < " + CONTROL + "/env\n"
            + "mapfile -d '' -t argv < " + CONTROL + "/argv\n"
            + "notify() { # a hint to the service, whose poll stays the authority\n"
            + "  [ -r " + CONTROL + "/" + CALLBACK + " ] && [ -r " + CONTROL + "/" + CALLBACK_URL + " ] \\\n"
            + "    && command -v curl > /dev/null 2>&1 || return 0\n"
            + "  curl -sS -o /dev/null -w \"$1 %{http_code}\\n\" --connect-timeout 2 --max-time 4 --retry 2 \\\n"
            + "    --retry-delay 1 --retry-max-time 8 \\\n"
            + "    -K " + CONTROL + "/" + CALLBACK + " --data-binary \"$2\" --url \"$(< " + CONTROL + "/" + CALLBACK_URL
            + ")$1\" \\\n"
            + "    >> " + CONTROL + "/callback.log 2>&1 || true\n"
            + "}\n"
            + "child=\n"
            + "for s in TERM HUP INT QUIT USR1 USR2; do\n"
            + "  trap \"trapped=1; [ -n \\\"\\$child\\\" ] && kill -s $s \\\"\\$child\\\" 2> /dev/null\" $s\n"
            + "done\n"
            + "\"${argv[@]}\" &\n"
            + "child=$!\n"
            + "notify started '' &\n"
            + "while :; do\n"
            + "  trapped=0\n"
            + "  wait \"$child\"; status=$?\n"
            + "  [ \"$trapped\" = 1 ] || break           # the command ended\n"
            + "  kill -0 \"$child\" 2> /dev/null && continue # a forwarded signal interrupted the wait\n"
            + "  wait \"$child\" 2> /dev/null; again=$?\n"
            + "  case $again in 127|-*|'') ;; *) status=$again ;; esac # -1, 127: the first wait had it\n"
            + "  break\n"
            + "done\n"
            + "notify ended \"status=$status\"\n"
            + "if [ \"$status\" -gt 128 ] && [ \"$status\" -lt 160 ]; then # killed by a signal: die of it too\n"
            + "  sig=$((status - 128))\n"
            + "  trap - \"$sig\" 2> /dev/null\n"
            + "  ulimit -c 0\n"
            + "  kill -n \"$sig\" $$\n"
            + "fi\n"
            + "exit \"$status\"\n";

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
        prepare(type, job, events, null, null);
    }

    /**
     * Writes everything a job needs before submission, with its callback files when callbacks are on: the URL (no
     * secret in it) and the token as a curl config file readable by the owner alone, never in the job's command
     * line or environment (which {@code squeue}, {@code sacct} and {@code ps} show).
     *
     * @param type        the job type
     * @param job         the UWS job
     * @param events      to read the job's uploads
     * @param callbackUrl where the job's callbacks go, up to the event's name, or null for none
     * @param token       the job's callback token (with {@code callbackUrl})
     * @throws SetupException if the job cannot run as its type says (a missing parameter, a NUL byte), for the client
     * @throws IOException    if the shared file system fails
     */
    public void prepare(SlurmJobType type, JobTemplate job, ExecutionEvents events, String callbackUrl,
                        String token) throws SetupException, IOException {
        Files.createDirectories(control());
        Files.deleteIfExists(control().resolve(CALLBACK));
        Files.deleteIfExists(control().resolve(CALLBACK_URL));
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
        if (callbackUrl != null) {
            writeOwnerOnly(control().resolve(CALLBACK), "header = \"" + CallbackReceiver.TOKEN_HEADER + ": " + token
                    + "\"\n");
            Files.writeString(control().resolve(CALLBACK_URL), callbackUrl, StandardCharsets.UTF_8);
        }
        Files.writeString(script(), SCRIPT, StandardCharsets.UTF_8);
        script().toFile().setExecutable(true);
    }

    /** Writes a file created with owner-only permissions (where the file system has POSIX permissions). */
    private static void writeOwnerOnly(Path file, String text) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        }
        Files.writeString(file, text, StandardCharsets.US_ASCII);
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
