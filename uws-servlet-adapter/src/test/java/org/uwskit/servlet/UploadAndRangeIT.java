package org.uwskit.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.uwskit.servlet.TestServer.Multipart;
import org.uwskit.servlet.TestServer.Reply;
import org.uwskit.servlet.TestServer.Xml;

/** CHECKLIST items 9, 60, 64 (inline multipart uploads) and HTTP Range requests on results and uploads. */
class UploadAndRangeIT {
    private static TestServer s;

    @BeforeAll
    static void start() throws Exception {
        s = new TestServer();
    }

    @AfterAll
    static void stop() throws Exception {
        s.close();
    }

    private static byte[] binary(int size) {
        byte[] b = new byte[size];
        new Random(42).nextBytes(b);
        for (int i = 0; i < 256 && i < size; i++) {
            b[i] = (byte) i; // every byte value, including NUL and CR/LF
        }
        return b;
    }

    private Reply createMultipart(String query, Multipart m) throws Exception {
        return s.send(s.request("/demo" + query, "alice").header("Content-Type", m.contentType())
                .POST(m.publisher()).build());
    }

    @Test
    void item09_item60_item64_multipartUploadRoundTripsBinaryBytes() throws Exception {
        byte[] table = binary(200_000);
        Multipart m = new Multipart()
                .field("LANG", "ADQL")
                .field("UPLOAD", "t1,param:t1")
                .field("QUERY", "select * from tap_upload.t1 — ünïcode")
                .part("t1", "table.vot", "application/x-votable+xml", table);
        Reply created = createMultipart("", m);
        assertThat(created.status()).as(created.text()).isEqualTo(303);
        String job = created.header("Location");
        Xml doc = s.get(job, "alice").xml();
        assertThat(doc.s("//uws:parameter[@id='UPLOAD']")).isEqualTo("t1,param:t1");
        assertThat(doc.s("//uws:parameter[@id='QUERY']")).isEqualTo("select * from tap_upload.t1 — ünïcode");
        assertThat(doc.s("//uws:parameter[@id='t1']/@byReference")).isEqualTo("true");
        assertThat(doc.s("//uws:parameter[@id='t1']")).isEqualTo(job + "/parameters/t1");
        Reply back = s.get(job + "/parameters/t1", "alice");
        assertThat(back.status()).isEqualTo(200);
        assertThat(back.header("Content-Type")).isEqualTo("application/x-votable+xml");
        assertThat(back.header("Content-Length")).isEqualTo("200000");
        assertThat(back.body()).isEqualTo(table);
        assertThat(s.get(job + "/parameters", "alice").xml().s("//uws:parameter[@id='t1']/@byReference")).isEqualTo("true");

        Reply range = s.get(job + "/parameters/t1", "alice", "Range", "bytes=10-19");
        assertThat(range.status()).isEqualTo(206);
        assertThat(range.header("Content-Range")).isEqualTo("bytes 10-19/200000");
        assertThat(range.body()).isEqualTo(Arrays.copyOfRange(table, 10, 20));
    }

    @Test
    void item63_multipartCreationCanRunAtOnce() throws Exception {
        Reply created = createMultipart("", new Multipart().field("PHASE", "RUN").field("RUNID", "mp")
                .part("data", "d.bin", "application/octet-stream", binary(10)));
        assertThat(created.status()).isEqualTo(303);
        Xml doc = s.get(created.header("Location"), "alice").xml();
        assertThat(doc.s("/uws:job/uws:phase")).isEqualTo("QUEUED");
        assertThat(doc.s("/uws:job/uws:runId")).isEqualTo("mp");
        Reply viaQuery = createMultipart("?PHASE=RUN", new Multipart().field("A", "1"));
        assertThat(s.get(viaQuery.header("Location") + "/phase", "alice").text()).isEqualTo("QUEUED");
    }

    @Test
    void oversizeUploadIs413WithAMessage() throws Exception {
        Reply r = createMultipart("", new Multipart().part("big", "big.bin", "application/octet-stream",
                binary((1 << 20) + 1)));
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.header("Content-Type")).startsWith("text/plain");
        assertThat(r.text()).contains("limit");
    }

    private Reply postMultipart(String path, Multipart m) throws Exception {
        return s.send(s.request(path, "alice").header("Content-Type", m.contentType()).POST(m.publisher()).build());
    }

    @Test
    void item62_item64_uploadsInAParameterUpdate_asPyvoSendsThem() throws Exception {
        String id = s.create("alice", "LANG", "ADQL", "QUERY", "select * from tap_upload.t2");
        String job = s.base + "/demo/" + id;
        byte[] table = binary(70_000);
        Reply r = postMultipart("/demo/" + id + "/parameters", new Multipart().field("UPLOAD", "t2,param:t2")
                .part("t2", "t2.vot", "application/x-votable+xml", table));
        assertThat(r.status()).as(r.text()).isEqualTo(303);
        assertThat(r.header("Location")).isEqualTo(job);
        Xml doc = s.get(job, "alice").xml();
        assertThat(doc.s("//uws:parameter[@id='UPLOAD']")).isEqualTo("t2,param:t2");
        assertThat(doc.s("//uws:parameter[@id='QUERY']")).isEqualTo("select * from tap_upload.t2");
        assertThat(doc.s("//uws:parameter[@id='t2']/@byReference")).isEqualTo("true");
        assertThat(doc.s("//uws:parameter[@id='t2']")).isEqualTo(job + "/parameters/t2");
        Reply back = s.get(job + "/parameters/t2", "alice");
        assertThat(back.header("Content-Type")).isEqualTo("application/x-votable+xml");
        assertThat(back.body()).isEqualTo(table);

        // a second upload of the same name replaces the bytes
        byte[] smaller = binary(300);
        assertThat(postMultipart("/demo/" + id + "/parameters", new Multipart()
                .part("t2", "t2.vot", "application/x-votable+xml", smaller)).status()).isEqualTo(303);
        assertThat(s.get(job + "/parameters/t2", "alice").body()).isEqualTo(smaller);

        // too large: 413, the previous bytes stay
        Reply big = postMultipart("/demo/" + id + "/parameters", new Multipart()
                .part("t2", "big.bin", "application/octet-stream", binary((1 << 20) + 1)));
        assertThat(big.status()).isEqualTo(413);
        assertThat(big.text()).contains("limit");
        assertThat(s.get(job + "/parameters/t2", "alice").body()).isEqualTo(smaller);

        // another owner: 403; not PENDING any more: 403; the bytes stay
        Reply bob = s.send(s.request("/demo/" + id + "/parameters", "bob").header("Content-Type",
                new Multipart().contentType()).POST(new Multipart().part("t2", "x", null, binary(3)).publisher()).build());
        assertThat(bob.status()).isEqualTo(403);
        s.post("/demo/" + id + "/phase", "alice", "PHASE", "RUN");
        Reply late = postMultipart("/demo/" + id + "/parameters", new Multipart()
                .part("t2", "t2.vot", "application/x-votable+xml", binary(5)));
        assertThat(late.status()).isEqualTo(403);
        assertThat(late.text()).contains("PENDING");
        assertThat(s.get(job + "/parameters/t2", "alice").body()).isEqualTo(smaller);
    }

    @Test
    void uploadsAreRefusedWhereTheyMeanNothing() throws Exception {
        String id = s.create("alice");
        Reply r = postMultipart("/demo/" + id + "/phase", new Multipart().field("PHASE", "RUN")
                .part("t2", "t.bin", "application/octet-stream", binary(5)));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.text()).contains("/parameters");
        assertThat(s.get("/demo/" + id + "/phase", "alice").text()).isEqualTo("PENDING");
        Reply empty = postMultipart("/demo/" + id + "/parameters", new Multipart());
        assertThat(empty.status()).isEqualTo(400);
    }

    @Test
    void rangeRequestsOnResults() throws Exception {
        String id = s.create("alice", "outcome", "complete", "resultSize", "5000");
        s.post("/demo/" + id + "/phase", "alice", "PHASE", "RUN");
        s.engine.dispatch();
        String url = "/demo/" + id + "/results/result";
        byte[] all = ScriptedBackend.resultBytes(5000);

        Reply full = s.get(url, "alice");
        assertThat(full.status()).isEqualTo(200);
        assertThat(full.header("Accept-Ranges")).isEqualTo("bytes");
        assertThat(full.body()).isEqualTo(all);

        Reply mid = s.get(url, "alice", "Range", "bytes=100-199");
        assertThat(mid.status()).isEqualTo(206);
        assertThat(mid.header("Content-Range")).isEqualTo("bytes 100-199/5000");
        assertThat(mid.header("Content-Length")).isEqualTo("100");
        assertThat(mid.body()).isEqualTo(Arrays.copyOfRange(all, 100, 200));

        Reply open = s.get(url, "alice", "Range", "bytes=4990-");
        assertThat(open.status()).isEqualTo(206);
        assertThat(open.body()).isEqualTo(Arrays.copyOfRange(all, 4990, 5000));

        Reply suffix = s.get(url, "alice", "Range", "bytes=-7");
        assertThat(suffix.status()).isEqualTo(206);
        assertThat(suffix.header("Content-Range")).isEqualTo("bytes 4993-4999/5000");
        assertThat(suffix.body()).isEqualTo(Arrays.copyOfRange(all, 4993, 5000));

        Reply clipped = s.get(url, "alice", "Range", "bytes=4000-999999");
        assertThat(clipped.status()).isEqualTo(206);
        assertThat(clipped.header("Content-Range")).isEqualTo("bytes 4000-4999/5000");

        Reply beyond = s.get(url, "alice", "Range", "bytes=5000-6000");
        assertThat(beyond.status()).isEqualTo(416);
        assertThat(beyond.header("Content-Range")).isEqualTo("bytes */5000");
        assertThat(beyond.text()).contains("5000");

        Reply multi = s.get(url, "alice", "Range", "bytes=0-1,5-6");
        assertThat(multi.status()).isEqualTo(200);
        assertThat(multi.body()).isEqualTo(all);
    }
}
