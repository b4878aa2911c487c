package org.uwskit.local;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.uwskit.Result;
import org.uwskit.spi.ExecutionEvents;

/** ExecutionEvents that record everything in memory, for tests of the backend without an engine. */
final class CapturingEvents implements ExecutionEvents {
    final List<String> log = new ArrayList<>();
    final Map<String, byte[]> results = new ConcurrentHashMap<>();
    final Map<String, String> mimeTypes = new ConcurrentHashMap<>();
    final List<Result> external = new ArrayList<>();
    final Map<String, String> info = new ConcurrentHashMap<>();
    final Map<String, byte[]> uploads = new LinkedHashMap<>();
    volatile boolean abortRequested;
    volatile String terminal;
    volatile String message;
    volatile String detail;
    volatile double fraction = Double.NaN;

    CapturingEvents upload(String name, String text) {
        uploads.put(name, text.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    private synchronized void add(String e) {
        log.add(e);
        notifyAll();
    }

    synchronized List<String> events() {
        return List.copyOf(log);
    }

    @Override
    public void started() {
        add("started");
    }

    @Override
    public void progress(double fraction, String message) {
        this.fraction = fraction;
        add("progress " + fraction + " " + message);
    }

    @Override
    public void info(String key, String value) {
        info.put(key, value);
    }

    @Override
    public OutputStream openResult(String id, String mimeType) {
        return new ByteArrayOutputStream() {
            @Override
            public void close() {
                results.put(id, toByteArray());
                if (mimeType != null) {
                    mimeTypes.put(id, mimeType);
                }
                add("result " + id);
            }
        };
    }

    @Override
    public synchronized void addResult(Result result) {
        external.add(result);
        add("result " + result.id());
    }

    @Override
    public InputStream openUpload(String name) throws IOException {
        byte[] b = uploads.get(name);
        if (b == null) {
            throw new NoSuchFileException(name);
        }
        return new ByteArrayInputStream(b);
    }

    @Override
    public void suspended() {
        add("suspended");
    }

    @Override
    public void resumed() {
        add("resumed");
    }

    @Override
    public void held() {
        add("held");
    }

    @Override
    public void completed() {
        end("completed", null, null);
    }

    @Override
    public void failed(String message, String detail) {
        end("failed", message, detail);
    }

    @Override
    public void aborted(String reason) {
        end("aborted", reason, null);
    }

    private synchronized void end(String what, String message, String detail) {
        if (terminal != null) {
            log.add("SECOND TERMINAL " + what);
            return;
        }
        this.message = message;
        this.detail = detail;
        terminal = what;
        add(what);
    }

    @Override
    public boolean abortRequested() {
        return abortRequested;
    }

    String text(String resultId) {
        byte[] b = results.get(resultId);
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    /** Waits (bounded) until an event is recorded; returns the terminal event name. */
    synchronized String awaitEnd(Duration max) throws InterruptedException {
        return awaitEvent(null, max);
    }

    /** Waits (bounded) until {@code event} was recorded (null: any terminal event). */
    synchronized String awaitEvent(String event, Duration max) throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        while (event == null ? terminal == null : !log.contains(event)) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no " + (event == null ? "terminal event" : event) + " within " + max
                        + "; events so far: " + log);
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return event == null ? terminal : event;
    }
}
