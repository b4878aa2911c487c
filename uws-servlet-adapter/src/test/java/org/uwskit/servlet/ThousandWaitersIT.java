package org.uwskit.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.uwskit.xml.UwsSchema;
import org.uwskit.testkit.Await;

/**
 * CHECKLIST item 77 (servlet implication): 1,000 clients blocked in {@code WAIT} on a container pool of at most
 * {@value TestServer#MAX_THREADS} threads hold no thread, other requests keep answering quickly, and every waiter
 * returns on the phase change.
 */
class ThousandWaitersIT {
    private static final int WAITERS = 1000;

    @Test
    void thousandWaitersOnTwentyThreads() throws Exception {
        try (TestServer s = new TestServer(p -> p.maxWait(Duration.ofSeconds(120))
                .quotas(org.uwskit.Quotas.unlimited()), b -> { })) {
            String id = s.create("alice");
            s.post("/demo/" + id + "/phase", "alice", "PHASE", "RUN");
            assertThat(s.get("/demo/" + id + "/phase", "alice").text()).isEqualTo("QUEUED");

            List<CompletableFuture<HttpResponse<byte[]>>> waiters = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int i = 0; i < WAITERS; i++) {
                waiters.add(s.client.sendAsync(s.request("/demo/" + id + "?WAIT=-1&PHASE=QUEUED", "alice").GET().build(),
                        HttpResponse.BodyHandlers.ofByteArray()));
            }
            Await.until(java.time.Duration.ofSeconds(60), java.time.Duration.ofMillis(10), () -> {
                assertThat(waiters.stream().filter(CompletableFuture::isDone).count()).as("waiters ended early").isZero();
                return s.suspended.get() >= WAITERS;
            }, "suspended", () -> s.suspended.get() + " of " + WAITERS);
            long suspendMs = (System.nanoTime() - t0) / 1_000_000;
            assertThat(s.pool.getMaxThreads()).isLessThanOrEqualTo(TestServer.MAX_THREADS);
            assertThat(s.pool.getThreads()).isLessThanOrEqualTo(TestServer.MAX_THREADS);

            // other requests keep answering quickly while 1,000 are suspended
            long[] latencies = new long[50];
            for (int i = 0; i < latencies.length; i++) {
                long t = System.nanoTime();
                assertThat(s.get(i % 2 == 0 ? "/demo/" + id + "/phase" : "/demo?LAST=5", "alice").status()).isEqualTo(200);
                latencies[i] = (System.nanoTime() - t) / 1_000;
            }
            int busy = s.pool.getBusyThreads();
            Arrays.sort(latencies);
            assertThat(latencies[latencies.length - 1]).as("slowest other request (µs)").isLessThan(1_000_000);
            assertThat(waiters.stream().filter(CompletableFuture::isDone).count()).isZero();

            long t1 = System.nanoTime();
            assertThat(s.engine.dispatch()).isEqualTo(1); // QUEUED -> EXECUTING
            CompletableFuture.allOf(waiters.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            long releaseMs = (System.nanoTime() - t1) / 1_000_000;
            int checked = 0;
            for (CompletableFuture<HttpResponse<byte[]>> w : waiters) {
                HttpResponse<byte[]> r = w.get();
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("<uws:phase>EXECUTING</uws:phase>");
                if (checked++ % 50 == 0) {
                    UwsSchema.instance().validate(r.body());
                }
            }
            System.out.printf("ThousandWaitersIT: %d waiters suspended in %d ms on <= %d threads (busy while waiting: %d);"
                            + " other requests median %d µs, max %d µs; all released %d ms after the phase change%n",
                    WAITERS, suspendMs, TestServer.MAX_THREADS, busy, latencies[latencies.length / 2],
                    latencies[latencies.length - 1], releaseMs);
        }
    }
}
