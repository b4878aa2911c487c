package org.uwskit.servlet.internal;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.WriteListener;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.uwskit.Caller;

/** {@link EventStream}'s write queue, against a stub output whose readiness the test sets. */
class EventStreamTest {

    /** A non-blocking output that is ready only when the test says. */
    static final class Out extends ServletOutputStream {
        final ByteArrayOutputStream written = new ByteArrayOutputStream();
        boolean ready = true;
        int flushes;
        WriteListener listener;

        @Override public boolean isReady() { return ready; }
        @Override public void setWriteListener(WriteListener l) { listener = l; }
        @Override public void write(int b) { written.write(b); }
        @Override public void write(byte[] b, int off, int len) { written.write(b, off, len); }
        @Override public void flush() { flushes++; }
    }

    private final Out out = new Out();
    private final AtomicInteger completed = new AtomicInteger();
    private final AtomicInteger closed = new AtomicInteger();

    private EventStream stream() throws Exception {
        ServletResponse resp = (ServletResponse) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ServletResponse.class}, (p, m, a) -> m.getName().equals("getOutputStream") ? out : null);
        AsyncContext ac = (AsyncContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {AsyncContext.class}, (p, m, a) -> {
                    switch (m.getName()) {
                        case "getResponse" -> { return resp; }
                        case "complete" -> { completed.incrementAndGet(); return null; }
                        default -> { return null; }
                    }
                });
        EventStream s = new EventStream(Caller.of("alice"), "owner alice", "demo", ac, closed::incrementAndGet);
        out.setWriteListener(s);
        return s;
    }

    @Test
    void eventsAreWrittenInOrderAndFlushed() throws Exception {
        EventStream s = stream();
        s.send("ready", "{}");
        s.send("job", "{\"jobId\":\"a\"}");
        s.comment("hb");
        assertThat(out.written.toString(StandardCharsets.UTF_8))
                .isEqualTo("event: ready\ndata: {}\n\nevent: job\ndata: {\"jobId\":\"a\"}\n\n: hb\n\n");
        assertThat(out.flushes).isEqualTo(3);
        assertThat(s.isClosed()).isFalse();
    }

    @Test
    void whatCannotBeWrittenWaitsForTheOutputAndThenGoesOut() throws Exception {
        EventStream s = stream();
        out.ready = false;
        s.send("job", "{\"jobId\":\"a\"}");
        s.send("job", "{\"jobId\":\"b\"}");
        assertThat(out.written.size()).isZero();
        out.ready = true;
        s.onWritePossible();
        assertThat(out.written.toString(StandardCharsets.UTF_8)).contains("\"a\"").contains("\"b\"");
        assertThat(out.written.toString(StandardCharsets.UTF_8).indexOf("\"a\""))
                .isLessThan(out.written.toString(StandardCharsets.UTF_8).indexOf("\"b\""));
    }

    @Test
    void aClientThatStopsReadingIsCutOffNotBuffered() throws Exception {
        EventStream s = stream();
        out.ready = false;
        String data = "{\"jobId\":\"" + "x".repeat(1000) + "\"}";
        int sent = 0;
        while (!s.isClosed() && sent < 1000) {
            s.send("job", data);
            sent++;
        }
        assertThat(s.isClosed()).isTrue();
        assertThat((long) sent * data.length()).isLessThanOrEqualTo(EventStream.MAX_PENDING + 2L * data.length());
        assertThat(completed.get()).isEqualTo(1);
        assertThat(closed.get()).isEqualTo(1);
        s.send("job", data); // ignored once closed
        s.close();
        assertThat(completed.get()).isEqualTo(1);
        assertThat(closed.get()).isEqualTo(1);
    }
}
