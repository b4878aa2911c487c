package org.uwskit.jdbc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * How the PostgreSQL tests find their database.
 *
 * <p>Order: the system property or environment variable {@code UWSKIT_PG_URL}; otherwise, unless {@code CI=true} or
 * {@code UWSKIT_REQUIRE_PG=true}, the tests start a private cluster themselves with {@code scripts/postgres.sh start}
 * (Debian's postgresql package must be installed). On CI a missing or unreachable URL FAILS the tests: they never
 * skip.
 */
final class PgSupport {
    static final String URL_VARIABLE = "UWSKIT_PG_URL";
    /** The non-UTC session zone the contract runs in (UTC+12:45/+13:45: catches any local-time conversion). */
    static final String SESSION_ZONE = "Pacific/Chatham";

    private static String cachedUrl;

    private PgSupport() {
    }

    /** The JDBC URL of the shared test database (user included), reachable, or an AssertionError saying why not. */
    static synchronized String url() {
        if (cachedUrl == null) {
            String url = setting(URL_VARIABLE);
            if (url == null || url.isBlank()) {
                if ("true".equalsIgnoreCase(setting("CI")) || "true".equalsIgnoreCase(setting("UWSKIT_REQUIRE_PG"))) {
                    throw new AssertionError(URL_VARIABLE + " is not set but PostgreSQL is required (CI=true or "
                            + "UWSKIT_REQUIRE_PG=true): run scripts/postgres.sh start and export " + URL_VARIABLE
                            + "=$(scripts/postgres.sh url)");
                }
                url = script(Map.of(), "start");
            }
            checkReachable(url);
            cachedUrl = url;
        }
        return cachedUrl;
    }

    static String setting(String name) {
        String v = System.getProperty(name);
        return v != null ? v : System.getenv(name);
    }

    static void checkReachable(String url) {
        DriverManager.setLoginTimeout(5);
        try (Connection c = DriverManager.getConnection(url)) {
            c.isValid(5);
        } catch (SQLException e) {
            throw new AssertionError("PostgreSQL at " + url + " is unreachable: " + e.getMessage(), e);
        }
    }

    /** Runs SQL statements on a plain connection (autocommit). */
    static void exec(String url, String... statements) {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            throw new AssertionError("SQL failed on " + url + ": " + e.getMessage(), e);
        }
    }

    /** The repository's scripts directory. */
    static Path scriptsDir() {
        String p = System.getProperty("uwskit.scripts");
        if (p != null && Files.isDirectory(Path.of(p))) {
            return Path.of(p);
        }
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("scripts/postgres.sh"))) {
                return d.resolve("scripts");
            }
        }
        throw new AssertionError("cannot find scripts/postgres.sh above " + Path.of("").toAbsolutePath());
    }

    /**
     * Runs {@code scripts/postgres.sh <command>} with extra environment (UWSKIT_PG_DIR, UWSKIT_PG_PORT) and returns
     * the last line it printed.
     */
    static String script(Map<String, String> env, String command) {
        ProcessBuilder pb = new ProcessBuilder(List.of("bash", scriptsDir().resolve("postgres.sh").toString(), command));
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        try {
            Path out = Files.createTempFile("uwskit-pg-", ".log");
            pb.redirectOutput(out.toFile());
            Process p = pb.start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("scripts/postgres.sh " + command + " did not finish within 120 s");
            }
            String text = Files.readString(out, StandardCharsets.UTF_8).strip();
            Files.deleteIfExists(out);
            if (p.exitValue() != 0) {
                throw new AssertionError("scripts/postgres.sh " + command + " failed (exit " + p.exitValue() + "): "
                        + text);
            }
            String[] lines = text.split("\n");
            return lines[lines.length - 1].strip();
        } catch (IOException e) {
            throw new AssertionError("cannot run scripts/postgres.sh: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
