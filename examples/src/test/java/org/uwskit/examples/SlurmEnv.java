package org.uwskit.examples;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;

/**
 * The SLURM cluster the example's SLURM tests run against, from the environment {@code scripts/slurm.sh env} prints.
 * Missing variables fail the test when SLURM is required ({@code CI=true} or {@code UWSKIT_REQUIRE_SLURM=true}) and
 * skip it otherwise, so that CI never hides a missing cluster.
 */
final class SlurmEnv {
    private SlurmEnv() {
    }

    /** Requires {@code SLURM_CONF} (the commands on the PATH read it); {@code what} names the test for the message. */
    static void requireConf(String what) {
        require(System.getenv("SLURM_CONF"), "SLURM_CONF", what);
    }

    /** Requires {@code SLURM_CONF} and returns the completion log {@code UWSKIT_SLURM_JOBCOMP} names. */
    static Path jobComp(String what) {
        requireConf(what);
        return Path.of(require(System.getenv("UWSKIT_SLURM_JOBCOMP"), "UWSKIT_SLURM_JOBCOMP", what));
    }

    private static String require(String value, String name, String what) {
        if (value != null && !value.isBlank()) {
            return value;
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))
                || "true".equalsIgnoreCase(System.getenv("UWSKIT_REQUIRE_SLURM"))) {
            throw new AssertionError(name + " is not set but SLURM is required (CI=true or UWSKIT_REQUIRE_SLURM=true):"
                    + " run scripts/slurm.sh start; source <(scripts/slurm.sh env)");
        }
        assumeTrue(false, name + " is not set: source <(scripts/slurm.sh env) to run " + what);
        throw new AssertionError("unreachable");
    }
}
