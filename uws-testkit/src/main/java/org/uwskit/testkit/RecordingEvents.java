package org.uwskit.testkit;

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
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.uwskit.Result;
import org.uwskit.spi.ExecutionEvents;

/**
 * An {@link ExecutionEvents} that records what a backend reports, for backend tests without an engine. Results
 * written through {@link #openResult} are kept in memory; uploads are given with {@link #putUpload}.
 *
 * <p>Thread-safe: backends report from their own threads while the test awaits with the bounded {@code await}
 * methods (which wait on a monitor, never sleep-poll).
 */
public final class RecordingEvents implements ExecutionEvents {

    /** The kinds of report. */
    public enum Kind {
        STARTED, PROGRESS, INFO, RESULT, SUSPENDED, RESUMED, HELD, RELEASED, COMPLETED, FAILED, ABORTED;

        /** Whether this report ends the job. */
        public boolean isTerminal() {
            return this == COMPLETED || this == FAILED || this == ABORTED;
        }
    }

    /**
     * One report.
     *
     * @param kind   what was reported
     * @param text   the message, reason, info key=value or result id; may be null
     * @param detail the failure detail, or null
     */
    public record Event(Kind kind, String text, String detail) {
    }

    private final List<Event> events = new ArrayList<>();
    private final Map<String, byte[]> results = new LinkedHashMap<>();
    private final Map<String, Result> resultInfo = new LinkedHashMap<>();
    private final Map<String, byte[]> uploads = new LinkedHashMap<>();
    private volatile boolean abortRequested;

    private synchronized void record(Kind kind, String text, String detail) {
        events.add(new Event(kind, text, detail));
        notifyAll();
    }

    /** Makes {@link #abortRequested()} answer true from now on. */
    public void requestAbort() {
        abortRequested = true;
    }

    /** Gives the job an inline upload. */
    public synchronized void putUpload(String name, byte[] content) {
        uploads.put(name, content.clone());
    }

    /** Every report so far, in order. */
    public synchronized List<Event> events() {
        return List.copyOf(events);
    }

    /** The kinds reported so far, in order. */
    public synchronized List<Kind> kinds() {
        return events.stream().map(Event::kind).toList();
    }

    /** The terminal report, if one arrived. */
    public synchronized Optional<Event> terminal() {
        return events.stream().filter(e -> e.kind().isTerminal()).findFirst();
    }

    /** The results listed so far, by id. */
    public synchronized Map<String, Result> results() {
        return Map.copyOf(resultInfo);
    }

    /** The bytes of a result written with {@link #openResult}, or null. */
    public synchronized byte[] resultBytes(String id) {
        byte[] b = results.get(id);
        return b == null ? null : b.clone();
    }

    /** The bytes of a result as UTF-8 text, or null. */
    public String resultText(String id) {
        byte[] b = resultBytes(id);
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    /**
     * Waits until an event matching {@code condition} has been reported.
     *
     * @return the first matching event
     * @throws AssertionError if none arrived within {@code timeout}
     */
    public Event await(Predicate<Event> condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (true) {
                for (Event e : events) {
                    if (condition.test(e)) {
                        return e;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no matching event within " + timeout + "; got " + events);
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted while waiting for an event", ie);
                }
            }
        }
    }

    /** Waits for the first report of {@code kind}. */
    public Event await(Kind kind, Duration timeout) {
        return await(e -> e.kind() == kind, timeout);
    }

    /** Waits for the terminal report (completed, failed or aborted). */
    public Event awaitTerminal(Duration timeout) {
        return await(e -> e.kind().isTerminal(), timeout);
    }

    @Override
    public void started() {
        record(Kind.STARTED, null, null);
    }

    @Override
    public void progress(double fraction, String message) {
        record(Kind.PROGRESS, fraction + (message == null ? "" : " " + message), null);
    }

    @Override
    public void info(String key, String value) {
        record(Kind.INFO, key + "=" + value, null);
    }

    @Override
    public OutputStream openResult(String id, String mimeType) {
        return new ByteArrayOutputStream() {
            private boolean closed;

            @Override
            public void close() {
                if (closed) {
                    return;
                }
                closed = true;
                byte[] bytes = toByteArray();
                synchronized (RecordingEvents.this) {
                    results.put(id, bytes);
                }
                addResult(Result.stored(id, mimeType, bytes.length));
            }
        };
    }

    @Override
    public void addResult(Result result) {
        synchronized (this) {
            resultInfo.put(result.id(), result);
        }
        record(Kind.RESULT, result.id(), null);
    }

    @Override
    public synchronized InputStream openUpload(String name) throws IOException {
        byte[] b = uploads.get(name);
        if (b == null) {
            throw new NoSuchFileException(name);
        }
        return new ByteArrayInputStream(b);
    }

    @Override
    public void suspended() {
        record(Kind.SUSPENDED, null, null);
    }

    @Override
    public void resumed() {
        record(Kind.RESUMED, null, null);
    }

    @Override
    public void held() {
        record(Kind.HELD, null, null);
    }

    @Override
    public void released() {
        record(Kind.RELEASED, null, null);
    }

    @Override
    public void completed() {
        record(Kind.COMPLETED, null, null);
    }

    @Override
    public void failed(String message, String detail) {
        record(Kind.FAILED, message, detail);
    }

    @Override
    public void aborted(String reason) {
        record(Kind.ABORTED, reason, null);
    }

    @Override
    public boolean abortRequested() {
        return abortRequested;
    }

    @Override
    public synchronized String toString() {
        return "RecordingEvents" + events;
    }
}
