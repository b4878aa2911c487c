package org.uwskit.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.uwskit.JobListPolicy;
import org.uwskit.Quotas;
import org.uwskit.servlet.TestServer.Multipart;
import org.uwskit.servlet.TestServer.Reply;
import org.uwskit.testkit.SettableClock;

/**
 * Per-owner quotas over HTTP in a real Jetty: each quota reached is answered 429 with {@code Retry-After} and a text
 * message naming the quota, changes nothing, and leaves other owners alone; the defaults apply to a job list that
 * configures nothing. Time is a {@link SettableClock}, so the request-rate bucket refills only when the test says.
 */
class QuotaIT {
    private final SettableClock clock = new SettableClock();

    private TestServer server(Consumer<JobListPolicy.Builder> policy) throws Exception {
        return new TestServer(policy, b -> { }, j -> j.clock(clock));
    }

    private static void assertQuota(Reply r, String quota, String retryAfter) {
        assertThat(r.status()).as(r.text()).isEqualTo(429);
        assertThat(r.header("Retry-After")).isEqualTo(retryAfter);
        assertThat(r.header("Content-Type")).startsWith("text/plain");
        assertThat(r.header("Location")).isNull();
        assertThat(r.text()).contains("quota reached (" + quota + ")");
    }

    private static int jobsOf(TestServer t, String user) throws Exception {
        return t.get("/demo", user).xml().all("//uws:jobref/@id").size();
    }

    @Test
    void requestRate_theBurstPasses_thenEveryRequestIs429UntilTheBucketRefills() throws Exception {
        try (TestServer t = server(p -> p.quotas(Quotas.builder().requestsPerSecond(0.5).requestBurst(5).build()))) {
            for (int i = 0; i < 5; i++) {
                assertThat(t.get("/demo", "alice").status()).as("request %s of the burst", i).isEqualTo(200);
            }
            assertQuota(t.get("/demo", "alice"), "request rate", "2"); // one token every 2 s
            // every kind of request to the job list counts, and a refused creation creates nothing
            assertQuota(t.post("/demo", "alice", "PHASE", "RUN"), "request rate", "2");
            assertQuota(t.method("DELETE", "/demo/" + "x".repeat(12), "alice"), "request rate", "2");
            // another owner has a bucket of its own
            assertThat(t.get("/demo", "bob").status()).isEqualTo(200);
            clock.advance(Duration.ofSeconds(2));
            assertThat(jobsOf(t, "alice")).isZero();
            assertQuota(t.get("/demo", "alice"), "request rate", "2");
            // the service root and the stylesheet are not a job list's requests
            assertThat(t.get("/", "alice").status()).isEqualTo(200);
        }
    }

    @Test
    void requestRate_anonymousCallersShareOneBucket() throws Exception {
        try (TestServer t = server(p -> p.allowAnonymous(true)
                .quotas(Quotas.builder().requestsPerSecond(1).requestBurst(2).build()))) {
            assertThat(t.get("/demo", null).status()).isEqualTo(200);
            assertThat(t.get("/demo?PHASE=QUEUED", null).status()).isEqualTo(200);
            Reply refused = t.get("/demo", null);
            assertQuota(refused, "request rate", "1");
            assertThat(refused.text()).contains("anonymous");
            assertThat(t.get("/demo", "alice").status()).isEqualTo(200);
        }
    }

    @Test
    void activeJobs_runBeyondTheQuotaIs429_atCreationAndOnPhase() throws Exception {
        try (TestServer t = server(p -> p.quotas(Quotas.builder().maxActiveJobs(2)
                .retryAfter(Duration.ofSeconds(17)).build()))) {
            String first = t.create("alice", "PHASE", "RUN");
            t.create("alice", "PHASE", "RUN");
            Reply refused = t.post("/demo", "alice", "PHASE", "RUN", "RUNID", "third");
            assertQuota(refused, "active jobs", "17");
            assertThat(refused.text()).contains("2");
            assertThat(jobsOf(t, "alice")).as("a refused creation keeps no job").isEqualTo(2);
            String pending = t.create("alice");
            assertQuota(t.post("/demo/" + pending + "/phase", "alice", "PHASE", "RUN"), "active jobs", "17");
            assertThat(t.get("/demo/" + pending + "/phase", "alice").text()).isEqualTo("PENDING");
            t.create("bob", "PHASE", "RUN");
            // when one has finished, RUN is admitted again
            assertThat(t.post("/demo/" + first + "/phase", "alice", "PHASE", "ABORT").status()).isEqualTo(303);
            assertThat(t.post("/demo/" + pending + "/phase", "alice", "PHASE", "RUN").status()).isEqualTo(303);
            assertThat(t.get("/demo/" + pending + "/phase", "alice").text()).isEqualTo("QUEUED");
        }
    }

    @Test
    void storedJobs_creationBeyondTheQuotaIs429() throws Exception {
        try (TestServer t = server(p -> p.quotas(Quotas.builder().maxStoredJobs(2).build()))) {
            t.create("alice");
            String second = t.create("alice");
            Reply refused = t.post("/demo", "alice", "A", "1");
            assertQuota(refused, "stored jobs", Long.toString(Quotas.DEFAULT_RETRY_AFTER.toSeconds()));
            assertThat(jobsOf(t, "alice")).isEqualTo(2);
            t.create("bob");
            assertThat(t.method("DELETE", "/demo/" + second, "alice").status()).isEqualTo(303);
            t.create("alice");
        }
    }

    @Test
    void uploadBytes_uploadsBeyondTheQuotaAre429_atCreationAndInParameterUpdates() throws Exception {
        try (TestServer t = server(p -> p.quotas(Quotas.builder().maxUploadBytes(1000).build()))) {
            Reply first = multipart(t, "/demo", new Multipart().part("F", "f.bin", "application/octet-stream",
                    new byte[600]));
            assertThat(first.status()).as(first.text()).isEqualTo(303);
            String job = first.header("Location");
            Reply refused = multipart(t, "/demo", new Multipart().part("F", "f.bin", "application/octet-stream",
                    new byte[401]));
            assertQuota(refused, "upload bytes", Long.toString(Quotas.DEFAULT_RETRY_AFTER.toSeconds()));
            assertThat(refused.text()).contains("1000");
            assertThat(jobsOf(t, "alice")).isEqualTo(1);
            Reply update = multipart(t, job + "/parameters", new Multipart().part("G", "g.bin",
                    "application/octet-stream", new byte[401]));
            assertQuota(update, "upload bytes", Long.toString(Quotas.DEFAULT_RETRY_AFTER.toSeconds()));
            assertThat(t.get(job + "/parameters/G", "alice").status()).isEqualTo(404);
            // up to the quota is fine, and another owner has its own
            assertThat(multipart(t, job + "/parameters", new Multipart().part("G", "g.bin",
                    "application/octet-stream", new byte[400])).status()).isEqualTo(303);
            Reply bob = t.send(t.request("/demo", "bob").header("Content-Type", new Multipart().contentType())
                    .POST(new Multipart().part("F", "f.bin", "application/octet-stream", new byte[1000]).publisher())
                    .build());
            assertThat(bob.status()).as(bob.text()).isEqualTo(303);
        }
    }

    @Test
    void theDefaultsApplyToAJobListThatConfiguresNothing() throws Exception {
        try (TestServer t = server(p -> { })) {
            for (int i = 0; i < Quotas.DEFAULT_MAX_ACTIVE_JOBS; i++) {
                t.create("alice", "PHASE", "RUN");
            }
            assertQuota(t.post("/demo", "alice", "PHASE", "RUN"), "active jobs",
                    Long.toString(Quotas.DEFAULT_RETRY_AFTER.toSeconds()));
            // the clock has not moved: the burst is what is left of the default bucket
            int left = Quotas.DEFAULT_REQUEST_BURST - Quotas.DEFAULT_MAX_ACTIVE_JOBS - 1;
            for (int i = 0; i < left; i++) {
                assertThat(t.get("/demo?LAST=1", "alice").status()).isEqualTo(200);
            }
            assertQuota(t.get("/demo?LAST=1", "alice"), "request rate", "1");
        }
    }

    private static Reply multipart(TestServer t, String path, Multipart m) throws Exception {
        return t.send(t.request(path, "alice").header("Content-Type", m.contentType()).POST(m.publisher()).build());
    }
}
