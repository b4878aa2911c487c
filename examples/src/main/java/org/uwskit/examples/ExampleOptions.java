package org.uwskit.examples;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The command-line options of {@link ExampleServer}. Immutable; parse with {@link #parse(List)} or build with
 * {@link #builder()}.
 *
 * @param host      the interface to listen on
 * @param port      the TCP port; 0 picks a free one (the server prints the actual port)
 * @param usersFile a file of {@code name:password} lines that turns on HTTP Basic authentication and owner
 *                  isolation, or null for anonymous use
 * @param dataDir   where results (and, with a database store, the database file) live
 */
public record ExampleOptions(String host, int port, Path usersFile, Path dataDir) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    public static final Path DEFAULT_DATA_DIR = Path.of("uwskit-data");

    /** The text printed by {@code --help}. */
    public static final String USAGE = String.join(System.lineSeparator(),
            "Usage: java -jar uwskit-examples.jar [options]",
            "",
            "A UWS 1.1 server with two job lists: /uws/demo (a job that waits SECONDS and writes MESSAGE)",
            "and /uws/wordcount (runs /usr/bin/wc on an uploaded FILE). /tap/async is the demo job list under",
            "a TAP-like path, for TAP clients such as pyvo.",
            "",
            "Options:",
            "  --port N       TCP port (default " + DEFAULT_PORT + "; 0 = any free port, printed at start)",
            "  --host H       interface to listen on (default " + DEFAULT_HOST + ")",
            "  --users FILE   lines name:password[:role,...]; turns on HTTP Basic authentication, and each",
            "                 user sees only their own jobs (role uws-admin sees all). Without it the job",
            "                 lists allow anonymous use.",
            "  --data DIR     where results are kept (default ./" + DEFAULT_DATA_DIR + ")",
            "  --help         print this text",
            "",
            "Exit codes: 0 after a clean shutdown (SIGTERM, Ctrl-C), 1 if the server cannot start, 2 for bad options.");

    public ExampleOptions {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(dataDir, "dataDir");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is not between 0 and 65535");
        }
    }

    /** The defaults: 127.0.0.1:8080, anonymous, ./uwskit-data. */
    public static ExampleOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Parses command-line arguments.
     *
     * @return the options, or null when {@code --help} was asked for
     * @throws BadOptionException naming the bad option (the caller prints it and exits with code 2)
     */
    public static ExampleOptions parse(List<String> args) {
        Builder b = builder();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            switch (name) {
                case "--help", "-h" -> {
                    return null;
                }
                case "--port" -> {
                    value = value != null ? value : valueOf(args, ++i, name);
                    try {
                        b.port(Integer.parseInt(value.trim()));
                    } catch (NumberFormatException e) {
                        throw new BadOptionException("--port: '" + value + "' is not a number");
                    } catch (IllegalArgumentException e) {
                        throw new BadOptionException("--port: " + e.getMessage());
                    }
                }
                case "--host" -> {
                    value = value != null ? value : valueOf(args, ++i, name);
                    if (value.isBlank()) {
                        throw new BadOptionException("--host needs a host name or address");
                    }
                    b.host(value);
                }
                case "--users" -> b.usersFile(Path.of(value != null ? value : valueOf(args, ++i, name)));
                case "--data" -> b.dataDir(Path.of(value != null ? value : valueOf(args, ++i, name)));
                // The JDBC-store work adds here: --store (memory | jdbc:<url>) and --backend; ExampleServer wires
                // them in createStore(...) and createBackends(...).
                default -> throw new BadOptionException("unknown option '" + arg + "' (try --help)");
            }
        }
        return b.build();
    }

    private static String valueOf(List<String> args, int i, String option) {
        if (i >= args.size() || args.get(i).startsWith("--")) {
            throw new BadOptionException(option + " needs a value (try --help)");
        }
        return args.get(i);
    }

    /** A command-line option that is unknown, lacks its value or has a bad value. */
    public static final class BadOptionException extends IllegalArgumentException {
        public BadOptionException(String message) {
            super(message);
        }
    }

    /** Fluent builder with the named defaults. */
    public static final class Builder {
        private String host = DEFAULT_HOST;
        private int port = DEFAULT_PORT;
        private Path usersFile;
        private Path dataDir = DEFAULT_DATA_DIR;

        private Builder() {
        }

        public Builder host(String v) { host = Objects.requireNonNull(v); return this; }
        public Builder port(int v) {
            if (v < 0 || v > 65535) {
                throw new IllegalArgumentException("port " + v + " is not between 0 and 65535");
            }
            port = v;
            return this;
        }
        /** null = anonymous use. */
        public Builder usersFile(Path v) { usersFile = v; return this; }
        public Builder dataDir(Path v) { dataDir = Objects.requireNonNull(v); return this; }

        public ExampleOptions build() {
            return new ExampleOptions(host, port, usersFile, dataDir);
        }
    }
}
