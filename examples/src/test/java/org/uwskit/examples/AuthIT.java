package org.uwskit.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.uwskit.examples.Http.form;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.uwskit.Caller;
import org.uwskit.Job;
import org.uwskit.JobRequest;
import org.uwskit.Parameter;

/** With --users: HTTP Basic authentication, and each user sees only their own jobs; uws-admin sees all. */
class AuthIT {
    @TempDir
    static Path data;
    static ExampleServer server;
    static URI demo;
    static final Http alice = new Http("alice", "wonderland");
    static final Http bob = new Http("bob", "builder");
    static final Http admin = new Http("root", "toor");

    @BeforeAll
    static void start() throws Exception {
        Path users = Files.writeString(data.resolve("users.txt"),
                "# test users\nalice:wonderland\nbob:builder\nroot:toor:uws-admin\n");
        server = ExampleServer.start(ExampleOptions.builder().port(0).dataDir(data.resolve("data"))
                .usersFile(users).build());
        demo = server.jobListUrls().get("demo");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void anonymousRequestsAreAskedToAuthenticate() throws Exception {
        HttpResponse<String> r = new Http().get(demo);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate").orElse("")).startsWith("Basic");
        assertThat(new Http("alice", "wrong").get(demo).statusCode()).isEqualTo(401);
    }

    @Test
    void ownersAreIsolated() throws Exception {
        URI job = alice.createJob(demo, form("SECONDS", "0"));
        String id = job.getPath().substring(job.getPath().lastIndexOf('/') + 1);

        HttpResponse<String> own = alice.get(job);
        assertThat(own.statusCode()).isEqualTo(200);
        assertThat(own.body()).contains("<uws:ownerId>alice</uws:ownerId>");
        assertThat(alice.get(demo).body()).contains(id);

        assertThat(bob.get(job).statusCode()).isIn(403, 404);
        assertThat(bob.postForm(URI.create(job + "/phase"), form("PHASE", "RUN")).statusCode()).isIn(403, 404);
        assertThat(bob.get(demo).body()).doesNotContain(id);

        assertThat(admin.get(job).statusCode()).isEqualTo(200);
    }

    @Test
    void theAdminRoleListsEveryOwnersJobs() throws Exception {
        URI job = alice.createJob(demo, form("SECONDS", "0"));
        String id = job.getPath().substring(job.getPath().lastIndexOf('/') + 1);
        // Authorizer.ownerOnly: seesAllOwners for uws-admin, so root's view of the job list includes alice's job
        assertThat(admin.get(demo).body()).contains(id);
    }

    /**
     * /provsap reaches only the caller's jobs: another owner's job is absent (404) and a chain stops there, both
     * ways; the admin sees the whole chain.
     */
    @Test
    void provSapQueriesSeeOnlyTheCallersJobs() throws Exception {
        Duration timeout = Duration.ofSeconds(20);
        URI a = alice.createJob(demo, form("SECONDS", "0", "PHASE", "RUN"));
        alice.awaitPhase(a, "COMPLETED"::equals, timeout);
        Job bobs = server.service().create(Caller.of("bob"), DemoJobs.DEMO, JobRequest.builder()
                .parameter("SECONDS", "0").parameter(Parameter.byReference("INPUT", a + "/results/result")).run().build());
        URI b = URI.create(demo + "/" + bobs.jobId());
        bob.awaitPhase(b, "COMPLETED"::equals, timeout);
        String activityB = bobs.jobId();

        assertThat(new Http().get(provsap(a, "BACK")).statusCode()).isEqualTo(401);
        assertThat(alice.get(provsap(a, "BACK")).statusCode()).isEqualTo(200);
        assertThat(bob.get(provsap(a, "BACK")).statusCode()).isEqualTo(404);
        assertThat(alice.get(provsap(b, "BACK")).statusCode()).isEqualTo(404);

        HttpResponse<String> bobBack = bob.get(provsap(b, "BACK"));
        assertThat(bobBack.statusCode()).isEqualTo(200);
        assertThat(bobBack.body()).contains(activityB).doesNotContain("wonderland");
        HttpResponse<String> aliceForth = alice.get(provsap(a, "FORTH"));
        assertThat(aliceForth.body()).doesNotContain(activityB);
        HttpResponse<String> all = admin.get(provsap(b, "BACK"));
        assertThat(all.statusCode()).isEqualTo(200);
        assertThat(all.body()).contains(activityB).contains("\"alice\"");
        assertThat(bobBack.body()).doesNotContain("\"alice\"");
    }

    private static URI provsap(URI job, String direction) {
        return URI.create(server.provSapUri() + "?ID=" + job + "&DEPTH=ALL&DIRECTION=" + direction);
    }
}
