package org.uwskit.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.uwskit.Quotas;

class ExampleOptionsTest {

    @Test
    void noArgumentsGiveTheDefaults() {
        ExampleOptions o = ExampleOptions.parse(List.of(), Map.of());
        assertThat(o).isEqualTo(ExampleOptions.defaults());
        assertThat(o.host()).isEqualTo("127.0.0.1");
        assertThat(o.port()).isEqualTo(8080);
        assertThat(o.usersFile()).isNull();
        assertThat(o.dataDir()).isEqualTo(Path.of("uwskit-data"));
        assertThat(o.store()).isEqualTo("h2");
        assertThat(o.leaseDuration()).isEqualTo(Duration.ofSeconds(30)).isEqualTo(org.uwskit.Engine.Builder.DEFAULT_LEASE_DURATION);
        assertThat(o.dbUser()).isNull();
        assertThat(o.dbSchema()).isNull();
    }

    @Test
    void everyOptionIsRead() {
        ExampleOptions o = ExampleOptions.parse(List.of("--port", "0", "--host", "0.0.0.0", "--users", "u.txt",
                "--data=/tmp/d", "--store", "jdbc:postgresql://127.0.0.1:5432/uws", "--db-user", "alice",
                "--db-password=s3cret", "--db-schema", "uws_demo", "--lease-seconds", "5",
                "--quotas", "active=3,rate=0.5", "--public-url", "https://uws.example.org/x", "--definitions", "defs"), Map.of());
        assertThat(o).isEqualTo(new ExampleOptions("0.0.0.0", 0, Path.of("u.txt"), Path.of("/tmp/d"),
                "jdbc:postgresql://127.0.0.1:5432/uws", "alice", "s3cret", "uws_demo", Duration.ofSeconds(5),
                Quotas.builder().maxActiveJobs(3).requestsPerSecond(0.5).build(),
                java.net.URI.create("https://uws.example.org/x"), "local", null, null, null, Path.of("defs")));
        assertThat(o.storeIsJdbcUrl()).isTrue();
        assertThat(ExampleOptions.parse(List.of("--store=memory"), Map.of()).store()).isEqualTo("memory");
        assertThat(ExampleOptions.parse(List.of("--store", "jdbc:h2:mem:x"), Map.of()).storeIsJdbcUrl()).isTrue();
    }

    @Test
    void databaseCredentialsComeFromTheEnvironmentUnlessGiven() {
        Map<String, String> env = Map.of("UWSKIT_DB_USER", "envuser", "UWSKIT_DB_PASSWORD", "envpass");
        ExampleOptions fromEnv = ExampleOptions.parse(List.of("--store", "jdbc:postgresql://h/db"), env);
        assertThat(fromEnv.dbUser()).isEqualTo("envuser");
        assertThat(fromEnv.dbPassword()).isEqualTo("envpass");
        ExampleOptions given = ExampleOptions.parse(List.of("--store", "jdbc:postgresql://h/db", "--db-user", "bob"),
                env);
        assertThat(given.dbUser()).isEqualTo("bob");
        assertThat(given.dbPassword()).isEqualTo("envpass");
        // the environment does not matter to the file and memory stores
        assertThat(ExampleOptions.parse(List.of(), env)).isEqualTo(ExampleOptions.defaults());
    }

    @Test
    void thePasswordIsNeverShown() {
        ExampleOptions o = ExampleOptions.parse(List.of("--store", "jdbc:postgresql://h/db?user=u&password=topsecret",
                "--db-password", "othersecret"), Map.of());
        assertThat(o.toString()).doesNotContain("topsecret").doesNotContain("othersecret").contains("password=***");
        assertThat(o.storeForDisplay()).isEqualTo("jdbc:postgresql://h/db?user=u&password=***");
    }

    @Test
    void helpGivesNull() {
        assertThat(ExampleOptions.parse(List.of("--port", "1", "--help"))).isNull();
        assertThat(ExampleOptions.USAGE).contains("--port").contains("--host").contains("--users").contains("--data")
                .contains("--store").contains("memory").contains("jdbc:postgresql:").contains("--db-user")
                .contains("UWSKIT_DB_USER").contains("UWSKIT_DB_PASSWORD").contains("--db-schema")
                .contains("--lease-seconds").contains("/provenance");
    }

    @Test
    void badOptionsNameTheProblem() {
        assertThatThrownBy(() -> ExampleOptions.parse(List.of("--port", "http")))
                .isInstanceOf(ExampleOptions.BadOptionException.class).hasMessageContaining("'http' is not a number");
        assertThatThrownBy(() -> ExampleOptions.parse(List.of("--port", "70000")))
                .isInstanceOf(ExampleOptions.BadOptionException.class).hasMessageContaining("70000");
        assertThatThrownBy(() -> ExampleOptions.parse(List.of("--port")))
                .isInstanceOf(ExampleOptions.BadOptionException.class).hasMessageContaining("--port needs a value");
        assertThatThrownBy(() -> ExampleOptions.parse(List.of("--users", "--port", "1")))
                .isInstanceOf(ExampleOptions.BadOptionException.class).hasMessageContaining("--users needs a value");
        assertThatThrownBy(() -> ExampleOptions.parse(List.of("--verbose")))
                .isInstanceOf(ExampleOptions.BadOptionException.class).hasMessageContaining("unknown option '--verbose'");
        assertThatThrownBy(() -> ExampleOptions.parse(List.of("--host", " ")))
                .isInstanceOf(ExampleOptions.BadOptionException.class).hasMessageContaining("--host");
    }

    @Test
    void quotasAreTheDefaultsUnlessGiven() {
        assertThat(ExampleOptions.parse(List.of(), Map.of()).quotas()).isEqualTo(Quotas.defaults());
        assertThat(ExampleOptions.parse(List.of("--quotas", "off"), Map.of()).quotas()).isEqualTo(Quotas.unlimited());
        assertThat(ExampleOptions.parse(List.of("--quotas=default"), Map.of()).quotas()).isEqualTo(Quotas.defaults());
        assertThat(ExampleOptions.parse(List.of("--quotas", "active=2,stored=0,upload-bytes=1000,rate=1.5,burst=7"),
                Map.of()).quotas()).isEqualTo(Quotas.builder().maxActiveJobs(2).maxStoredJobs(0).maxUploadBytes(1000)
                .requestsPerSecond(1.5).requestBurst(7).build());
        for (String bad : List.of("active", "active=", "active=-1", "active=٣", "active=1d", "rate=1e3", "burst=0",
                "active=99999999999", "colour=1", "active=1,active=2")) {
            assertThatThrownBy(() -> ExampleOptions.parse(List.of("--quotas", bad), Map.of())).as(bad)
                    .isInstanceOf(ExampleOptions.BadOptionException.class).hasMessageStartingWith("--quotas: ");
        }
        assertThat(ExampleOptions.USAGE).contains("--quotas");
    }

    @Test
    void badStoreOptionsNameTheProblem() {
        assertThatThrownBy(() -> ExampleOptions.parse(List.of("--store", "mysql://x"), Map.of()))
                .isInstanceOf(ExampleOptions.BadOptionException.class)
                .hasMessageContaining("--store: 'mysql://x' is not h2, memory or a JDBC URL");
        assertThatThrownBy(() -> ExampleOptions.parse(List.of("--store"), Map.of()))
                .isInstanceOf(ExampleOptions.BadOptionException.class).hasMessageContaining("--store needs a value");
        assertThatThrownBy(() -> ExampleOptions.parse(List.of("--db-user", "x"), Map.of()))
                .isInstanceOf(ExampleOptions.BadOptionException.class)
                .hasMessageContaining("--db-user needs --store jdbc:");
        assertThatThrownBy(() -> ExampleOptions.parse(List.of("--store", "memory", "--db-schema", "s"), Map.of()))
                .isInstanceOf(ExampleOptions.BadOptionException.class)
                .hasMessageContaining("--db-schema needs --store jdbc:");
        assertThatThrownBy(() -> ExampleOptions.parse(List.of("--store", "jdbc:h2:mem:x", "--db-schema", "Bad-Name"),
                Map.of()))
                .isInstanceOf(ExampleOptions.BadOptionException.class).hasMessageContaining("'Bad-Name'");
        assertThatThrownBy(() -> ExampleOptions.parse(List.of("--lease-seconds", "0"), Map.of()))
                .isInstanceOf(ExampleOptions.BadOptionException.class)
                .hasMessageContaining("--lease-seconds: 0 is not between 1 and 86400");
        assertThatThrownBy(() -> ExampleOptions.parse(List.of("--lease-seconds", "soon"), Map.of()))
                .isInstanceOf(ExampleOptions.BadOptionException.class)
                .hasMessageContaining("'soon' is not a whole number");
    }

    @Test
    void theSlurmBackendIsChosenWithItsTransport() {
        ExampleOptions cmd = ExampleOptions.parse(List.of("--backend", "slurm"), Map.of());
        assertThat(cmd.backend()).isEqualTo("slurm");
        assertThat(cmd.slurmRest()).isNull();
        ExampleOptions rest = ExampleOptions.parse(List.of("--backend=slurm", "--slurm-rest", "http://127.0.0.1:6820",
                "--slurm-token-file", "/run/jwt"), Map.of());
        assertThat(rest.slurmRest()).hasToString("http://127.0.0.1:6820");
        assertThat(rest.slurmTokenFile()).isEqualTo(Path.of("/run/jwt"));
        assertThat(ExampleOptions.parse(List.of(), Map.of()).backend()).isEqualTo("local");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ExampleOptions.parse(List.of("--backend", "pbs"),
                Map.of())).hasMessageContaining("'pbs' is not local or slurm");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ExampleOptions.parse(List.of("--slurm-rest",
                "http://x:6820"), Map.of())).hasMessageContaining("need --backend slurm");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ExampleOptions.parse(List.of("--backend", "slurm",
                "--slurm-rest", "ftp://x"), Map.of())).hasMessageContaining("not an http(s) URL");
        assertThat(cmd.slurmCallbackUrl()).isNull();
        assertThat(ExampleOptions.parse(List.of("--backend", "slurm", "--slurm-callback-url",
                "http://head.cluster:8080/uws"), Map.of()).slurmCallbackUrl()).hasToString("http://head.cluster:8080/uws");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ExampleOptions.parse(List.of("--slurm-callback-url",
                "http://x/uws"), Map.of())).hasMessageContaining("need --backend slurm");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ExampleOptions.parse(List.of("--backend", "slurm",
                "--slurm-callback-url", "file:/x"), Map.of())).hasMessageContaining("not an http(s) URL");
    }
}
