package org.uwskit.slurm;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.uwskit.slurm.drmaa.JobSession;
import org.uwskit.slurm.internal.Processes;

/**
 * How the SLURM tests find their cluster: the variables {@code scripts/slurm.sh env} prints ({@code SLURM_CONF},
 * {@code UWSKIT_SLURM_REST_URL}, {@code SLURM_JWT}, {@code UWSKIT_SLURM_JOBCOMP}, ...). Without them the tests run
 * {@code scripts/slurm.sh start} themselves (root and Debian's packages needed). When that is impossible they are
 * skipped on a developer's machine, and FAIL when {@code CI=true} or {@code UWSKIT_REQUIRE_SLURM=true}.
 */
final class SlurmSupport {
    private static Map<String, String> cached;

    private SlurmSupport() {
    }

    /** The cluster's settings, or a skipped/failed test saying why there are none. */
    static synchronized Map<String, String> env() {
        if (cached == null) {
            Map<String, String> env = new HashMap<>();
            for (String k : List.of("SLURM_CONF", "UWSKIT_SLURM_REST_URL", "SLURM_JWT", "UWSKIT_SLURM_JOBCOMP",
                    "UWSKIT_SLURM_USER", "UWSKIT_SLURM_DIR")) {
                String v = setting(k);
                if (v != null && !v.isBlank()) {
                    env.put(k, v);
                }
            }
            String problem = null;
            if (!env.containsKey("SLURM_CONF") || !env.containsKey("SLURM_JWT")) {
                try {
                    env = startCluster();
                } catch (IOException | RuntimeException e) {
                    problem = "no SLURM: the SLURM_* variables are not set and scripts/slurm.sh start failed: " + e;
                }
            }
            if (problem == null) {
                try {
                    Processes.Outcome o = Processes.run(List.of("scontrol", "ping"),
                            Map.of("SLURM_CONF", env.get("SLURM_CONF")), Duration.ofSeconds(10));
                    if (!o.out().contains("UP")) {
                        problem = "slurmctld does not answer: " + o.message();
                    }
                } catch (IOException e) {
                    problem = "scontrol ping failed: " + e;
                }
            }
            if (problem != null) {
                if ("true".equalsIgnoreCase(setting("CI")) || "true".equalsIgnoreCase(setting("UWSKIT_REQUIRE_SLURM"))) {
                    throw new AssertionError(problem + " (SLURM is required: CI=true or UWSKIT_REQUIRE_SLURM=true; run "
                            + "scripts/slurm.sh start and source <(scripts/slurm.sh env))");
                }
                assumeTrue(false, problem);
            }
            cached = Map.copyOf(env);
        }
        return cached;
    }

    static String setting(String name) {
        String v = System.getProperty(name);
        return v != null ? v : System.getenv(name);
    }

    static Path scriptPath() throws IOException {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("scripts/slurm.sh"))) {
                return d.resolve("scripts/slurm.sh");
            }
        }
        throw new IOException("cannot find scripts/slurm.sh");
    }

    /** Runs {@code scripts/slurm.sh <command>} with the cluster's directory. */
    static Processes.Outcome script(String command) {
        try {
            Map<String, String> e = new HashMap<>();
            e.put("SLURM_CONF", env().get("SLURM_CONF"));
            if (env().containsKey("UWSKIT_SLURM_DIR")) {
                e.put("UWSKIT_SLURM_DIR", env().get("UWSKIT_SLURM_DIR"));
            }
            return Processes.run(List.of("bash", scriptPath().toString(), command), e, Duration.ofMinutes(2));
        } catch (IOException ex) {
            throw new AssertionError("scripts/slurm.sh " + command + " failed: " + ex, ex);
        }
    }

    private static Map<String, String> startCluster() throws IOException {
        Path script = scriptPath();
        Processes.Outcome start = Processes.run(List.of("bash", script.toString(), "start"), Map.of(),
                Duration.ofMinutes(5));
        if (start.exitCode() != 0) {
            throw new IOException("scripts/slurm.sh start: " + start.message());
        }
        Processes.Outcome env = Processes.run(List.of("bash", script.toString(), "env"), Map.of(),
                Duration.ofSeconds(30));
        Map<String, String> out = new HashMap<>();
        for (String line : env.out().split("\n")) {
            String l = line.startsWith("export ") ? line.substring(7) : line;
            int eq = l.indexOf('=');
            if (eq > 0) {
                out.put(l.substring(0, eq), l.substring(eq + 1));
            }
        }
        return out;
    }

    /** Runs a SLURM command as the administrator (root) of the test cluster. */
    static Processes.Outcome admin(String... argv) {
        try {
            return Processes.run(List.of(argv), Map.of("SLURM_CONF", env().get("SLURM_CONF")), Duration.ofSeconds(30));
        } catch (IOException e) {
            throw new AssertionError(String.join(" ", argv) + " failed: " + e, e);
        }
    }

    /** A session through the named transport: {@code commands} or {@code rest}. */
    static JobSession session(String transport) {
        Map<String, String> env = env();
        if (transport.equals("commands")) {
            return CommandSession.of(null, Map.of("SLURM_CONF", env.get("SLURM_CONF")), Duration.ofSeconds(30));
        }
        String token = env.get("SLURM_JWT");
        return RestSession.of(URI.create(env.getOrDefault("UWSKIT_SLURM_REST_URL", "http://127.0.0.1:6820")),
                env.getOrDefault("UWSKIT_SLURM_USER", "root"), () -> token, RestSession.DEFAULT_VERSION,
                Duration.ofSeconds(30));
    }

    /** The completion log, or null. */
    static Path jobComp() {
        String p = env().get("UWSKIT_SLURM_JOBCOMP");
        return p == null ? null : Path.of(p);
    }

    /** The CPUs of the test cluster's node. */
    static int nodeCpus() {
        Processes.Outcome o = admin("sinfo", "-h", "-o", "%c");
        return Integer.parseInt(o.out().strip().split("\\s+")[0].replace("+", ""));
    }

    private static final Pattern NAME = Pattern.compile("\\sName=(uws-\\S+)\\s");

    /** How many SLURM jobs of each marker ended, by the job completion log: the proof that none ran twice. */
    static Map<String, Integer> endedInSlurm() {
        Map<String, Integer> n = new java.util.HashMap<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(jobComp(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String line : lines) {
            Matcher m = NAME.matcher(line);
            if (m.find()) {
                n.merge(m.group(1), 1, Integer::sum);
            }
        }
        return n;
    }
}
