package org.uwskit.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

/**
 * A WAIT longer than the connector's idle timeout: the suspended request does no I/O while it waits, so the
 * container's idle timeout must not cut it short (the README tells hosts to keep idleTimeout above maxWait anyway).
 */
class IdleTimeoutIT {
    @Test
    void waitOutlivesAShortIdleTimeout() throws Exception {
        try (TestServer s = new TestServer(p -> p.maxWait(Duration.ofSeconds(10)), b -> { })) {
            ((ServerConnector) s.server.getConnectors()[0]).setIdleTimeout(1000);
            String id = s.create("alice");
            long t0 = System.nanoTime();
            TestServer.Reply r = s.get("/demo/" + id + "?WAIT=3", "alice");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            System.out.println("IdleTimeoutIT: status " + r.status() + " after " + ms + " ms: " + r.text().lines().findFirst().orElse(""));
            assertThat(r.status()).isEqualTo(200);
            assertThat(ms).isGreaterThanOrEqualTo(2900);
        }
    }
}
