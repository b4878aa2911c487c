package org.uwskit.servlet.internal;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.uwskit.Caller;

/**
 * One open {@code text/event-stream} answer of {@link JobEvents}: the caller, its job list, which jobs it may see
 * (learnt once per job), the version last sent per job, and a small write queue drained with non-blocking output, so
 * that a client that stops reading never blocks the thread that feeds every stream: beyond {@value #MAX_PENDING}
 * unsent bytes the stream is ended (the browser reconnects and re-reads its list). Thread-safe.
 */
final class EventStream implements WriteListener {
    static final int MAX_PENDING = 64 * 1024;
    private static final int MAX_KNOWN = 10_000;

    final Caller caller;
    final String owner;
    final String jobList;
    final long openedNanos = System.nanoTime();
    private final AsyncContext ac;
    private final ServletOutputStream out;
    private final Runnable onClose;
    private final StringBuilder pending = new StringBuilder();
    private boolean needFlush;
    private boolean closed;
    private volatile ClientGone.Watch watch = ClientGone.NONE;
    /** Jobs this caller may see, with the version last sent (-1: none yet). Hub thread only. */
    final Map<String, Long> visible = new HashMap<>();
    /** Jobs this caller may not see. Hub thread only. */
    final Set<String> hidden = new HashSet<>();
    /** The active jobs seen at the last poll (without a change feed). Hub thread only. */
    Set<String> active = new HashSet<>();

    EventStream(Caller caller, String owner, String jobList, AsyncContext ac, Runnable onClose) throws IOException {
        this.caller = caller;
        this.owner = owner;
        this.jobList = jobList;
        this.ac = ac;
        this.out = ac.getResponse().getOutputStream();
        this.onClose = onClose;
    }

    /**
     * Starts non-blocking output (the container then calls {@link #onWritePossible}) and, where the container allows
     * ({@link ClientGone}), watches for the client leaving, so that a closed page frees its stream at once.
     */
    void start(ClientGone clientGone) {
        out.setWriteListener(this);
        watch = clientGone.watch((jakarta.servlet.http.HttpServletRequest) ac.getRequest(), this::close);
        if (isClosed()) {
            watch.close();
        }
    }

    /** Queues one event ({@code event:} and one {@code data:} line); ends the stream if the client lags too far. */
    void send(String event, String data) {
        enqueue("event: " + event + "\ndata: " + data + "\n\n");
    }

    /** Queues the stream's reconnection delay ({@code retry:}), which the browser uses after the stream ends. */
    void retry(long millis) {
        enqueue("retry: " + millis + "\n\n");
    }

    /** Queues a comment line (heartbeat). */
    void comment(String text) {
        enqueue(": " + text + "\n\n");
    }

    private void enqueue(String s) {
        synchronized (this) {
            if (closed) {
                return;
            }
            if (pending.length() + s.length() > MAX_PENDING) {
                close();
                return;
            }
            pending.append(s);
        }
        pump();
    }

    private synchronized void pump() {
        try {
            while (!closed && out.isReady()) {
                if (pending.length() > 0) {
                    byte[] b = pending.toString().getBytes(StandardCharsets.UTF_8);
                    pending.setLength(0);
                    out.write(b);
                    needFlush = true;
                } else if (needFlush) {
                    needFlush = false;
                    out.flush();
                } else {
                    return;
                }
            }
        } catch (IOException | IllegalStateException e) {
            close();
        }
    }

    @Override
    public void onWritePossible() {
        pump();
    }

    @Override
    public void onError(Throwable t) {
        close();
    }

    /** Ends the answer (idempotent). */
    void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        watch.close();
        try {
            ac.complete();
        } catch (IllegalStateException alreadyDone) {
            // the container ended it first
        }
        onClose.run();
    }

    synchronized boolean isClosed() {
        return closed;
    }

    /** Forgets what it learnt when the maps grow too large (they are re-learnt on the next change). */
    void trim() {
        if (visible.size() + hidden.size() > MAX_KNOWN) {
            visible.clear();
            hidden.clear();
        }
    }
}
