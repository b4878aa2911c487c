package org.uwskit.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.uwskit.spi.CallbackReceiver;

/**
 * The callback route through a real Jetty: {@code /uws/_callbacks/{name}/{jobId}/{event}} reaches the receiver
 * without a caller (the {@code demo} list needs one) and with the token header and body as sent; bad requests get
 * 400/403/404/405/413/415 with a message, and the receiver's bugs no 500 with its detail.
 */
class CallbackRouteIT {
    /** What the receiver was given. */
    record Call(String jobId, String event, String token, String body) {
    }

    final List<Call> calls = new CopyOnWriteArrayList<>();
    TestServer server;

    final CallbackReceiver receiver = new CallbackReceiver() {
        @Override
        public String name() {
            return "cluster";
        }

        @Override
        public Answer receive(String jobId, String event, String token, byte[] body) {
            calls.add(new Call(jobId, event, token, new String(body, StandardCharsets.UTF_8)));
            if (!"good".equals(token)) {
                return Answer.refused(Outcome.FORBIDDEN, "not this job's token");
            }
            return switch (jobId) {
                case "unknown" -> Answer.refused(Outcome.NOT_FOUND, "no such job here");
                case "odd" -> Answer.refused(Outcome.BAD_REQUEST, "odd event");
                default -> Answer.accepted();
            };
        }
    };

    @BeforeEach
    void start() throws Exception {
        server = new TestServer(p -> { }, b -> b.callbackReceiver(receiver));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    TestServer.Reply post(String path, String token, String contentType, String body) throws Exception {
        HttpRequest.Builder b = server.request(path, null).POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header(CallbackReceiver.TOKEN_HEADER, token);
        }
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return server.send(b.build());
    }

    @Test
    void aGoodCallbackReachesTheReceiverWithoutACaller() throws Exception {
        TestServer.Reply r = post("/_callbacks/cluster/job1/ended", "good", "application/x-www-form-urlencoded",
                "status=3");
        assertThat(r.status()).isEqualTo(204);
        assertThat(calls).containsExactly(new Call("job1", "ended", "good", "status=3"));
        assertThat(post("/_callbacks/cluster/job1/started", "good", null, "").status()).isEqualTo(204);
        assertThat(calls).hasSize(2).last().isEqualTo(new Call("job1", "started", "good", ""));
    }

    @Test
    void refusalsAreClear4xxWithTheReceiversMessage() throws Exception {
        TestServer.Reply forbidden = post("/_callbacks/cluster/job1/ended", "bad", null, "");
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.text()).contains("not this job's token");
        assertThat(post("/_callbacks/cluster/job1/ended", null, null, "").status()).isEqualTo(403);
        TestServer.Reply unknown = post("/_callbacks/cluster/unknown/ended", "good", null, "");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.text()).contains("no such job here");
        assertThat(post("/_callbacks/cluster/odd/x", "good", null, "").status()).isEqualTo(400);
    }

    @Test
    void badRequestsNeverReachTheReceiver() throws Exception {
        assertThat(post("/_callbacks/other/job1/ended", "good", null, "").status()).isEqualTo(404);
        assertThat(post("/_callbacks/cluster/job1", "good", null, "").status()).isEqualTo(404);
        assertThat(post("/_callbacks/cluster/job1/ended/more", "good", null, "").status()).isEqualTo(404);
        TestServer.Reply big = post("/_callbacks/cluster/job1/ended", "good", "application/x-www-form-urlencoded",
                "status=" + "1".repeat(CallbackReceiver.MAX_BODY_BYTES));
        assertThat(big.status()).isEqualTo(413);
        assertThat(big.text()).contains("at most " + CallbackReceiver.MAX_BODY_BYTES);
        TestServer.Reply octets = post("/_callbacks/cluster/job1/ended", "good", "application/octet-stream", "x");
        assertThat(octets.status()).isEqualTo(415);
        TestServer.Reply get = server.get("/_callbacks/cluster/job1/ended", null);
        assertThat(get.status()).isEqualTo(405);
        assertThat(get.header("Allow")).isEqualTo("POST");
        assertThat(calls).isEmpty();
    }
}
