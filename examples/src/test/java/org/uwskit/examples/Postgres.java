package org.uwskit.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Finds the PostgreSQL database of the tests, as uws-store-jdbc's tests do: the system property or environment
 * variable {@value #URL_VARIABLE}; without it, unless {@code CI=true} (or {@code UWSKIT_REQUIRE_PG=true}), a private
 * cluster started with {@code scripts/postgres.sh start}. On CI a missing or unreachable database fails the test; it
 * never skips.
 */
final class Postgres {
    static final String URL_VARIABLE = "UWSKIT_PG_URL";
    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(120);
    private static String url;

    private Postgres() {
    }

    /** The JDBC URL (user included), checked reachable; or an AssertionError saying why there is none. */
    static synchronized String url() {
        if (url == null) {
            String u = setting(URL_VARIABLE);
            if (u == null || u.isBlank()) {
                if ("true".equalsIgnoreCase(setting("CI")) || "true".equalsIgnoreCase(setting("UWSKIT_REQUIRE_PG"))) {
                    throw new AssertionError(URL_VARIABLE + " is not set but PostgreSQL is required (CI=true or "
                            + "UWSKIT_REQUIRE_PG=true): run scripts/postgres.sh start and export " + URL_VARIABLE
                            + "=$(scripts/postgres.sh url)");
                }
                u = startScript();
            }
            exec(u);
            url = u;
        }
        return url;
    }

    private static String setting(String name) {
        String v = System.getProperty(name);
        return v != null ? v : System.getenv(name);
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

    private static String startScript() {
        Path script = null;
        for (Path d = Path.of("").toAbsolutePath(); d != null && script == null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("scripts/postgres.sh"))) {
                script = d.resolve("scripts/postgres.sh");
            }
        }
        if (script == null) {
            throw new AssertionError("cannot find scripts/postgres.sh above " + Path.of("").toAbsolutePath());
        }
        try {
            Path log = Files.createTempFile("uwskit-examples-pg-", ".log");
            Process p = new ProcessBuilder(List.of("bash", script.toString(), "start")).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            if (!p.waitFor(SCRIPT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("scripts/postgres.sh start did not finish within " + SCRIPT_TIMEOUT);
            }
            String out = Files.readString(log, StandardCharsets.UTF_8).strip();
            Files.deleteIfExists(log);
            if (p.exitValue() != 0) {
                throw new AssertionError("scripts/postgres.sh start failed (exit " + p.exitValue() + "): " + out);
            }
            String[] lines = out.split("\n");
            return lines[lines.length - 1].strip();
        } catch (IOException e) {
            throw new AssertionError("cannot run scripts/postgres.sh: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while starting PostgreSQL", e);
        }
    }
}
