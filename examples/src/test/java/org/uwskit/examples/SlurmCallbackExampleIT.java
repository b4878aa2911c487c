package org.uwskit.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.uwskit.examples.Http.form;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example server with {@code --backend slurm} and HTTP Basic authentication ({@code --users}): the batch jobs'
 * callbacks reach {@code /uws/_callbacks/slurm/...} without credentials (the job's token is their only
 * authentication), everything else still needs them; a demo job's script posts to this server's URL. Needs {@code SLURM_CONF};
 * fails without it when {@code CI=true} or {@code UWSKIT_REQUIRE_SLURM=true}.
 */
class SlurmCallbackExampleIT {
    @TempDir
    static Path data;
    static ExampleServer server;
    static final Http alice = new Http("alice", "wonderland");

    @BeforeAll
    static void start() throws Exception {
        SlurmEnv.requireConf("the SLURM example");
        Path users = Files.writeString(data.resolve("users.txt"), "alice:wonderland\n");
        server = ExampleServer.start(ExampleOptions.builder().port(0).dataDir(data).store("memory")
                .usersFile(users).backend(ExampleOptions.BACKEND_SLURM).build());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static HttpResponse<String> postCallback(URI url, String token) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(url).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("status=0"));
        if (token != null) {
            r.header("X-UWS-Callback-Token", token);
        }
        return HttpClient.newHttpClient().send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void callbacksNeedNoCredentialsButTheirToken() throws Exception {
        URI demo = server.jobListUrls().get("demo");
        assertThat(new Http().get(demo).statusCode()).as("the job list without credentials").isEqualTo(401);
        URI callback = URI.create(server.baseUri() + "uws/_callbacks/slurm/someJob1234/ended");
        HttpResponse<String> forged = postCallback(callback, "0".repeat(64));
        assertThat(forged.statusCode()).as(forged.body()).isEqualTo(403);
        assertThat(postCallback(callback, null).statusCode()).isEqualTo(403);
    }

    @Test
    void aDemoJobPostsItsCallbacksToThisServer() throws Exception {
        URI job = alice.createJob(server.jobListUrls().get("demo"), form("SECONDS", "1", "MESSAGE", "hi",
                "PHASE", "RUN"));
        String doc = alice.awaitPhase(job, p -> p.equals("COMPLETED") || p.equals("ERROR"), Duration.ofSeconds(30));
        assertThat(Http.phase(doc)).as(doc).isEqualTo("COMPLETED");
        String jobId = job.getPath().substring(job.getPath().lastIndexOf('/') + 1);
        Path control = data.resolve("slurm-work").resolve(jobId).resolve(".uws");
        assertThat(Files.readString(control.resolve("callback-url")))
                .isEqualTo(server.baseUri() + "uws/_callbacks/slurm/" + jobId + "/");
        Path log = control.resolve("callback.log");
        // the script logs each callback's HTTP status (and curl's complaints, if any)
        assertThat(Files.readAllLines(log)).containsExactlyInAnyOrder("started 204", "ended 204");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(
                data.resolve(SlurmJobs.CALLBACK_SECRET_FILE)))).isEqualTo("rw-------");
        String token = Files.readString(control.resolve("callback")).replaceAll("(?s).*: ([0-9a-f]{64}).*", "$1");
        assertThat(token).hasSize(64);
        assertThat(doc).doesNotContain(token);
        assertThat(alice.get(job, "application/json").body()).doesNotContain(token);
    }
}
