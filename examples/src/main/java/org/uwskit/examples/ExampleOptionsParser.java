package org.uwskit.examples;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.uwskit.examples.internal.QuotaSpec;

/**
 * Reads the command line of {@link ExampleServer} into {@link ExampleOptions}: {@code --name value} or
 * {@code --name=value}, each option's value checked with a message naming the option. Stateless.
 */
final class ExampleOptionsParser {
    private ExampleOptionsParser() {
    }

    /**
     * Parses command-line arguments; {@code env} supplies {@value ExampleOptions#ENV_DB_USER} and
     * {@value ExampleOptions#ENV_DB_PASSWORD} when the options do not.
     *
     * @return the options, or null when {@code --help} was asked for
     * @throws ExampleOptions.BadOptionException naming the bad option
     */
    static ExampleOptions parse(List<String> args, Map<String, String> env) {
        ExampleOptions.Builder b = ExampleOptions.builder();
        String user = blankToNull(env.get(ExampleOptions.ENV_DB_USER));
        String password = blankToNull(env.get(ExampleOptions.ENV_DB_PASSWORD));
        String dbOption = null;
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
                        throw new ExampleOptions.BadOptionException("--port: '" + value + "' is not a number");
                    } catch (IllegalArgumentException e) {
                        throw new ExampleOptions.BadOptionException("--port: " + e.getMessage());
                    }
                }
                case "--host" -> {
                    value = value != null ? value : valueOf(args, ++i, name);
                    if (value.isBlank()) {
                        throw new ExampleOptions.BadOptionException("--host needs a host name or address");
                    }
                    b.host(value);
                }
                case "--public-url" -> {
                    value = value != null ? value : valueOf(args, ++i, name);
                    try {
                        b.publicUrl(new java.net.URI(value.trim()));
                    } catch (java.net.URISyntaxException e) {
                        throw new ExampleOptions.BadOptionException("--public-url: '" + value + "' is not a URL");
                    }
                }
                case "--users" -> b.usersFile(Path.of(value != null ? value : valueOf(args, ++i, name)));
                case "--definitions" -> b.definitionsDir(Path.of(value != null ? value : valueOf(args, ++i, name)));
                case "--data" -> b.dataDir(Path.of(value != null ? value : valueOf(args, ++i, name)));
                case "--store" -> {
                    value = value != null ? value : valueOf(args, ++i, name);
                    String v = value.trim();
                    if (!v.equals(ExampleOptions.STORE_H2) && !v.equals(ExampleOptions.STORE_MEMORY) && !ExampleOptions.isJdbcUrl(v)) {
                        throw new ExampleOptions.BadOptionException("--store: '" + v + "' is not " + ExampleOptions.STORE_H2 + ", " + ExampleOptions.STORE_MEMORY
                                + " or a JDBC URL (jdbc:postgresql://host:port/db or jdbc:h2:...)");
                    }
                    b.store(v);
                }
                case "--db-user" -> {
                    user = value != null ? value : valueOf(args, ++i, name);
                    dbOption = name;
                }
                case "--db-password" -> {
                    password = value != null ? value : valueOf(args, ++i, name);
                    dbOption = name;
                }
                case "--db-schema" -> {
                    value = value != null ? value : valueOf(args, ++i, name);
                    dbOption = name;
                    if (!ExampleOptions.SCHEMA.matcher(value).matches()) {
                        throw new ExampleOptions.BadOptionException("--db-schema: '" + value + "' must be lower-case letters, digits "
                                + "and _, starting with a letter (at most 63)");
                    }
                    b.dbSchema(value);
                }
                case "--lease-seconds" -> {
                    value = value != null ? value : valueOf(args, ++i, name);
                    long seconds;
                    try {
                        seconds = Long.parseLong(value.trim());
                    } catch (NumberFormatException e) {
                        throw new ExampleOptions.BadOptionException("--lease-seconds: '" + value + "' is not a whole number");
                    }
                    if (seconds < 1 || seconds > ExampleOptions.MAX_LEASE_SECONDS) {
                        throw new ExampleOptions.BadOptionException("--lease-seconds: " + seconds + " is not between 1 and "
                                + ExampleOptions.MAX_LEASE_SECONDS);
                    }
                    b.leaseDuration(Duration.ofSeconds(seconds));
                }
                case "--quotas" -> {
                    value = value != null ? value : valueOf(args, ++i, name);
                    try {
                        b.quotas(QuotaSpec.parse(value));
                    } catch (IllegalArgumentException e) {
                        throw new ExampleOptions.BadOptionException("--quotas: " + e.getMessage());
                    }
                }
                case "--backend" -> b.backend((value != null ? value : valueOf(args, ++i, name)).trim());
                case "--slurm-rest" -> {
                    value = value != null ? value : valueOf(args, ++i, name);
                    try {
                        b.slurmRest(java.net.URI.create(value.trim()));
                    } catch (IllegalArgumentException e) {
                        throw new ExampleOptions.BadOptionException("--slurm-rest: '" + value + "' is not a URL");
                    }
                }
                case "--slurm-token-file" -> b.slurmTokenFile(Path.of(value != null ? value : valueOf(args, ++i, name)));
                case "--slurm-callback-url" -> {
                    String v = (value != null ? value : valueOf(args, ++i, name)).trim();
                    try {
                        b.slurmCallbackUrl(java.net.URI.create(v));
                    } catch (IllegalArgumentException e) {
                        throw new ExampleOptions.BadOptionException("--slurm-callback-url: '" + v + "' is not a URL");
                    }
                }
                default -> throw new ExampleOptions.BadOptionException("unknown option '" + arg + "' (try --help)");
            }
        }
        ExampleOptions o;
        try {
            o = b.build();
        } catch (IllegalArgumentException e) {
            throw new ExampleOptions.BadOptionException(e.getMessage());
        }
        if (!o.storeIsJdbcUrl()) {
            if (dbOption != null) {
                throw new ExampleOptions.BadOptionException(dbOption + " needs --store jdbc:... (the store is " + o.store() + ")");
            }
            // credentials from the environment only matter for a database given by URL
            return o;
        }
        return b.dbUser(user).dbPassword(password).build();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static String valueOf(List<String> args, int i, String option) {
        if (i >= args.size() || args.get(i).startsWith("--")) {
            throw new ExampleOptions.BadOptionException(option + " needs a value (try --help)");
        }
        return args.get(i);
    }

}
