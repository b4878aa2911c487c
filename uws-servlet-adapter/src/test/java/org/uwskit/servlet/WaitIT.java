package org.uwskit.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.uwskit.servlet.TestServer.Reply;
import org.uwskit.testkit.Await;

/** CHECKLIST section Q (items 70-77): blocking GET with WAIT and PHASE, served asynchronously. */
class WaitIT {
    private static final long CAP_MS = 4000;
    private static TestServer s;

    @BeforeAll
    static void start() throws Exception {
        s = new TestServer(p -> p.maxWait(Duration.ofMillis(CAP_MS)), b -> { });
    }

    @AfterAll
    static void stop() throws Exception {
        s.close();
    }

    private static long timed(ThrowingRunnable r) throws Exception {
        long t0 = System.nanoTime();
        r.run();
        return (System.nanoTime() - t0) / 1_000_000;
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    private CompletableFuture<HttpResponse<byte[]>> waitAsync(String path) {
        return s.client.sendAsync(s.request(path, "alice").GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Polls until the servlet has suspended {@code n} requests in total, failing after a deadline. */
    private static void awaitSuspended(int n) throws InterruptedException {
        Await.until(java.time.Duration.ofSeconds(10), Await.DEFAULT_POLL, () -> s.suspended.get() >= n,
                "requests suspended", () -> s.suspended.get() + " of " + n);
    }

    @Test
    void item72_finishedJobsReturnAtOnce() throws Exception {
        String id = s.create("alice");
        s.post("/demo/" + id + "/phase", "alice", "PHASE", "ABORT");
        long ms = timed(() -> assertThat(s.get("/demo/" + id + "?WAIT=100", "alice").xml().s("//uws:phase"))
                .isEqualTo("ABORTED"));
        assertThat(ms).isLessThan(1500);
    }

    @Test
    void item75_aDifferentPhaseReturnsAtOnce_theSamePhaseBlocks() throws Exception {
        String id = s.create("alice");
        long ms = timed(() -> assertThat(s.get("/demo/" + id + "?WAIT=10&PHASE=QUEUED", "alice").xml()
                .s("//uws:phase")).isEqualTo("PENDING"));
        assertThat(ms).isLessThan(1500);
        long blocked = timed(() -> assertThat(s.get("/demo/" + id + "?WAIT=2&PHASE=PENDING", "alice").status())
                .isEqualTo(200));
        assertThat(blocked).isBetween(1900L, 3900L);
    }

    @Test
    void item73_item74_item76_waitIsBoundedByTheValueAndByTheCap() throws Exception {
        String id = s.create("alice");
        long two = timed(() -> s.get("/demo/" + id + "?WAIT=2", "alice").xml());
        assertThat(two).isBetween(1900L, 3900L);
        long capped = timed(() -> s.get("/demo/" + id + "?WAIT=-1", "alice").xml());
        assertThat(capped).isBetween(CAP_MS - 100, CAP_MS + 2000);
        long capped2 = timed(() -> s.get("/demo/" + id + "?WAIT=1000", "alice").xml());
        assertThat(capped2).isBetween(CAP_MS - 100, CAP_MS + 2000);
    }

    @Test
    void item71_aPhaseChangeEndsTheWaitEarly() throws Exception {
        String id = s.create("alice");
        int before = s.suspended.get();
        CompletableFuture<HttpResponse<byte[]>> waiter = waitAsync("/demo/" + id + "?WAIT=-1");
        awaitSuspended(before + 1);
        long t0 = System.nanoTime();
        assertThat(s.post("/demo/" + id + "/phase", "alice", "PHASE", "RUN").status()).isEqualTo(303);
        HttpResponse<byte[]> r = waiter.get(CAP_MS, TimeUnit.MILLISECONDS);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(new Reply(r).xml().s("//uws:phase")).isEqualTo("QUEUED");
        assertThat(ms).isLessThan(1000);
    }

    @Test
    void deletingAJobEndsItsWaiters() throws Exception {
        String id = s.create("alice");
        int before = s.suspended.get();
        CompletableFuture<HttpResponse<byte[]>> waiter = waitAsync("/demo/" + id + "?WAIT=-1&PHASE=PENDING");
        awaitSuspended(before + 1);
        assertThat(s.method("DELETE", "/demo/" + id, "alice").status()).isEqualTo(303);
        long t0 = System.nanoTime();
        HttpResponse<byte[]> r = waiter.get(CAP_MS, TimeUnit.MILLISECONDS);
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(1000);
        // the deletion aborts the active job first (a phase change) or removes it (404): both end the wait
        if (r.statusCode() == 200) {
            assertThat(new Reply(r).xml().s("//uws:phase")).isEqualTo("ABORTED");
        } else {
            assertThat(r.statusCode()).isEqualTo(404);
        }
        assertThat(s.get("/demo/" + id, "alice").status()).isEqualTo(404);
    }

    @Test
    void item77_waitZeroAndMalformedValues() throws Exception {
        String id = s.create("alice");
        long ms = timed(() -> s.get("/demo/" + id + "?WAIT=0", "alice").xml());
        assertThat(ms).isLessThan(1500);
        for (String bad : new String[] {"WAIT=abc", "WAIT=-2", "WAIT=1.5", "WAIT=5&PHASE=FOO"}) {
            Reply r = s.get("/demo/" + id + "?" + bad, "alice");
            assertThat(r.status()).as(bad).isEqualTo(400);
            assertThat(r.text()).as(bad).contains(bad.contains("FOO") ? "PHASE" : "WAIT");
        }
        assertThat(s.get("/demo/nope?WAIT=5", "alice").status()).isEqualTo(404);
    }

    @Test
    void item70_waitHasNoEffectOnOtherResources() throws Exception {
        String id = s.create("alice");
        long ms = timed(() -> assertThat(s.get("/demo/" + id + "/phase?WAIT=30", "alice").text()).isEqualTo("PENDING"));
        assertThat(ms).isLessThan(1500);
        long list = timed(() -> s.get("/demo?WAIT=30", "alice").xml());
        assertThat(list).isLessThan(1500);
    }
}
