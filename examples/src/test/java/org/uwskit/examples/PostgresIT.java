package org.uwskit.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.uwskit.examples.Http.form;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded jar on PostgreSQL ({@code --store jdbc:postgresql:…}, found as {@link Postgres} says), in a schema of
 * its own so that it never meets the tables of uws-store-jdbc's tests running at the same time. The user (and
 * password) are taken out of the URL and given through {@code UWSKIT_DB_USER}/{@code UWSKIT_DB_PASSWORD}, so the
 * environment path is exercised. A demo job runs to COMPLETED over HTTP and its row is read back with SQL; a second
 * server (another data directory, so another engine node) on the same schema sees it and runs a job of its own that
 * the first server sees finish.
 */
class PostgresIT {
    private static final Duration JOB_TIMEOUT = Duration.ofSeconds(20);
    private static String url;
    private static String schema;

    @TempDir
    Path data;
    private final Http http = new Http();

    @BeforeAll
    static void database() {
        url = Postgres.url();
        byte[] b = new byte[5];
        new SecureRandom().nextBytes(b);
        schema = "examples_it_" + HexFormat.of().formatHex(b);
    }

    @AfterAll
    static void dropSchema() {
        if (schema != null) {
            Postgres.exec(url, "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    @Test
    void demoJobsRunOnPostgresqlFromTheShadedJar() throws Exception {
        Map<String, String> env = new HashMap<>();
        String bare = withoutCredentials(url, env);
        try (ServerProcess one = ServerProcess.start(data.resolve("one"), env, "--store", bare, "--db-schema", schema)) {
            assertThat(one.store()).as(one.output()).startsWith("POSTGRESQL ").contains(schema + ".uws_job")
                    .doesNotContain("password=");
            URI demo = one.jobLists().get("demo");
            URI job = http.createJob(demo, form("SECONDS", "0.2", "MESSAGE", "on postgres", "PHASE", "RUN"));
            String doc = http.awaitPhase(job, p -> p.equals("COMPLETED") || p.equals("ERROR"), JOB_TIMEOUT);
            assertThat(Http.phase(doc)).as(doc).isEqualTo("COMPLETED");
            assertThat(http.get(URI.create(job + "/results/result")).body()).isEqualTo("on postgres\n");
            HttpResponse<String> prov = http.get(URI.create(job + "/provenance?FORMAT=json"));
            assertThat(prov.statusCode()).isEqualTo(200);
            String id = job.getPath().substring(job.getPath().lastIndexOf('/') + 1);
            assertThat(phaseInDatabase(id)).isEqualTo("COMPLETED");

            try (ServerProcess two = ServerProcess.start(data.resolve("two"), env, "--store", bare,
                    "--db-schema", schema)) {
                assertThat(two.nodeId()).isNotEqualTo(one.nodeId());
                URI demo2 = two.jobLists().get("demo");
                assertThat(Http.phase(http.get(URI.create(demo2 + "/" + id)).body())).isEqualTo("COMPLETED");
                URI job2 = http.createJob(demo2, form("SECONDS", "0.2", "PHASE", "RUN"));
                String id2 = job2.getPath().substring(job2.getPath().lastIndexOf('/') + 1);
                String seen = http.awaitPhase(URI.create(demo + "/" + id2), "COMPLETED"::equals, JOB_TIMEOUT);
                assertThat(seen).contains(id2);
                assertThat(phaseInDatabase(id2)).isEqualTo("COMPLETED");
                assertThat(two.stop()).isEqualTo(143);
            }
            assertThat(one.stop()).isEqualTo(143);
        }
    }

    /** The URL without its user= and password= parameters, which go into {@code env} instead. */
    static String withoutCredentials(String jdbcUrl, Map<String, String> env) {
        int q = jdbcUrl.indexOf('?');
        if (q < 0) {
            return jdbcUrl;
        }
        List<String> kept = new ArrayList<>();
        for (String kv : jdbcUrl.substring(q + 1).split("&")) {
            if (kv.startsWith("user=")) {
                env.put(ExampleOptions.ENV_DB_USER, kv.substring(5));
            } else if (kv.startsWith("password=")) {
                env.put(ExampleOptions.ENV_DB_PASSWORD, kv.substring(9));
            } else if (!kv.isEmpty()) {
                kept.add(kv);
            }
        }
        return jdbcUrl.substring(0, q) + (kept.isEmpty() ? "" : "?" + String.join("&", kept));
    }

    private static String phaseInDatabase(String jobId) throws Exception {
        try (Connection c = DriverManager.getConnection(url);
             PreparedStatement ps = c.prepareStatement("SELECT phase FROM " + schema + ".uws_job WHERE job_id = ?")) {
            ps.setString(1, jobId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
