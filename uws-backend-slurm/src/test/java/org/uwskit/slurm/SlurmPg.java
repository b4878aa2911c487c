package org.uwskit.slurm;

import java.time.Duration;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.uwskit.slurm.internal.Processes;

/**
 * Finds the PostgreSQL database of the SLURM cluster test, as the store's and the examples' tests do: the system
 * property or environment variable {@value #URL_VARIABLE} (what {@code .ci/run} exports); without it, unless
 * {@code CI=true} or {@code UWSKIT_REQUIRE_PG=true}, a private cluster started with {@code scripts/postgres.sh start}.
 * When PostgreSQL is required, a missing or unreachable database FAILS the test: it never skips.
 */
final class SlurmPg {
    static final String URL_VARIABLE = "UWSKIT_PG_URL";
    private static String url;

    private SlurmPg() {
    }

    /** The JDBC URL (user included), checked reachable; or an AssertionError saying why there is none. */
    static synchronized String url() {
        if (url == null) {
            String u = SlurmSupport.setting(URL_VARIABLE);
            if (u == null || u.isBlank()) {
                if ("true".equalsIgnoreCase(SlurmSupport.setting("CI"))
                        || "true".equalsIgnoreCase(SlurmSupport.setting("UWSKIT_REQUIRE_PG"))) {
                    throw new AssertionError(URL_VARIABLE + " is not set but PostgreSQL is required (CI=true or "
                            + "UWSKIT_REQUIRE_PG=true): run scripts/postgres.sh start and export " + URL_VARIABLE
                            + "=$(scripts/postgres.sh url)");
                }
                u = start();
            }
            exec(u);
            url = u;
        }
        return url;
    }

    /** Runs statements on a plain autocommit connection (none: only checks that the database answers). */
    static void exec(String jdbcUrl, String... statements) {
        DriverManager.setLoginTimeout(5);
        try (Connection c = DriverManager.getConnection(jdbcUrl); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            throw new AssertionError("PostgreSQL at " + jdbcUrl + ": " + e.getMessage(), e);
        }
    }

    private static String start() {
        try {
            String script = SlurmSupport.scriptPath().resolveSibling("postgres.sh").toString();
            Processes.Outcome o = Processes.run(List.of("bash", script, "start"), Map.of(), Duration.ofMinutes(2));
            if (o.exitCode() != 0) {
                throw new AssertionError("scripts/postgres.sh start failed: " + o.message());
            }
            String[] lines = o.out().strip().split("\n");
            return lines[lines.length - 1].strip();
        } catch (java.io.IOException e) {
            throw new AssertionError("cannot run scripts/postgres.sh: " + e.getMessage(), e);
        }
    }
}
