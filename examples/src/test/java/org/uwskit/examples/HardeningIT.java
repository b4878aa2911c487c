package org.uwskit.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.uwskit.examples.Http.form;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8 findings where the example server was at fault (4 on /provsap, 5, 6, 7, 8 with a login, 10), through real
 * Jetty on an ephemeral port, mostly on raw sockets so that headers are sent exactly as an attacker would.
 */
class HardeningIT {
    @TempDir
    static Path data;
    static ExampleServer open;
    static ExampleServer auth;
    static URI openBase;
    static URI authBase;

    @BeforeAll
    static void start() throws Exception {
        open = ExampleServer.start(ExampleOptions.builder().port(0).dataDir(data.resolve("open"))
                .store(ExampleOptions.STORE_MEMORY).build());
        Path users = Files.writeString(data.resolve("users.txt"), "alice:wonderland\n");
        auth = ExampleServer.start(ExampleOptions.builder().port(0).dataDir(data.resolve("auth"))
                .store(ExampleOptions.STORE_MEMORY).usersFile(users).build());
        openBase = open.baseUri();
        authBase = auth.baseUri();
    }

    @AfterAll
    static void stop() {
        open.close();
        auth.close();
    }

    /** One HTTP/1.1 exchange on a raw socket; returns the whole response. */
    static String raw(URI base, String request) throws IOException {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            return all.toString(StandardCharsets.UTF_8);
        }
    }

    static String get(URI base, String path, String... headers) throws IOException {
        StringBuilder r = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: " + base.getAuthority() + "\r\n");
        for (String h : headers) {
            r.append(h).append("\r\n");
        }
        return raw(base, r.append("Connection: close\r\n\r\n").toString());
    }

    static int status(String response) {
        return Integer.parseInt(response.substring(9, 12));
    }

    static String header(String response, String name) {
        for (String line : response.split("\r\n")) {
            if (line.isEmpty()) {
                break;
            }
            if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
                return line.substring(name.length() + 1).trim();
            }
        }
        return null;
    }

    static String body(String response) {
        int i = response.indexOf("\r\n\r\n");
        return i < 0 ? "" : response.substring(i + 4);
    }

    /** A 4xx with a non-empty text/plain body that names no Java exception and shows no stack trace. */
    static void assertText4xx(String response, int expected) {
        assertThat(status(response)).as(response).isEqualTo(expected);
        assertThat(header(response, "Content-Type")).as(response).startsWith("text/plain");
        assertThat(body(response)).as(response).isNotBlank().doesNotContain("Exception").doesNotContain("at org.");
    }

    // ------------------------------------------------------------ finding 4

    @Test
    void finding4_emptyMediaRangesAreNeverA500AnywhereIncludingProvsap() throws Exception {
        Http http = new Http();
        URI job = http.createJob(open.jobListUrls().get("demo"), form("SECONDS", "0", "PHASE", "RUN"));
        http.awaitPhase(job, "COMPLETED"::equals, Duration.ofSeconds(20));
        String path = job.getRawPath();
        for (String accept : List.of(";", ",;", "text/html,;")) {
            for (String p : List.of("/uws/demo", path, path + "/results", path + "/parameters", path + "/provenance",
                    "/provsap?ID=" + path.substring(path.lastIndexOf('/') + 1))) {
                String r = get(openBase, p, "Accept: " + accept);
                assertThat(status(r)).as("Accept %s on %s: %s", accept, p, r).isLessThan(500);
                assertThat(body(r)).as(p).isNotBlank();
            }
        }
    }

    // ------------------------------------------------------------ finding 5

    @Test
    void finding5_malformedBasicCredentialsAre401WithAMessage() throws Exception {
        for (String credentials : List.of("Basic !!!", "Basic =", "Basic a b", "Basic " + "bm9jb2xvbg==")) {
            String r = get(authBase, "/uws/demo", "Authorization: " + credentials);
            assertText4xx(r, 401);
            assertThat(header(r, "WWW-Authenticate")).startsWith("Basic realm=");
            assertThat(body(r)).contains("malformed Basic credentials");
        }
        // well-formed: wrong password is still Jetty's plain 401, the right one works
        assertThat(new Http("alice", "wrong").get(auth.jobListUrls().get("demo")).statusCode()).isEqualTo(401);
        assertThat(new Http("alice", "wonderland").get(auth.jobListUrls().get("demo")).statusCode()).isEqualTo(200);
    }

    // ------------------------------------------------------------ finding 6

    @Test
    void finding6_theErrorOfAFailedJobIsWhatTheLogicSaidWithAReferenceNotAStackTrace() throws Exception {
        Http http = new Http();
        URI job = http.createJob(open.jobListUrls().get("demo"), form("SECONDS", "0", "FAIL", "true",
                "MESSAGE", "boom", "PHASE", "RUN"));
        http.awaitPhase(job, "ERROR"::equals, Duration.ofSeconds(20));
        HttpResponse<String> error = http.get(URI.create(job + "/error"));
        assertThat(error.statusCode()).isEqualTo(200);
        assertThat(error.body()).contains("the demo job failed because FAIL=true", "reference job")
                .doesNotContain("Exception").doesNotContain("at org.").doesNotContain(".java");
        assertThat(http.get(job).body()).doesNotContain("Exception").doesNotContain(".java");
    }

    // ------------------------------------------------------------ finding 7

    @Test
    void finding7_linksComeFromTheConfiguredUrlNotFromHost() throws Exception {
        String created = raw(openBase, "POST /uws/demo HTTP/1.1\r\nHost: evil.example\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 9\r\nConnection: close\r\n"
                + "\r\nSECONDS=0");
        assertThat(status(created)).as(created).isEqualTo(303);
        assertThat(header(created, "Location")).startsWith(openBase + "uws/demo/");
        String list = raw(openBase, "GET /tap/async HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n");
        assertThat(list).doesNotContain("evil.example");

        Path d = data.resolve("public");
        try (ExampleServer pub = ExampleServer.start(ExampleOptions.builder().port(0).dataDir(d)
                .store(ExampleOptions.STORE_MEMORY).publicUrl(URI.create("https://uws.example.org/")).build())) {
            URI local = URI.create("http://127.0.0.1:" + pub.localPort() + "/");
            assertThat(pub.baseUri()).isEqualTo(URI.create("https://uws.example.org/"));
            String c = raw(local, "POST /uws/demo HTTP/1.1\r\nHost: evil.example\r\n"
                    + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 9\r\nConnection: close\r\n"
                    + "\r\nSECONDS=0");
            assertThat(header(c, "Location")).startsWith("https://uws.example.org/uws/demo/");
        }
    }

    // ------------------------------------------------------------ finding 8

    @Test
    void finding8_aLoggedInUsersBrowserCannotBeMadeToCreateOrDeleteFromAnotherSite() throws Exception {
        Http alice = new Http("alice", "wonderland");
        URI job = alice.createJob(auth.jobListUrls().get("demo"), form("SECONDS", "100"));
        String basic = "Authorization: Basic " + java.util.Base64.getEncoder()
                .encodeToString("alice:wonderland".getBytes(StandardCharsets.UTF_8));
        for (String h : List.of("Origin: http://evil.example", "Origin: null", "Sec-Fetch-Site: cross-site")) {
            String create = raw(authBase, "POST /uws/demo HTTP/1.1\r\nHost: " + authBase.getAuthority() + "\r\n"
                    + basic + "\r\n" + h + "\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                    + "Content-Length: 9\r\nConnection: close\r\n\r\nSECONDS=0");
            assertText4xx(create, 403);
            String delete = raw(authBase, "POST " + job.getRawPath() + " HTTP/1.1\r\nHost: " + authBase.getAuthority()
                    + "\r\n" + basic + "\r\n" + h + "\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                    + "Content-Length: 13\r\nConnection: close\r\n\r\nACTION=DELETE");
            assertText4xx(delete, 403);
        }
        assertThat(alice.get(job).statusCode()).isEqualTo(200);
        // the server's own pages, whichever loopback name the browser used, keep working
        for (String self : List.of("http://127.0.0.1:" + authBase.getPort(), "http://localhost:" + authBase.getPort())) {
            String ok = raw(authBase, "POST /uws/demo HTTP/1.1\r\nHost: " + authBase.getAuthority() + "\r\n"
                    + basic + "\r\nOrigin: " + self + "\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                    + "Content-Length: 9\r\nConnection: close\r\n\r\nSECONDS=0");
            assertThat(status(ok)).as(ok).isEqualTo(303);
        }
        assertThat(alice.delete(job).statusCode()).isEqualTo(303); // no Origin: a UWS client
    }

    // ------------------------------------------------------------ finding 10

    @Test
    void finding10_eachJobListAnswersUnderOnePrefixOnly() throws Exception {
        Http http = new Http();
        assertThat(http.get(openBase.resolve("uws/demo")).statusCode()).isEqualTo(200);
        assertThat(http.get(openBase.resolve("uws/wordcount")).statusCode()).isEqualTo(200);
        assertThat(http.get(openBase.resolve("tap/async")).statusCode()).isEqualTo(200);
        assertThat(http.get(openBase.resolve("uws/async")).statusCode()).isEqualTo(404);
        assertThat(http.get(openBase.resolve("tap/demo")).statusCode()).isEqualTo(404);
        assertThat(http.get(openBase.resolve("tap/wordcount")).statusCode()).isEqualTo(404);
        assertThat(http.get(openBase).body()).doesNotContain("/uws/async");
    }

    @Test
    void finding10_theContainersOwnErrorsHaveTextBodies() throws Exception {
        String host = "Host: " + openBase.getAuthority() + "\r\n";
        assertText4xx(raw(openBase, "POST /provsap HTTP/1.1\r\n" + host + "Content-Length: 0\r\n"
                + "Connection: close\r\n\r\n"), 405);
        assertText4xx(raw(openBase, "DELETE / HTTP/1.1\r\n" + host + "Connection: close\r\n\r\n"), 405);
        String unknownMethod = raw(openBase, "FOO / HTTP/1.1\r\n" + host + "Connection: close\r\n\r\n");
        assertThat(status(unknownMethod)).as(unknownMethod).isBetween(400, 501);
        assertThat(header(unknownMethod, "Content-Type")).as(unknownMethod).startsWith("text/plain");
        assertThat(body(unknownMethod)).isNotBlank();
        String badUri = raw(openBase, "GET /%zz HTTP/1.1\r\n" + host + "Connection: close\r\n\r\n");
        assertText4xx(badUri, 400);
        String noHost = raw(openBase, "GET / HTTP/1.1\r\nConnection: close\r\n\r\n");
        assertText4xx(noHost, 400);
    }
}
