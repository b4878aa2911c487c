package org.uwskit.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.uwskit.memory.InMemoryJobStore;
import org.uwskit.servlet.internal.ManagerResources;

/**
 * The job manager's resources over HTTP in real Jetty: its static files ({@code /_manager/}) with their security
 * headers and ETag, and the job lists' {@code events} streams: only the caller's jobs, with and without a change
 * feed, bounded per owner, ended when the servlet stops.
 */
class JobEventsIT {

    @Test
    void managerFilesCarryAStrictPolicyAndAnETag() throws Exception {
        try (TestServer s = new TestServer()) {
            TestServer.Reply page = s.get("/_manager/", "alice");
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.header("Content-Type")).startsWith("text/html");
            assertThat(page.header("Content-Security-Policy")).isEqualTo(ManagerResources.CSP).contains("script-src 'self'")
                    .doesNotContain("unsafe");
            assertThat(page.header("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(page.text()).contains("<script type=\"module\" src=\"app.js\"></script>")
                    .doesNotContainPattern("<script(?![^>]*\\ssrc=)")
                    .contains("<a href=\"../demo\">demo</a>"); // the no-script fallback
            String etag = page.header("ETag");
            assertThat(etag).isNotBlank();
            assertThat(s.get("/_manager/", "alice", "If-None-Match", etag).status()).isEqualTo(304);
            TestServer.Reply js = s.get("/_manager/app.js", null);
            assertThat(js.status()).isEqualTo(200);
            assertThat(js.header("Content-Type")).startsWith("text/javascript");
            assertThat(js.header("Content-Security-Policy")).isEqualTo(ManagerResources.CSP);
            TestServer.Reply bare = s.get("/_manager", null);
            assertThat(bare.status()).isEqualTo(301);
            assertThat(bare.header("Location")).endsWith("/uws/_manager/");
            TestServer.Reply unknown = s.get("/_manager/..%2Fsecret", null);
            assertThat(unknown.status()).isIn(400, 404);
            assertThat(s.get("/_manager/nothing.js", null).status()).isEqualTo(404);
            assertThat(s.method("POST", "/_manager/", "alice").status()).isEqualTo(405);
        }
    }

    @Test
    void managerCanBeTurnedOff() throws Exception {
        try (TestServer s = new TestServer(p -> { }, b -> b.manager(false))) {
            assertThat(s.get("/_manager/", "alice").status()).isEqualTo(404);
            assertThat(s.get("/demo/events", "alice").status()).isEqualTo(404);
        }
    }

    /** Lines of one event stream, read in the background. */
    private static final class Events implements AutoCloseable {
        final HttpResponse<Stream<String>> response;
        final Iterator<String> lines;

        Events(TestServer s, String list, String user) throws Exception {
            response = s.client.send(s.request("/" + list + "/events", user).GET().build(),
                    HttpResponse.BodyHandlers.ofLines());
            lines = response.body().iterator();
        }

        /** The data line of the next event named {@code name} (other events are skipped, but kept in seen). */
        String next(String name, StringBuilder seen) throws Exception {
            CompletableFuture<String> f = CompletableFuture.supplyAsync(() -> {
                String event = null;
                while (lines.hasNext()) {
                    String l = lines.next();
                    seen.append(l).append('\n');
                    if (l.startsWith("event: ")) {
                        event = l.substring(7);
                    } else if (l.startsWith("data: ") && name.equals(event)) {
                        return l.substring(6);
                    }
                }
                return null;
            });
            return f.get(10, TimeUnit.SECONDS);
        }

        @Override
        public void close() {
            response.body().close();
        }
    }

    @Test
    void aStreamCarriesOnlyTheCallersJobsFromTheChangeFeed() throws Exception {
        InMemoryJobStore store = new InMemoryJobStore();
        try (TestServer s = new TestServer(p -> { }, b -> b.changeFeed(store), j -> j.store(store))) {
            try (Events alice = new Events(s, "demo", "alice")) {
                assertThat(alice.response.statusCode()).isEqualTo(200);
                assertThat(alice.response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
                StringBuilder seen = new StringBuilder();
                assertThat(alice.next("ready", seen)).isEqualTo("{}");
                assertThat(seen.toString()).startsWith("retry: 3000\n");
                String bobs = s.create("bob", "RUNID", "bob's", "PHASE", "RUN");
                String alices = s.create("alice", "RUNID", "alice's");
                String data = alice.next("job", seen);
                assertThat(data).contains(alices).contains("\"phase\":\"PENDING\"");
                s.post("/demo/" + alices + "/phase", "alice", "PHASE", "RUN");
                s.engine.dispatch();
                s.backend.events(alices).progress(0.4, "forty");
                s.backend.events(bobs).progress(0.9, "bob's ninety");
                String change;
                do {
                    change = alice.next("job", seen);
                } while (!change.contains("forty"));
                assertThat(change).contains(alices).contains("\"phase\":\"EXECUTING\"").contains("\"progress\":\"0.400\"");
                assertThat(s.method("DELETE", "/demo/" + alices, "alice").status()).isEqualTo(303);
                assertThat(alice.next("deleted", seen)).isEqualTo("{\"jobId\":\"" + alices + "\"}");
                assertThat(seen.toString()).doesNotContain(bobs).doesNotContain("bob's");
            }
        }
    }

    @Test
    void withoutAFeedTheActiveJobsAreReRead() throws Exception {
        try (TestServer s = new TestServer()) {
            try (Events alice = new Events(s, "demo", "alice")) {
                StringBuilder seen = new StringBuilder();
                alice.next("ready", seen);
                String id = s.create("alice", "PHASE", "RUN");
                s.engine.dispatch();
                s.backend.events(id).progress(0.5, "half");
                String change;
                do {
                    change = alice.next("job", seen);
                } while (!change.contains("half"));
                assertThat(change).contains(id).contains("EXECUTING");
            }
        }
    }

    @Test
    void streamsAreBoundedPerOwnerAndEndWhenTheServletStops() throws Exception {
        TestServer s = new TestServer(p -> { }, b -> b.maxEventStreamsPerOwner(1));
        try (Events first = new Events(s, "demo", "alice")) {
            first.next("ready", new StringBuilder());
            TestServer.Reply second = s.get("/demo/events", "alice");
            assertThat(second.status()).isEqualTo(429);
            assertThat(second.text()).contains("event streams open already");
            try (Events bob = new Events(s, "demo", "bob")) {
                assertThat(bob.response.statusCode()).isEqualTo(200);
            }
            assertThat(s.get("/demo/events", null).status()).isEqualTo(403); // the job list's own access rule
            try (Events anonymous = new Events(s, "open", null)) {
                assertThat(anonymous.response.statusCode()).isEqualTo(200);
                // anonymous callers are counted per client address (all of this test's come from 127.0.0.1)
                assertThat(s.get("/open/events", null).status()).isEqualTo(429);
            }
            s.close();
            CompletableFuture<Boolean> ended = CompletableFuture.supplyAsync(() -> {
                try {
                    while (first.lines.hasNext()) {
                        first.lines.next();
                    }
                } catch (java.io.UncheckedIOException closed) {
                    // the connection was closed: ended too
                }
                return true;
            });
            assertThat(ended.get(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            s.close();
        }
    }
}
