package org.uwskit.examples;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.uwskit.Engine;
import org.uwskit.Quotas;
import org.uwskit.examples.internal.QuotaSpec;

/**
 * The command-line options of {@link ExampleServer}. Immutable; parse with {@link #parse(List)} or build with
 * {@link #builder()}.
 *
 * @param host      the interface to listen on
 * @param port      the TCP port; 0 picks a free one (the server prints the actual port)
 * @param usersFile a file of {@code name:password} lines that turns on HTTP Basic authentication and owner
 *                  isolation, or null for anonymous use
 * @param dataDir   where results, the engine's node id and (with the default store) the H2 database file live
 * @param store     the job store: {@value #STORE_H2} (an H2 file under {@code dataDir}), {@value #STORE_MEMORY}, or a
 *                  JDBC URL ({@code jdbc:postgresql:…} or {@code jdbc:h2:…})
 * @param dbUser    the database user for a JDBC URL store, or null (then the URL's own {@code user=}, if any)
 * @param dbPassword the database password for a JDBC URL store, or null; never shown by {@link #toString()}
 * @param dbSchema  the database schema of the job tables (lower-case letters, digits, _), or null for the
 *                  connection's default
 * @param leaseDuration how long the engine's claim on a job holds without renewal: after a crash, a restarted
 *                  server (same data directory, so the same node id) recovers the jobs of its previous incarnation
 *                  once their leases expired
 * @param quotas    the per-owner quotas of every job list ({@code --quotas}); {@link Quotas#defaults()} unless given
 * @param publicUrl the URL clients reach the server at (behind a proxy: the proxy's), used for every link the
 *                  server writes; null for {@code http://HOST:PORT} (the actual port), or for links from each
 *                  request's Host header when HOST is a wildcard address (0.0.0.0, ::), with a warning at start
 * @param backend   where jobs run: {@value #BACKEND_LOCAL} (this host) or {@value #BACKEND_SLURM}
 * @param slurmRest slurmrestd's URL for {@value #BACKEND_SLURM}, or null for SLURM's commands on the PATH
 * @param slurmTokenFile a file holding the JWT for slurmrestd (read at every request), or null for the
 *                  environment's {@code SLURM_JWT}
 * @param slurmCallbackUrl the URL of the {@code /uws} servlet as the SLURM nodes reach it, for the batch jobs'
 *                  completion callbacks; null for the public URL's {@code /uws} (callbacks off for a wildcard HOST
 *                  without {@code --public-url})
 * @param definitionsDir a directory of job definition files ({@code *.json}, see
 *                  {@link org.uwskit.definition.DefinitionLoader}): each becomes a job type served in a job list of
 *                  its own name, run as an OS process on this host; or null for none
 */
public record ExampleOptions(String host, int port, Path usersFile, Path dataDir, String store, String dbUser,
                             String dbPassword, String dbSchema, Duration leaseDuration, Quotas quotas,
                             java.net.URI publicUrl, String backend, java.net.URI slurmRest, Path slurmTokenFile,
                             java.net.URI slurmCallbackUrl, Path definitionsDir) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    public static final Path DEFAULT_DATA_DIR = Path.of("uwskit-data");
    /** {@code --store h2}: an H2 database in {@code DATA/db/uwskit.mv.db}; jobs survive a restart. The default. */
    public static final String STORE_H2 = "h2";
    /** {@code --store memory}: jobs live in memory only and are lost at stop. */
    public static final String STORE_MEMORY = "memory";
    public static final String DEFAULT_STORE = STORE_H2;
    /** The engine's own default lease. */
    public static final Duration DEFAULT_LEASE_DURATION = Engine.Builder.DEFAULT_LEASE_DURATION;
    /** The environment variable read when {@code --db-user} is not given. */
    public static final String ENV_DB_USER = "UWSKIT_DB_USER";
    /** The environment variable read when {@code --db-password} is not given. */
    public static final String ENV_DB_PASSWORD = "UWSKIT_DB_PASSWORD";
    /** The longest {@code --lease-seconds} (a day). */
    public static final long MAX_LEASE_SECONDS = 86_400;
    /** {@code --backend local}: jobs run on this host (the default). */
    public static final String BACKEND_LOCAL = "local";
    /** {@code --backend slurm}: jobs run on SLURM (commands on the PATH, or {@code --slurm-rest}). */
    public static final String BACKEND_SLURM = "slurm";
    /** A database schema name ({@code --db-schema}). */
    static final Pattern SCHEMA = Pattern.compile("[a-z][a-z0-9_]{0,62}");

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
            "  --public-url U the URL clients reach this server at (e.g. https://uws.example.org behind a proxy);",
            "                 every link the server writes starts with it. Default http://HOST:PORT; with a",
            "                 wildcard --host (0.0.0.0, ::) and no --public-url, links follow each request's",
            "                 Host header (a warning is printed).",
            "  --users FILE   lines name:password[:role,...]; turns on HTTP Basic authentication, and each",
            "                 user sees only their own jobs (role uws-admin sees all). Without it the job",
            "                 lists allow anonymous use.",
            "  --data DIR     where results, the node id and the H2 database are kept (default ./"
                    + DEFAULT_DATA_DIR + ")",
            "  --store S      the job store (default " + DEFAULT_STORE + "):",
            "                   h2       an H2 database file DIR/db/uwskit.mv.db; jobs survive a restart",
            "                   memory   jobs are kept in memory and lost when the server stops",
            "                   jdbc:postgresql://HOST:PORT/DB[?user=U]   a PostgreSQL database (several servers",
            "                            may share it); jdbc:h2:... also works",
            "  --db-user U    database user for a jdbc: store (default: env " + ENV_DB_USER + ", else the URL's)",
            "  --db-password P  its password (default: env " + ENV_DB_PASSWORD + "; prefer the environment,",
            "                 command lines are visible to other users)",
            "  --db-schema S  database schema of the job tables (created if missing; default: the connection's)",
            "  --lease-seconds N  how long the engine's claim on a job holds without renewal (default "
                    + DEFAULT_LEASE_DURATION.toSeconds() + ").",
            "                 After a crash, the server restarted on the same --data recovers the jobs its previous",
            "                 run was executing once their leases expire: they end in ERROR \"interrupted: node",
            "                 lost\"; queued jobs run normally.",
            "  --quotas Q     per-owner quotas of every job list: " + QuotaSpec.HELP,
            "                 (default: " + Quotas.DEFAULT_MAX_ACTIVE_JOBS + " active jobs, " + Quotas.DEFAULT_MAX_STORED_JOBS
                    + " stored jobs, " + (Quotas.DEFAULT_MAX_UPLOAD_BYTES >> 20) + " MiB of uploads, "
                    + (long) Quotas.DEFAULT_REQUESTS_PER_SECOND + " requests/s",
            "                 with bursts of " + Quotas.DEFAULT_REQUEST_BURST + "; 0 = no limit; anonymous callers share one"
                    + " owner). Beyond one: HTTP 429.",
            "  --backend B    where jobs run: local (this host, the default) or slurm: SLURM's commands on the",
            "                 PATH (with the environment's SLURM_CONF); DIR/slurm-work must be shared with the nodes",
            "  --slurm-rest URL  with --backend slurm: reach SLURM through slurmrestd (API v0.0.38) instead,",
            "                 token from env SLURM_JWT or --slurm-token-file, user from env UWSKIT_SLURM_USER",
            "                 (default: this process's user)",
            "  --slurm-token-file FILE  the slurmrestd token, read at every request (renew it in place)",
            "  --slurm-callback-url U  with --backend slurm: where the batch jobs post their start and end (the",
            "                 /uws servlet as the nodes reach it; default: the public URL + /uws, none for a",
            "                 wildcard --host without --public-url). Callbacks make phase changes visible at once;",
            "                 the poll still decides. Their HMAC secret is kept in DATA/slurm-callback.secret",
            "  --definitions DIR  each DIR/*.json job definition file becomes a job type in a job list of its",
            "                 own name (/uws/<name>), run as an OS process; its description is served at",
            "                 /uws/<name>/definitions/<name> (JSON Schema; ?FORMAT=votable for DataLink)",
            "  --help         print this text",
            "",
            "Finished jobs also offer their provenance at /uws/<list>/<job-id>/provenance (PROV-JSON by default;",
            "?FORMAT=xml|provn|dot|svg|votable or an Accept header choose another format).",
            "/provsap?ID=<job URL or id>&DEPTH=<n|ALL>&DIRECTION=BACK|FORTH|BOTH combines the provenance of",
            "jobs linked through results they used (a job whose by-reference parameter is another job's result URL).",
            "",
            "Exit codes: 0 after a clean shutdown (SIGTERM, Ctrl-C), 1 if the server cannot start, 2 for bad options.");

    /**
     * @throws IllegalArgumentException naming the bad value (a port out of range, an unknown store, a bad schema
     *                                  name, a lease that is not positive)
     */
    public ExampleOptions {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(leaseDuration, "leaseDuration");
        Objects.requireNonNull(quotas, "quotas");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is not between 0 and 65535");
        }
        if (!store.equals(STORE_H2) && !store.equals(STORE_MEMORY) && !isJdbcUrl(store)) {
            throw new IllegalArgumentException("store '" + store + "' is not " + STORE_H2 + ", " + STORE_MEMORY
                    + ", a jdbc:postgresql: URL or a jdbc:h2: URL");
        }
        if (dbSchema != null && !SCHEMA.matcher(dbSchema).matches()) {
            throw new IllegalArgumentException("schema '" + dbSchema + "' must be lower-case letters, digits and _, "
                    + "starting with a letter (at most 63)");
        }
        if (leaseDuration.isNegative() || leaseDuration.isZero()) {
            throw new IllegalArgumentException("the lease must be positive, got " + leaseDuration);
        }
        if (publicUrl != null && (!publicUrl.isAbsolute() || publicUrl.getHost() == null
                || !("http".equalsIgnoreCase(publicUrl.getScheme()) || "https".equalsIgnoreCase(publicUrl.getScheme()))
                || publicUrl.getRawQuery() != null || publicUrl.getRawFragment() != null
                || publicUrl.getRawUserInfo() != null)) {
            throw new IllegalArgumentException("public URL '" + publicUrl + "' is not an http(s) URL such as "
                    + "https://uws.example.org (no user, query or fragment)");
        }
        Objects.requireNonNull(backend, "backend");
        if (!backend.equals(BACKEND_LOCAL) && !backend.equals(BACKEND_SLURM)) {
            throw new IllegalArgumentException("backend '" + backend + "' is not " + BACKEND_LOCAL + " or "
                    + BACKEND_SLURM);
        }
        if ((slurmRest != null || slurmTokenFile != null || slurmCallbackUrl != null)
                && !backend.equals(BACKEND_SLURM)) {
            throw new IllegalArgumentException("--slurm-rest, --slurm-token-file and --slurm-callback-url need"
                    + " --backend slurm");
        }
        if (slurmCallbackUrl != null && !("http".equals(slurmCallbackUrl.getScheme())
                || "https".equals(slurmCallbackUrl.getScheme()))) {
            throw new IllegalArgumentException("--slurm-callback-url: '" + slurmCallbackUrl + "' is not an http(s)"
                    + " URL");
        }
        if (slurmRest != null && !("http".equals(slurmRest.getScheme()) || "https".equals(slurmRest.getScheme()))) {
            throw new IllegalArgumentException("--slurm-rest: '" + slurmRest + "' is not an http(s) URL");
        }
    }

    /** Whether {@code store} is a JDBC URL the store supports. */
    static boolean isJdbcUrl(String store) {
        String s = store.toLowerCase(Locale.ROOT);
        return s.startsWith("jdbc:postgresql:") || s.startsWith("jdbc:h2:");
    }

    /** Whether the jobs are kept in a JDBC URL given with {@code --store} (not the default H2 file, not memory). */
    public boolean storeIsJdbcUrl() {
        return isJdbcUrl(store);
    }

    /** {@link #store()} with a {@code password=} in a JDBC URL replaced by {@code ***}. */
    public String storeForDisplay() {
        return store.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    /** The options as text, with the password replaced by {@code ***}. */
    @Override
    public String toString() {
        return "ExampleOptions[host=" + host + ", port=" + port + ", usersFile=" + usersFile + ", dataDir=" + dataDir
                + ", store=" + storeForDisplay() + ", dbUser=" + dbUser
                + ", dbPassword=" + (dbPassword == null ? null : "***") + ", dbSchema=" + dbSchema
                + ", leaseDuration=" + leaseDuration + ", quotas=" + quotas + ", publicUrl=" + publicUrl
                + ", backend=" + backend + ", slurmRest=" + slurmRest + ", slurmTokenFile=" + slurmTokenFile
                + ", slurmCallbackUrl=" + slurmCallbackUrl
                + ", definitionsDir=" + definitionsDir + "]";
    }

    /** The defaults: 127.0.0.1:8080, anonymous, ./uwskit-data, H2 store, the engine's lease. */
    public static ExampleOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Parses command-line arguments, with the database credentials defaulting to the process environment
     * ({@value #ENV_DB_USER}, {@value #ENV_DB_PASSWORD}).
     *
     * @return the options, or null when {@code --help} was asked for
     * @throws BadOptionException naming the bad option (the caller prints it and exits with code 2)
     */
    public static ExampleOptions parse(List<String> args) {
        return parse(args, System.getenv());
    }

    /**
     * Parses command-line arguments; {@code env} supplies {@value #ENV_DB_USER} and {@value #ENV_DB_PASSWORD} when
     * the options do not.
     *
     * @return the options, or null when {@code --help} was asked for
     * @throws BadOptionException naming the bad option
     */
    public static ExampleOptions parse(List<String> args, Map<String, String> env) {
        return ExampleOptionsParser.parse(args, env);
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
        private String store = DEFAULT_STORE;
        private String dbUser;
        private String dbPassword;
        private String dbSchema;
        private Duration leaseDuration = DEFAULT_LEASE_DURATION;
        private Quotas quotas = Quotas.defaults();
        private java.net.URI publicUrl;
        private String backend = BACKEND_LOCAL;
        private java.net.URI slurmRest;
        private Path slurmTokenFile;
        private java.net.URI slurmCallbackUrl;
        private Path definitionsDir;

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
        /** {@value #STORE_H2} (default), {@value #STORE_MEMORY} or a JDBC URL. */
        public Builder store(String v) { store = Objects.requireNonNull(v); return this; }
        /** null = the URL's own user, if any. */
        public Builder dbUser(String v) { dbUser = v; return this; }
        public Builder dbPassword(String v) { dbPassword = v; return this; }
        /** null = the connection's default schema. */
        public Builder dbSchema(String v) { dbSchema = v; return this; }
        public Builder leaseDuration(Duration v) { leaseDuration = Objects.requireNonNull(v); return this; }
        /** The per-owner quotas of every job list; default {@link Quotas#defaults()}. */
        public Builder quotas(Quotas v) { quotas = Objects.requireNonNull(v); return this; }
        /** null = http://HOST:PORT, or the request's Host for a wildcard HOST. */
        public Builder publicUrl(java.net.URI v) { publicUrl = v; return this; }
        /** {@value #BACKEND_LOCAL} (default) or {@value #BACKEND_SLURM}. */
        public Builder backend(String v) { backend = Objects.requireNonNull(v); return this; }
        /** null = SLURM's commands. */
        public Builder slurmRest(java.net.URI v) { slurmRest = v; return this; }
        /** null = the environment's SLURM_JWT. */
        public Builder slurmTokenFile(Path v) { slurmTokenFile = v; return this; }
        /** null = the public URL's /uws. */
        public Builder slurmCallbackUrl(java.net.URI v) { slurmCallbackUrl = v; return this; }
        /** null = no job types from files. */
        public Builder definitionsDir(Path v) { definitionsDir = v; return this; }

        /** @throws IllegalArgumentException as the record's constructor does */
        public ExampleOptions build() {
            return new ExampleOptions(host, port, usersFile, dataDir, store, dbUser, dbPassword, dbSchema,
                    leaseDuration, quotas, publicUrl, backend, slurmRest, slurmTokenFile, slurmCallbackUrl,
                    definitionsDir);
        }
    }
}
