package org.uwskit.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.uwskit.internal.JobKernel;
import org.uwskit.testkit.Await;

/**
 * CHECKLIST item 77 (servlet implication): a client that closes its connection during {@code ?WAIT=60} must not
 * leave its waiter registered until the wait's own timeout; the server notices within a few seconds.
 */
class WaitDisconnectIT {
    /** How soon after the close the waiter must be gone: far below the 60 s of the wait. */
    private static final long RELEASE_DEADLINE_MS = 5_000;
    private static TestServer s;
    private static JobKernel service;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        s = new TestServer(p -> p.maxWait(Duration.ofSeconds(120)), b -> { });
        service = JobKernel.of(s.service).orElseThrow();
        port = URI.create(s.base).getPort();
    }

    @AfterAll
    static void stop() throws Exception {
        s.close();
    }

    /** Polls {@code value} until it equals {@code expected}; returns the milliseconds it took, fails at the deadline. */
    private static long awaitValue(IntSupplier value, int expected, long deadlineMs, String what)
            throws InterruptedException {
        return Await.until(java.time.Duration.ofMillis(deadlineMs), Await.DEFAULT_POLL,
                () -> value.getAsInt() == expected, what,
                () -> value.getAsInt() + ", expected " + expected + " within " + deadlineMs + " ms").toMillis();
    }

    private static Socket startWait(String jobId) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        OutputStream out = socket.getOutputStream();
        out.write(("GET /uws/demo/" + jobId + "?WAIT=60 HTTP/1.1\r\nHost: 127.0.0.1:" + port
                + "\r\nX-User: alice\r\nAccept: application/xml\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    @Test
    void closingTheConnectionReleasesTheWaiterPromptly() throws Exception {
        String id = s.create("alice");
        int before = service.waiterCount();
        Socket socket = startWait(id);
        awaitValue(service::waiterCount, before + 1, 10_000, "registered waiters");
        socket.close();
        long ms = awaitValue(service::waiterCount, before, RELEASE_DEADLINE_MS, "waiters after the client closed");
        System.out.println("WaitDisconnectIT: waiter released " + ms + " ms after the client closed");
        assertThat(ms).isLessThan(RELEASE_DEADLINE_MS);
        // the server is unharmed and the job still waitable
        assertThat(s.get("/demo/" + id + "?WAIT=1", "alice").xml().s("//uws:phase")).isEqualTo("PENDING");
    }

    @Test
    void aResetConnectionReleasesTheWaiterToo() throws Exception {
        String id = s.create("alice");
        int before = service.waiterCount();
        Socket socket = startWait(id);
        awaitValue(service::waiterCount, before + 1, 10_000, "registered waiters");
        socket.setSoLinger(true, 0); // close with RST instead of FIN
        socket.close();
        awaitValue(service::waiterCount, before, RELEASE_DEADLINE_MS, "waiters after the client reset");
    }

    @Test
    void aClientThatStaysGetsItsAnswer_andOthersLeavingDoNotDisturbIt() throws Exception {
        String id = s.create("alice");
        int before = service.waiterCount();
        try (Socket stays = startWait(id)) {
            Socket leaves = startWait(id);
            awaitValue(service::waiterCount, before + 2, 10_000, "registered waiters");
            leaves.close();
            awaitValue(service::waiterCount, before + 1, RELEASE_DEADLINE_MS, "waiters after one client left");
            assertThat(s.post("/demo/" + id + "/phase", "alice", "PHASE", "RUN").status()).isEqualTo(303);
            stays.setSoTimeout(10_000);
            String answer = readResponse(stays.getInputStream());
            assertThat(answer).startsWith("HTTP/1.1 200").contains("<uws:phase>QUEUED</uws:phase>");
            // the connection stays usable: Jetty reads the next request once the watch is withdrawn
            stays.getOutputStream().write(("GET /uws/demo/" + id + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "X-User: alice\r\nAccept: application/xml\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            assertThat(readResponse(stays.getInputStream())).contains("HTTP/1.1 200").contains("QUEUED");
        }
        awaitValue(service::waiterCount, before, RELEASE_DEADLINE_MS, "waiters at the end");
    }

    @Test
    void aWaitThatEndsByItselfLeavesTheConnectionUsable() throws Exception {
        String id = s.create("alice");
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(10_000);
            for (int i = 0; i < 3; i++) {
                socket.getOutputStream().write(("GET /uws/demo/" + id + "?WAIT=1 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "X-User: alice\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                assertThat(readResponse(socket.getInputStream())).as("answer %s", i).contains("HTTP/1.1 200")
                        .contains("PENDING");
            }
        }
    }

    /** Reads the status line, headers and a Content-Length or chunked body (enough for one XML answer). */
    private static String readResponse(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        byte[] buf = new byte[8192];
        while (!b.toString().contains("</uws:job>")) {
            int n = in.read(buf);
            if (n < 0) {
                break;
            }
            b.append(new String(buf, 0, n, StandardCharsets.UTF_8));
        }
        return b.toString();
    }
}
