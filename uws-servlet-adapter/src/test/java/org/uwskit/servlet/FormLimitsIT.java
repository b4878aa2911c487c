package org.uwskit.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.uwskit.servlet.TestServer.Multipart;
import org.uwskit.servlet.TestServer.Reply;

/**
 * Issue 8 finding 9 (limits) and 6 (multipart errors): a text value is limited the same whether it comes
 * urlencoded or as a multipart field (before, Jetty's own 200,000-byte form limit refused multipart fields with 400
 * "Form is larger than max length" while urlencoded ones passed), 413 with a message beyond; multipart errors are
 * the servlet's own messages, never a container exception's name.
 */
class FormLimitsIT {
    private static final int LIMIT = 300_000;
    private static TestServer s;

    @BeforeAll
    static void start() throws Exception {
        s = new TestServer(p -> p.maxParameterLength(1 << 20), b -> b.maxFormBytes(LIMIT));
    }

    @AfterAll
    static void stop() throws Exception {
        s.close();
    }

    private static Reply multipart(String path, Multipart m) throws Exception {
        return s.send(s.request(path, "alice").header("Content-Type", m.contentType()).POST(m.publisher()).build());
    }

    private static void assert413(Reply r) {
        assertThat(r.status()).as(r.text()).isEqualTo(413);
        assertThat(r.header("Content-Type")).startsWith("text/plain");
        assertThat(r.text()).contains("limit of " + LIMIT + " bytes").doesNotContain("Exception");
    }

    @Test
    void theSameValueIsAcceptedUrlencodedAndMultipartBelowTheLimit() throws Exception {
        String value = "q".repeat(250_000);
        String viaForm = s.create("alice", "QUERY", value);
        assertThat(s.get("/demo/" + viaForm + "/parameters/QUERY", "alice").text()).isEqualTo(value);
        Reply viaMultipart = multipart("/demo", new Multipart().field("QUERY", value));
        assertThat(viaMultipart.status()).as(viaMultipart.text()).isEqualTo(303);
        assertThat(s.get(viaMultipart.header("Location") + "/parameters/QUERY", "alice").text()).isEqualTo(value);
    }

    @Test
    void aboveTheLimitBothAre413WithAMessage() throws Exception {
        String value = "q".repeat(LIMIT + 50_000);
        assert413(s.post("/demo", "alice", "QUERY", value));
        assert413(multipart("/demo", new Multipart().field("QUERY", value)));
        // several fields together count
        assert413(multipart("/demo", new Multipart().field("A", value.substring(0, LIMIT / 2 + 1))
                .field("B", value.substring(0, LIMIT / 2 + 1))));
        String job = s.create("alice");
        assert413(s.send(s.request("/demo/" + job + "/parameters/V", "alice")
                .PUT(HttpRequest.BodyPublishers.ofString(value)).build()));
        assert413(multipart("/demo/" + job + "/parameters", new Multipart().field("QUERY", value)));
    }

    @Test
    void malformedMultipartIs400InTheServletsOwnWords() throws Exception {
        for (String body : new String[] {"not multipart at all", "--b\r\nContent-Disposition: form-data\r\n\r\nx\r\n--b--",
                "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nno end"}) {
            Reply r = s.send(s.request("/demo", "alice").header("Content-Type", "multipart/form-data; boundary=b")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build());
            assertThat(r.status()).as(r.text()).isEqualTo(400);
            assertThat(r.text()).startsWith("malformed multipart/form-data body: ").doesNotContainIgnoringCase("jetty")
                    .doesNotContain("Exception");
        }
        Reply noBoundary = s.send(s.request("/demo", "alice").header("Content-Type", "multipart/form-data")
                .POST(HttpRequest.BodyPublishers.ofString("x")).build());
        assertThat(noBoundary.status()).isEqualTo(400);
        assertThat(noBoundary.text()).contains("no boundary");
    }
}
