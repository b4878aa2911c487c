package org.uwskit.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.uwskit.JobDefinition;
import org.uwskit.JobList;
import org.uwskit.JobListPolicy;
import org.uwskit.ParameterDefinition;
import org.uwskit.ParameterType;
import org.uwskit.servlet.TestServer.Multipart;
import org.uwskit.servlet.TestServer.Reply;

/**
 * Issue 8, findings 2, 4, 6 (internal errors), 7, 8, 9 (parsing) and 10 (other owners' jobs, job lists per mount)
 * at the HTTP level in a real Jetty: each test failed on the code before the fix.
 */
class HardeningIT {
    private static TestServer s;

    @BeforeAll
    static void start() throws Exception {
        s = new TestServer(p -> { }, b -> { }, j -> j
                // declares parameters but no file: takes no upload
                .jobList(JobList.builder("typed").definition(JobDefinition.builder("typed")
                        .parameter(ParameterDefinition.builder("SECONDS", ParameterType.REAL).defaultValue("1"))
                        .parameter(ParameterDefinition.builder("N", ParameterType.INTEGER).defaultValue("1"))
                        .build()).policy(JobListPolicy.builder().allowAnonymous(true).build()).build())
                // declares one FILE: takes exactly that upload
                .jobList(JobList.builder("withfile").definition(JobDefinition.builder("withfile")
                        .parameter(ParameterDefinition.builder("DATA", ParameterType.FILE).required())
                        .build()).policy(JobListPolicy.builder().allowAnonymous(true).build()).build()));
    }

    @AfterAll
    static void stop() throws Exception {
        s.close();
    }

    private static Reply postMultipart(String path, String user, Multipart m) throws Exception {
        return s.send(s.request(path, user).header("Content-Type", m.contentType()).POST(m.publisher()).build());
    }

    private static void assertText4xx(Reply r, int status, String... contains) {
        assertThat(r.status()).as(r.text()).isEqualTo(status);
        assertThat(r.header("Content-Type")).startsWith("text/plain");
        assertThat(r.text()).contains(contains).doesNotContain("Exception").doesNotContain("at org.");
    }

    // ------------------------------------------------------------ finding 4

    @Test
    void finding4_emptyMediaRangesInAcceptAreNeverA500() throws Exception {
        String job = "/demo/" + s.create("alice", "outcome", "complete");
        s.post(job + "/phase", "alice", "PHASE", "RUN");
        s.engine.dispatch();
        for (String accept : List.of(";", ",;", "text/html,;", ";;,,", "text/html;q=1d")) {
            for (String path : List.of("/demo", job, job + "/results", job + "/parameters")) {
                Reply r = s.get(path, "alice", "Accept", accept);
                assertThat(r.status()).as("Accept '%s' on %s: %s", accept, path, r.text()).isEqualTo(200);
                // XML, or the HTML page for a client that names text/html
                assertThat(r.header("Content-Type")).as(accept)
                        .startsWith(accept.startsWith("text/html,") ? "text/html" : "application/xml");
            }
        }
    }

    // ------------------------------------------------------------ finding 2

    @Test
    void finding2_uploadsAreServedSoABrowserNeverRendersThemAsThePage() throws Exception {
        byte[] script = "<html><script>alert(document.cookie)</script></html>".getBytes(StandardCharsets.UTF_8);
        byte[] svg = "<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"
                .getBytes(StandardCharsets.UTF_8);
        Reply created = postMultipart("/demo", "alice", new Multipart()
                .part("page", "x.html", "text/html", script)
                .part("pic", "x.svg", "image/svg+xml", svg)
                .part("xh", "x.xhtml", "application/xhtml+xml", script)
                .part("plain", "x.txt", "text/plain", "just text".getBytes(StandardCharsets.UTF_8)));
        assertThat(created.status()).as(created.text()).isEqualTo(303);
        String job = created.header("Location");
        for (String active : List.of("page", "pic", "xh")) {
            Reply r = s.get(job + "/parameters/" + active, "alice");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("Content-Disposition")).as(active).startsWith("attachment");
            assertThat(r.header("Content-Security-Policy")).as(active).isEqualTo("sandbox; default-src 'none'");
            assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
        }
        Reply plain = s.get(job + "/parameters/plain", "alice");
        assertThat(plain.header("Content-Disposition")).isNull();
        assertThat(plain.header("Content-Security-Policy")).isEqualTo("sandbox; default-src 'none'");
        assertThat(plain.header("X-Content-Type-Options")).isEqualTo("nosniff");
        // every answer, documents and errors included, says nosniff
        assertThat(s.get(job, "alice").header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(s.get("/demo/nosuchjob", "alice").header("X-Content-Type-Options")).isEqualTo("nosniff");
    }

    @Test
    void finding2_resultsWrittenByJobLogicAreServedTheSameWay() throws Exception {
        String id = s.create("alice");
        s.post("/demo/" + id + "/phase", "alice", "PHASE", "RUN");
        s.engine.dispatch();
        var ev = s.backend.events(id);
        try (OutputStream out = ev.openResult("page", "text/html")) {
            out.write("<script>alert(1)</script>".getBytes(StandardCharsets.UTF_8));
        }
        ev.completed();
        Reply r = s.get("/demo/" + id + "/results/page", "alice");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.header("Content-Type")).startsWith("text/html");
        assertThat(r.header("Content-Disposition")).isEqualTo("attachment; filename=\"page\"");
        assertThat(r.header("Content-Security-Policy")).isEqualTo("sandbox; default-src 'none'");
        assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
    }

    @Test
    void finding2_jobTypesThatDeclareNoUploadRefuseUploadParts() throws Exception {
        int before = s.get("/typed", null).xml().all("//uws:jobref/@id").size();
        Reply refused = postMultipart("/typed", null, new Multipart().field("N", "2")
                .part("evil", "e.html", "text/html", "<script></script>".getBytes(StandardCharsets.UTF_8)));
        assertText4xx(refused, 400, "'evil'", "takes no file uploads");
        Reply wrongPart = postMultipart("/withfile", null, new Multipart()
                .part("DATA", "d.txt", "text/plain", "x".getBytes(StandardCharsets.UTF_8))
                .part("OTHER", "o.txt", "text/plain", "y".getBytes(StandardCharsets.UTF_8)));
        assertText4xx(wrongPart, 400, "'OTHER'", "takes files only as DATA");
        Reply declared = postMultipart("/withfile", null, new Multipart()
                .part("DATA", "d.txt", "text/plain", "x".getBytes(StandardCharsets.UTF_8)));
        assertThat(declared.status()).as(declared.text()).isEqualTo(303);
        // nothing was stored for the refused requests
        assertThat(s.get("/typed", null).xml().all("//uws:jobref/@id")).hasSize(before);
    }

    // ------------------------------------------------------------ finding 9 (parsing)

    @Test
    void finding9_numbersAndControlValuesAreStrictAscii() throws Exception {
        assertText4xx(s.get("/demo?LAST=%D9%A3", "alice"), 400, "LAST=");
        assertText4xx(s.post("/demo", "alice", "PHASE", "RUN\0"), 400, "PHASE=", "control character");
        String job = "/demo/" + s.create("alice");
        assertText4xx(s.post(job + "/phase", "alice", "PHASE", "RUN\0"), 400, "control character");
        assertText4xx(s.post(job, "alice", "ACTION", "DELETE\0"), 400, "control character");
        assertThat(s.get(job + "/phase", "alice").text()).isEqualTo("PENDING");
        assertText4xx(s.get(job + "?WAIT=%D9%A3", "alice"), 400, "WAIT=");
        assertText4xx(s.post(job + "/executionduration", "alice", "EXECUTIONDURATION", "1d"), 400,
                "EXECUTIONDURATION=");
        assertText4xx(s.post(job + "/executionduration", "alice", "EXECUTIONDURATION", "\u0663"), 400,
                "EXECUTIONDURATION=");
        for (String bad : List.of("1d", "1f", "0x10", "NaN", "\u0663")) {
            assertText4xx(s.post("/typed", null, "SECONDS", bad), 400, "SECONDS", "is not a number");
            assertText4xx(s.post("/typed", null, "N", bad), 400, "N", "is not an integer");
        }
        assertThat(s.post("/typed", null, "SECONDS", " 1.5e1 ", "N", "-3").status()).isEqualTo(303);
        assertThat(s.post(job + "/executionduration", "alice", "EXECUTIONDURATION", "3600.0").status())
                .isEqualTo(303);
    }

    // ------------------------------------------------------------ finding 8

    @Test
    void finding8_crossSiteStateChangesAreRefusedAndPlainClientsPass() throws Exception {
        String origin = "http://" + URI.create(s.base).getAuthority();
        for (String[] h : List.of(new String[] {"Origin", "http://evil.example"}, new String[] {"Origin", "null"},
                new String[] {"Sec-Fetch-Site", "cross-site"})) {
            Reply create = s.send(s.request("/demo", "alice").header(h[0], h[1])
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("A=1")).build());
            assertText4xx(create, 403, "cross-site");
        }
        String job = "/demo/" + s.create("alice"); // no Origin: pyvo, STILTS, curl
        Reply del = s.send(s.request(job, "alice").header("Origin", "http://evil.example")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("ACTION=DELETE")).build());
        assertText4xx(del, 403, "cross-site");
        Reply del2 = s.send(s.request(job, "alice").header("Origin", "https://evil.example")
                .method("DELETE", HttpRequest.BodyPublishers.noBody()).build());
        assertText4xx(del2, 403, "cross-site");
        Reply put = s.send(s.request(job + "/parameters/A", "alice").header("Origin", "http://evil.example")
                .PUT(HttpRequest.BodyPublishers.ofString("2")).build());
        assertText4xx(put, 403, "cross-site");
        assertThat(s.get(job + "/phase", "alice").text()).isEqualTo("PENDING");
        // the service's own pages (same origin) keep working
        Reply same = s.send(s.request(job, "alice").header("Origin", origin).header("Sec-Fetch-Site", "same-origin")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("ACTION=DELETE")).build());
        assertThat(same.status()).as(same.text()).isEqualTo(303);
        // reading is never refused
        assertThat(s.get("/demo", "alice", "Origin", "http://evil.example").status()).isEqualTo(200);
    }

    @Test
    void finding8_allowedOriginsAreConfigurable() throws Exception {
        try (TestServer t = new TestServer(p -> { }, b -> b.allowedOrigins("https://portal.example"))) {
            Reply ok = t.send(t.request("/demo", "alice").header("Origin", "https://portal.example")
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("A=1")).build());
            assertThat(ok.status()).as(ok.text()).isEqualTo(303);
            Reply other = t.send(t.request("/demo", "alice").header("Origin", "https://other.example")
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("A=1")).build());
            assertThat(other.status()).isEqualTo(403);
        }
    }

    // ------------------------------------------------------------ finding 7

    @Test
    void finding7_aPublicBaseUrlFixesEveryLinkWhateverHostSays() throws Exception {
        try (TestServer t = new TestServer(p -> { }, b -> b.publicBaseUrl(URI.create("https://uws.example.org/x/")))) {
            URI base = URI.create(t.base);
            String created = raw(base, "POST /uws/demo HTTP/1.1\r\nHost: evil.example\r\nX-User: alice\r\n"
                    + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 3\r\nConnection: close\r\n"
                    + "\r\nA=1");
            assertThat(created).startsWith("HTTP/1.1 303");
            String location = header(created, "Location");
            assertThat(location).startsWith("https://uws.example.org/x/uws/demo/");
            // Jetty refuses an absolute-form target whose authority differs from Host; with both saying evil.example
            String absoluteForm = raw(base, "POST http://evil.example:1/uws/demo HTTP/1.1\r\nHost: evil.example:1"
                    + "\r\nX-User: alice\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 3\r\n"
                    + "Connection: close\r\n\r\nA=1");
            assertThat(header(absoluteForm, "Location")).as(absoluteForm).startsWith("https://uws.example.org/x/uws/demo/");
            String job = location.substring(location.lastIndexOf('/') + 1);
            String doc = raw(base, "GET /uws/demo/" + job + "/parameters HTTP/1.1\r\nHost: evil.example\r\n"
                    + "X-User: alice\r\nConnection: close\r\n\r\n");
            assertThat(doc).doesNotContain("evil.example");
            String list = raw(base, "GET /uws/demo HTTP/1.1\r\nHost: evil.example\r\nX-User: alice\r\n"
                    + "Connection: close\r\n\r\n");
            assertThat(list).contains("xlink:href=\"https://uws.example.org/x/uws/demo/" + job + "\"")
                    .doesNotContain("evil.example");
            // the base URL's origin is the service's own for the cross-site check
            Reply fromPublic = t.send(t.request("/demo", "alice").header("Origin", "https://uws.example.org")
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("A=1")).build());
            assertThat(fromPublic.status()).as(fromPublic.text()).isEqualTo(303);
        }
    }

    /** One HTTP/1.1 exchange on a raw socket (HttpClient may not set Host or send an absolute-form target). */
    static String raw(URI base, String request) throws IOException {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            return all.toString(StandardCharsets.UTF_8);
        }
    }

    static String header(String response, String name) {
        for (String line : response.split("\r\n")) {
            if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
                return line.substring(name.length() + 1).trim();
            }
            if (line.isEmpty()) {
                break;
            }
        }
        return null;
    }

    // ------------------------------------------------------------ finding 10

    @Test
    void finding10_otherOwnersJobsCanBeAnsweredLikeUnknownIds() throws Exception {
        String a = s.create("alice");
        assertThat(s.get("/demo/" + a, "bob").status()).isEqualTo(403); // the default: as UWS 1.1 asks
        try (TestServer t = new TestServer(p -> { }, b -> b.hideOtherOwnersJobs(true))) {
            String id = t.create("alice");
            String unknown = id.substring(0, id.length() - 1) + (id.endsWith("a") ? "b" : "a");
            for (String sub : List.of("", "/phase", "/parameters", "/results", "/error")) {
                Reply other = t.get("/demo/" + id + sub, "bob");
                Reply none = t.get("/demo/" + unknown + sub, "bob");
                assertThat(other.status()).as(sub).isEqualTo(404);
                assertThat(other.text()).as(sub).isEqualTo(none.text().replace(unknown, id));
            }
            assertThat(t.post("/demo/" + id, "bob", "ACTION", "DELETE").status()).isEqualTo(404);
            assertThat(t.get("/demo/" + id + "/phase", "alice").text()).isEqualTo("PENDING");
        }
    }

    @Test
    void finding10_aServletCanServeSomeJobListsOnly() throws Exception {
        try (TestServer t = new TestServer(p -> { }, b -> b.jobLists("open"))) {
            assertThat(t.get("/open", null).status()).isEqualTo(200);
            assertText4xx(t.get("/demo", "alice"), 404, "no job list 'demo'");
            assertThat(t.post("/demo", "alice", "A", "1").status()).isEqualTo(404);
            assertThat(t.get("", null).text()).contains("/uws/open").doesNotContain("/uws/demo");
        }
    }

    // ------------------------------------------------------------ finding 6 (internal errors)

    @Test
    void finding6_internalErrorsShowAReferenceAndNothingInternal() throws Exception {
        try (TestServer t = new TestServer(p -> { }, b -> b.documentProvider(new Broken()))) {
            String id = t.create("alice");
            Reply r = t.get("/demo/" + id + "/broken", "alice");
            assertThat(r.status()).isEqualTo(500);
            assertThat(r.text()).matches("internal error \\(reference [0-9a-f]+-[0-9]+\\); the server log has the "
                    + "details\\n").doesNotContain("Broken").doesNotContain("uwskit");
        }
    }

    @Test
    void finding6_malformedMultipartBodiesAre400WithoutContainerClassNames() throws Exception {
        for (String body : List.of("garbage", "--xyz\r\nContent-Disposition: form-data\r\n\r\nv\r\n--xyz",
                "--xyz\r\nno colon header\r\n\r\nv\r\n--xyz--\r\n")) {
            Reply r = s.send(s.request("/demo", "alice").header("Content-Type", "multipart/form-data; boundary=xyz")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build());
            assertThat(r.status()).as(body + ": " + r.text()).isBetween(400, 499);
            assertThat(r.text()).as(body).doesNotContain("Exception").doesNotContain("org.eclipse")
                    .doesNotContain("at org.");
        }
    }

    /** A document provider whose writer fails with an exception naming internals. */
    private static final class Broken implements org.uwskit.spi.JobDocumentProvider {
        @Override
        public String name() {
            return "broken";
        }

        @Override
        public List<String> mediaTypes() {
            return List.of("text/plain");
        }

        @Override
        public List<String> formatNames() {
            return List.of("text");
        }

        @Override
        public boolean appliesTo(org.uwskit.Job job, JobList list) {
            return true;
        }

        @Override
        public void write(org.uwskit.Job job, JobList list, org.uwskit.spi.JobLinks links, String mediaType,
                          OutputStream out) {
            throw new IllegalStateException("org.uwskit.internal.Secret failed at Broken.java:42");
        }
    }
}
