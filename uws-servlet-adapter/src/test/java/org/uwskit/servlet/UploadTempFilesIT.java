package org.uwskit.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.uwskit.servlet.TestServer.Multipart;
import org.uwskit.servlet.TestServer.Reply;
import org.uwskit.testkit.Await;

/**
 * Issue 8 finding 3: every multipart file part over 1 MiB used to leave a {@code MultiPart…} file of its size in the
 * container's temp directory, on success, on refusal, after the job's deletion and after the server stopped. Now
 * the servlet spools bodies above 1 MiB into its own directory and deletes them on every path; the container's
 * temp directory (Jetty's context temp directory, where its multipart parser wrote) stays empty.
 */
class UploadTempFilesIT {
    private static final int BIG = 1_500_000; // above the 1 MiB spool threshold
    private static final String A = "alice";
    private static TestServer s;
    private static Path root;
    private static Path bodies;
    private static Path containerTmp;

    @BeforeAll
    static void start() throws Exception {
        root = Files.createTempDirectory("uwskit-tempfiles-");
        bodies = root.resolve("bodies");
        containerTmp = Files.createDirectories(root.resolve("jetty"));
        s = new TestServer(p -> p.maxUploadSize(4 << 20), b -> b.bodyDirectory(bodies), j -> { },
                ctx -> ctx.setTempDirectory(containerTmp.toFile()));
    }

    @AfterAll
    static void stop() throws Exception {
        s.close();
        assertNoFiles("after the server stopped");
        try (Stream<Path> all = Files.walk(root)) {
            all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static void assertNoFiles(String when) throws Exception {
        for (Path dir : List.of(bodies, containerTmp)) {
            if (Files.isDirectory(dir)) {
                try (Stream<Path> files = Files.walk(dir)) {
                    assertThat(files.filter(Files::isRegularFile)).as("files in %s %s", dir, when).isEmpty();
                }
            }
        }
    }

    private static byte[] binary(int size, int seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static Reply postMultipart(String path, String user, Multipart m) throws Exception {
        return s.send(s.request(path, user).header("Content-Type", m.contentType()).POST(m.publisher()).build());
    }

    private static void assertRefused(Reply r, int status, String mentions) {
        assertThat(r.status()).as(r.text()).isEqualTo(status);
        assertThat(r.header("Content-Type")).startsWith("text/plain");
        assertThat(r.text()).contains(mentions).doesNotContainIgnoringCase("jetty").doesNotContain("Exception");
    }

    @Test
    void fiftyUploadsAndDeletesLeaveNoFile() throws Exception {
        for (int i = 0; i < 50; i++) {
            byte[] data = binary(BIG, i);
            Reply created = postMultipart("/demo", A, new Multipart().field("UPLOAD", "t,param:t")
                    .part("t", "t.bin", "application/octet-stream", data));
            assertThat(created.status()).as(created.text()).isEqualTo(303);
            String job = created.header("Location");
            if (i % 10 == 0) {
                assertThat(s.get(job + "/parameters/t", A).body()).isEqualTo(data);
                byte[] other = binary(BIG + 1, 1000 + i);
                Reply update = postMultipart(job + "/parameters", A, new Multipart()
                        .part("t", "t2.bin", "application/octet-stream", other));
                assertThat(update.status()).as(update.text()).isEqualTo(303);
                assertThat(s.get(job + "/parameters/t", A).body()).isEqualTo(other);
            }
            assertThat(s.method("DELETE", job, A).status()).isEqualTo(303);
        }
        assertNoFiles("after 50 uploads and deletes");
    }

    @Test
    void aBodyAboveTheThresholdIsSpooledToTheServletsDirectoryUntilItsRequestEnds() throws Exception {
        Multipart m = new Multipart().part("t", "t.bin", "application/octet-stream", binary(2 * BIG, 9));
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        m.publisher().subscribe(new java.util.concurrent.Flow.Subscriber<>() {
            @Override public void onSubscribe(java.util.concurrent.Flow.Subscription sub) { sub.request(Long.MAX_VALUE); }
            @Override public void onNext(java.nio.ByteBuffer item) { byte[] b = new byte[item.remaining()]; item.get(b); body.writeBytes(b); }
            @Override public void onError(Throwable t) { }
            @Override public void onComplete() { }
        });
        byte[] all = body.toByteArray();
        try (Socket sock = new Socket("127.0.0.1", URI.create(s.base).getPort())) {
            OutputStream out = sock.getOutputStream();
            out.write(("POST /uws/demo HTTP/1.1\r\nHost: 127.0.0.1\r\nX-User: alice\r\nContent-Type: "
                    + m.contentType() + "\r\nContent-Length: " + all.length + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.write(all, 0, BIG);
            out.flush();
            awaitBodyFiles(1);
            out.write(all, BIG, all.length - BIG);
            out.flush();
            String answer = new String(sock.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(answer).startsWith("HTTP/1.1 303");
        }
        assertNoFiles("after the request");
    }

    @Test
    void refusedUploadsLeaveNoFile() throws Exception {
        String job = s.create(A);
        byte[] data = binary(BIG, 3);
        // uploads where they mean nothing
        assertRefused(postMultipart("/demo/" + job + "/phase", A, new Multipart().field("PHASE", "RUN")
                .part("t", "t.bin", "application/octet-stream", data)), 400, "inline uploads");
        // above the job list's maxUploadSize
        assertRefused(postMultipart("/demo", A, new Multipart()
                .part("t", "t.bin", "application/octet-stream", binary(5 << 20, 4))), 413, "limit");
        // another owner's job
        assertRefused(postMultipart("/demo/" + job + "/parameters", "bob", new Multipart()
                .part("t", "t.bin", "application/octet-stream", data)), 403, "");
        // malformed: the body ends without its closing boundary
        Reply cut = s.send(s.request("/demo", A).header("Content-Type", "multipart/form-data; boundary=zz")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(concat(
                        "--zz\r\nContent-Disposition: form-data; name=\"t\"; filename=\"t\"\r\n\r\n", data))).build());
        assertRefused(cut, 400, "malformed multipart/form-data body");
        // a job that is no longer PENDING
        assertThat(s.post("/demo/" + job + "/phase", A, "PHASE", "RUN").status()).isEqualTo(303);
        assertRefused(postMultipart("/demo/" + job + "/parameters", A, new Multipart()
                .part("t", "t.bin", "application/octet-stream", data)), 403, "");
        assertNoFiles("after refused uploads");
    }

    @Test
    void aServerStoppedWhileABodyArrivesLeavesNoFile() throws Exception {
        Path dir = root.resolve("stop-bodies");
        TestServer other = new TestServer(p -> p.maxUploadSize(4 << 20), b -> b.bodyDirectory(dir));
        boolean stopped = false;
        try (Socket sock = new Socket("127.0.0.1", URI.create(other.base).getPort())) {
            OutputStream out = sock.getOutputStream();
            out.write(("PUT /uws/demo/x/parameters/V HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 3000000\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.write(new byte[BIG]);
            out.flush();
            awaitFiles(dir, 1);
            stopped = true;
            other.close();
            try (Stream<Path> files = Files.list(dir)) {
                assertThat(files).as("body files after the server stopped").isEmpty();
            }
        } finally {
            if (!stopped) {
                other.close();
            }
        }
    }

    private static byte[] concat(String head, byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(data);
        return out.toByteArray();
    }

    private static void awaitBodyFiles(int n) throws Exception {
        awaitFiles(bodies, n);
    }

    /** Waits until {@code dir} exists and holds {@code n} entries (files appear and go on other threads). */
    static void awaitFiles(Path dir, int n) {
        Await.until(Duration.ofSeconds(10), Duration.ofMillis(20), () -> count(dir) == n,
                n + " files in " + dir, () -> "found " + count(dir));
    }

    private static long count(Path dir) {
        if (!Files.isDirectory(dir)) {
            return -1;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.count();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
