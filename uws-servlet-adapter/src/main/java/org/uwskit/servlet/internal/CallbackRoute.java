package org.uwskit.servlet.internal;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.uwskit.spi.CallbackReceiver;

/**
 * The jobs' callbacks: {@code {mount}/}{@value CallbackReceiver#SEGMENT}{@code /{name}/{jobId}/{event}}, POST only,
 * handed to the {@link CallbackReceiver} of that name. No caller is resolved and no job list rule or owner quota
 * applies: the receiver authenticates the job's token. The body, if any, is an urlencoded form the body reader has
 * read within its limits (a callback has no use for another type); beyond {@link CallbackReceiver#MAX_BODY_BYTES}
 * it is 413. Answers 204, or 400/403/404/413/415 with a message. Immutable; thread-safe.
 */
public final class CallbackRoute {
    private final Map<String, CallbackReceiver> receivers = new LinkedHashMap<>();

    /** @param receivers the receivers, by their distinct names */
    public CallbackRoute(List<CallbackReceiver> receivers) {
        receivers.forEach(r -> this.receivers.put(r.name(), r));
    }

    /** @return whether the path is a callback's ({@value CallbackReceiver#SEGMENT} first, whatever follows) */
    public boolean matches(List<String> seg) {
        return !seg.isEmpty() && seg.get(0).equals(CallbackReceiver.SEGMENT);
    }

    /** Handles a POST the dispatcher routed here, its body (if it reads one) already read. */
    void serve(Exchange x, List<String> seg) throws IOException {
        if (seg.size() != 4) {
            throw new HttpProblem(404, "a callback is posted to " + CallbackReceiver.SEGMENT
                    + "/{receiver}/{jobId}/{event}");
        }
        CallbackReceiver r = receivers.get(seg.get(1));
        if (r == null) {
            throw new HttpProblem(404, "no callback receiver '" + ControlValues.shown(seg.get(1)) + "'");
        }
        byte[] body;
        if (x.body != null) {
            if (x.body.size() > CallbackReceiver.MAX_BODY_BYTES) {
                throw new HttpProblem(413, "a callback's body is at most " + CallbackReceiver.MAX_BODY_BYTES
                        + " bytes");
            }
            body = x.body.bytes();
        } else if (x.req.getContentLengthLong() > 0 || x.req.getHeader("Transfer-Encoding") != null) {
            throw new HttpProblem(415, "a callback's body, if any, is " + RequestDecoder.FORM);
        } else {
            body = new byte[0];
        }
        CallbackReceiver.Answer a;
        try {
            a = r.receive(seg.get(2), seg.get(3), x.req.getHeader(CallbackReceiver.TOKEN_HEADER), body);
        } catch (RuntimeException e) { // a receiver must not throw; a caller learns nothing from its bug
            throw new IllegalStateException("callback receiver " + r.name() + " failed", e);
        }
        switch (a.outcome()) {
            case ACCEPTED -> {
                x.resp.setStatus(HttpServletResponse.SC_NO_CONTENT);
                x.resp.setHeader("Cache-Control", "no-store");
            }
            case BAD_REQUEST -> throw new HttpProblem(400, a.message());
            case FORBIDDEN -> throw new HttpProblem(403, a.message());
            case NOT_FOUND -> throw new HttpProblem(404, a.message());
        }
    }
}
