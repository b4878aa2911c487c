package org.uwskit.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import org.uwskit.slurm.CommandSession;
import org.uwskit.slurm.RestSession;
import org.uwskit.slurm.SlurmBackend;
import org.uwskit.slurm.SlurmJobType;
import org.uwskit.slurm.drmaa.JobSession;

/**
 * The example's job types on SLURM ({@code --backend slurm}): {@code demo} (and the TAP list, same type) as a shell
 * script that sleeps SECONDS, fails if FAIL, else writes MESSAGE to the result {@value DemoJobs#RESULT_ID};
 * {@code wordcount} as {@code wc} on the uploaded FILE (result {@code stdout}). Parameter values reach the script as
 * environment variables, never as shell text. The jobs' working directories are under {@code DATA/slurm-work},
 * which must be on a file system the nodes share. With a callback URL the batch jobs post their start and end to
 * the {@code /uws} servlet (the backend is its callback receiver); the HMAC secret of their tokens is kept in
 * {@code DATA/}{@value #CALLBACK_SECRET_FILE}, so that a restarted server accepts its running jobs' callbacks.
 */
public final class SlurmJobs {
    /** The demo job, written as a script the batch job runs on the node. */
    static final String DEMO_SCRIPT = "sleep \"$SECONDS\"; case \"$FAIL\" in [Tt][Rr][Uu][Ee]|1|[Yy][Ee][Ss])"
            + " echo 'failed on request (FAIL=true)' >&2; exit 1;; esac; printf '%s\\n' \"$MESSAGE\" > "
            + DemoJobs.RESULT_ID;

    /** The poll interval without callbacks. */
    static final Duration POLL = Duration.ofMillis(500);
    /** The poll interval with callbacks: they show start and end at once, the poll only catches lost ones. */
    static final Duration POLL_WITH_CALLBACKS = Duration.ofSeconds(5);

    private SlurmJobs() {
    }

    /**
     * The SLURM backend of the example server.
     *
     * @param options the server's options ({@code --slurm-rest}, {@code --slurm-token-file})
     * @param dataDir the data directory
     * @param env     the environment ({@code SLURM_JWT}, {@code UWSKIT_SLURM_USER}, {@code UWSKIT_SLURM_JOBCOMP})
     * @param callbackUrl the {@code /uws} servlet's URL for the batch jobs' callbacks, or null for none
     * @return the backend, polling
     * @throws IOException if the work directory or the callback secret cannot be made
     */
    public static SlurmBackend backend(ExampleOptions options, Path dataDir, Map<String, String> env,
                                       URI callbackUrl) throws IOException {
        JobSession session;
        if (options.slurmRest() == null) {
            session = CommandSession.onPath();
        } else {
            Path tokenFile = options.slurmTokenFile();
            String envToken = env.get("SLURM_JWT");
            if (tokenFile == null && (envToken == null || envToken.isBlank())) {
                throw new IllegalArgumentException("--slurm-rest needs a token: --slurm-token-file or env SLURM_JWT");
            }
            Supplier<String> token = tokenFile == null ? () -> envToken : () -> read(tokenFile);
            String user = env.getOrDefault("UWSKIT_SLURM_USER", System.getProperty("user.name"));
            session = RestSession.of(options.slurmRest(), user, token, RestSession.DEFAULT_VERSION,
                    RestSession.DEFAULT_TIMEOUT);
        }
        Path work = Files.createDirectories(dataDir.resolve("slurm-work"));
        SlurmBackend.Builder b = SlurmBackend.builder().session(session).workRoot(work)
                .pollInterval(callbackUrl == null ? POLL : POLL_WITH_CALLBACKS)
                .jobType(DemoJobs.DEMO, SlurmJobType.builder("/bin/sh").args("-c", DEMO_SCRIPT)
                        .envFromParameter("SECONDS", "SECONDS").envFromParameter("FAIL", "FAIL")
                        .envFromParameter("MESSAGE", "MESSAGE").output(DemoJobs.RESULT_ID, "text/plain").build())
                .jobType(DemoJobs.WORDCOUNT, SlurmJobType.builder(DemoJobs.WC).args("input")
                        .fileFromUpload("input", "FILE").build());
        if (callbackUrl != null) {
            b.callbackUrl(callbackUrl).callbackSecret(callbackSecret(dataDir));
        }
        String jobComp = env.get("UWSKIT_SLURM_JOBCOMP");
        if (jobComp != null && !jobComp.isBlank()) {
            b.jobCompLog(Path.of(jobComp));
        }
        return b.build();
    }

    /** The file, in the data directory, of the callback secret (a restarted server accepts its old jobs' callbacks). */
    static final String CALLBACK_SECRET_FILE = "slurm-callback.secret";

    /** The callback secret kept in the data directory: 32 random bytes made once, readable by the owner alone. */
    static byte[] callbackSecret(Path dataDir) throws IOException {
        Path f = dataDir.resolve(CALLBACK_SECRET_FILE);
        if (!Files.exists(f)) {
            byte[] b = new byte[32];
            new SecureRandom().nextBytes(b);
            Path tmp = Files.createTempFile(dataDir, CALLBACK_SECRET_FILE, ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(tmp, b);
            try {
                Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                Files.deleteIfExists(tmp);
                throw e;
            }
        }
        return Files.readAllBytes(f);
    }

    private static String read(Path tokenFile) {
        try {
            String t = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
            return t.startsWith("SLURM_JWT=") ? t.substring("SLURM_JWT=".length()) : t;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the slurmrestd token file " + tokenFile, e);
        }
    }
}
