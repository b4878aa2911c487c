package org.uwskit.servlet.internal;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.uwskit.PayloadTooLargeException;

/**
 * Reads request bodies without holding a container thread while the client sends them: the request is suspended
 * ({@code startAsync}) and its bytes are taken with a Servlet 6 {@link ReadListener} as they arrive, into a
 * {@link Spool} bounded by the body's limit. A body whose declared {@code Content-Length} is above the limit is
 * refused with 413 before a byte is read; one that grows above it while arriving, with 413 then. One owned timer
 * thread ({@code uwskit-body-timer}) checks every pending body a few times a second against the total deadline and
 * the minimum data rate ({@link BodyLimits}) and answers 408 to those too slow. A client that disconnects in the
 * middle is logged at DEBUG. Every path deletes the spool. The containers close a connection whose body was not
 * read to its end after the answer (Jetty 12, and Tomcat for 408 and 413), so a refused client cannot go on
 * trickling on the same connection. Thread-safe; {@link #close()} (servlet destroyed)
 * answers the pending bodies 503, stops the timer and empties the body directory.
 *
 * <p>When the container does not let the request go asynchronous (a registration without async support) the body is
 * read blocking, with the same size limit, and a warning is logged once: a slow client then holds a thread.
 */
public final class BodyReader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BodyReader.class);
    private static final long CHECK_MILLIS = 200;
    private static final int CHUNK = 16 * 1024;
    /**
     * How far past its limit a body is still read (and thrown away) before the 413 is sent, as Tomcat's
     * {@code maxSwallowSize} does: a client that streams a body without reading the answer first (the JDK's
     * HttpClient, many libraries) then gets the 413 instead of a broken pipe. Bodies declared larger are refused
     * at once and the connection is closed.
     */
    static final long SWALLOW_BYTES = 2L << 20;

    /** What to do with a body that arrived whole; it runs on a container thread and the spool is closed after. */
    @FunctionalInterface
    public interface Then {
        void accept(Spool body) throws Exception;
    }

    private final BodyLimits limits;
    private final Set<Read> pending = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean warnedBlocking = new AtomicBoolean();
    private final Object timerLock = new Object();
    private ScheduledExecutorService timer;
    private volatile boolean closed;

    public BodyReader(BodyLimits limits) {
        this.limits = limits;
    }

    public BodyLimits limits() {
        return limits;
    }

    /** How many bodies are arriving now (for tests and monitoring). */
    public int pending() {
        return pending.size();
    }

    /**
     * Reads the body of {@code req} (at most {@code maxBytes}), then calls {@code then} with it; every failure to
     * get it (too large, too slow, server stopping) goes to {@code fail} as an exception the dispatcher maps to a
     * status, a client gone goes nowhere. {@code then} and {@code fail} must not throw. Returns at once when the
     * body is read asynchronously; the request is completed after {@code then} or {@code fail} returned.
     */
    public void read(HttpServletRequest req, HttpServletResponse resp, long maxBytes, String what, Then then,
                     Consumer<Throwable> fail) {
        long declared = req.getContentLengthLong();
        if (declared > maxBytes && (declared - maxBytes > SWALLOW_BYTES || !req.isAsyncSupported())) {
            fail.accept(new PayloadTooLargeException(what + " of " + declared + " bytes is larger than the limit of "
                    + maxBytes + " bytes"));
            return;
        }
        if (declared == 0) {
            runThen(Spool.empty(), then, fail);
            return;
        }
        if (!req.isAsyncSupported()) {
            readBlocking(req, maxBytes, what, then, fail);
            return;
        }
        AsyncContext ac = req.startAsync(req, resp);
        // no container timeout: the timer answers 408 at the deadline. A container timeout is one task per request
        // in the container's one scheduler queue, scheduled and cancelled under its lock: at thousands of job
        // creations a second, container threads queued there (profile of issue 13)
        ac.setTimeout(0);
        Read r = new Read(ac, maxBytes, what, then, fail, declared);
        ac.addListener(r);
        pending.add(r);
        ensureTimer();
        if (closed) {
            r.finish(stopping());
            return;
        }
        try {
            req.getInputStream().setReadListener(r);
        } catch (IOException | RuntimeException e) {
            r.finish(new IllegalStateException("cannot read the request body asynchronously", e));
        }
    }

    /**
     * The read buffer for a body of {@code declared} bytes (-1 unknown): a small form body gets a buffer of its size
     * (and one byte more, to see its end in the same read) rather than {@value #CHUNK} bytes; a 16 KB buffer per job
     * creation was half of all the bytes a job-creation load allocated.
     */
    static int chunk(long declared) {
        return declared >= 0 && declared < CHUNK ? (int) declared + 1 : CHUNK;
    }

    private void runThen(Spool body, Then then, Consumer<Throwable> fail) {
        try (body) {
            then.accept(body);
        } catch (Throwable t) {
            fail.accept(t);
        }
    }

    private void readBlocking(HttpServletRequest req, long maxBytes, String what, Then then,
                              Consumer<Throwable> fail) {
        if (warnedBlocking.compareAndSet(false, true)) {
            LOG.warn("the UWS servlet is registered without async support: request bodies are read blocking and a "
                    + "slow client holds a container thread; enable async support on its registration");
        }
        Spool spool = new Spool(limits.directory(), limits.memoryThreshold());
        try {
            long deadline = System.nanoTime() + limits.timeout().toNanos();
            byte[] buf = new byte[CHUNK];
            InputStream in = req.getInputStream();
            int n;
            while ((n = in.read(buf)) >= 0) {
                if (spool.size() + n > maxBytes) {
                    throw tooLarge(what, maxBytes);
                }
                spool.write(buf, 0, n);
                if (System.nanoTime() > deadline) {
                    throw tooSlow(what);
                }
            }
        } catch (IOException e) {
            spool.close();
            LOG.debug("{} {}: the client went away while sending its body: {}", req.getMethod(), req.getRequestURI(),
                    e.toString());
            return;
        } catch (RuntimeException e) {
            spool.close();
            fail.accept(e);
            return;
        }
        runThen(spool, then, fail);
    }

    private static PayloadTooLargeException tooLarge(String what, long max) {
        return new PayloadTooLargeException(what + " is larger than the limit of " + max + " bytes");
    }

    private HttpProblem tooSlow(String what) {
        return new HttpProblem(408, what + " did not arrive within " + limits.timeout().toSeconds()
                + " s; send it faster or in smaller requests");
    }

    private HttpProblem tooSlowRate(String what, long received, long elapsedMillis) {
        return new HttpProblem(408, what + " arrives too slowly (" + received + " bytes in " + elapsedMillis
                + " ms; at least " + limits.minRate() + " bytes per second are needed)");
    }

    private static HttpProblem stopping() {
        return new HttpProblem(503, "the server is stopping; retry later");
    }

    private void ensureTimer() {
        synchronized (timerLock) {
            if (timer == null && !closed) {
                timer = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "uwskit-body-timer");
                    t.setDaemon(true);
                    return t;
                });
                timer.scheduleAtFixedRate(this::sweep, CHECK_MILLIS, CHECK_MILLIS, TimeUnit.MILLISECONDS);
            }
        }
    }

    private void sweep() {
        long now = System.nanoTime();
        for (Read r : pending) {
            try {
                r.check(now);
            } catch (RuntimeException e) {
                LOG.warn("checking a pending request body failed", e);
            }
        }
    }

    /** Answers the pending bodies 503, stops the timer and deletes what is left in the body directory. */
    @Override
    public void close() {
        closed = true;
        for (Read r : pending) {
            r.finish(stopping());
        }
        synchronized (timerLock) {
            if (timer != null) {
                timer.shutdownNow();
                timer = null;
            }
        }
        Path dir = limits.directory();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                files.filter(p -> p.getFileName().toString().startsWith("body-")).forEach(p -> {
                    try {
                        Files.deleteIfExists(p);
                    } catch (IOException e) {
                        LOG.warn("could not delete {}: {}", p, e.toString());
                    }
                });
            } catch (IOException e) {
                LOG.warn("could not list {}: {}", dir, e.toString());
            }
        }
    }

    /** One body arriving. Its state changes under its own lock; the first of done/failed/gone wins. */
    private final class Read implements ReadListener, AsyncListener {
        private final AsyncContext ac;
        private final long maxBytes;
        private final String what;
        private final Then then;
        private final Consumer<Throwable> fail;
        private final long started = System.nanoTime();
        private final Spool spool = new Spool(limits.directory(), limits.memoryThreshold());
        private final byte[] buf;
        /** The declared Content-Length, or -1. */
        private final long declared;
        private boolean over;
        /** Set once the body passed its limit: the rest is read and dropped, up to {@link #SWALLOW_BYTES}. */
        private Throwable refused;
        private long dropped;

        Read(AsyncContext ac, long maxBytes, String what, Then then, Consumer<Throwable> fail, long declared) {
            this.ac = ac;
            this.declared = declared;
            this.buf = new byte[chunk(declared)];
            this.maxBytes = maxBytes;
            this.what = what;
            this.then = then;
            this.fail = fail;
        }

        /** Marks the read over; true for the one caller that did so. */
        private synchronized boolean end() {
            if (over) {
                return false;
            }
            over = true;
            pending.remove(this);
            return true;
        }

        @Override
        public void onDataAvailable() throws IOException {
            ServletInputStream in = ac.getRequest().getInputStream();
            Throwable problem = null;
            boolean whole = false;
            synchronized (this) {
                while (!over && in.isReady()) {
                    int n = in.read(buf);
                    if (n < 0) {
                        break; // onAllDataRead follows
                    }
                    if (refused != null || spool.size() + n > maxBytes) {
                        if (refused == null) {
                            refused = tooLarge(what, maxBytes);
                            spool.close();
                        }
                        dropped += n;
                        if (dropped > SWALLOW_BYTES) {
                            problem = refused;
                            break;
                        }
                        continue;
                    }
                    try {
                        spool.write(buf, 0, n);
                    } catch (IOException e) {
                        LOG.warn("cannot spool a request body to {}: {}", limits.directory(), e.toString());
                        problem = new HttpProblem(503, "the server cannot store the request body now; retry later");
                        break;
                    }
                    if (spool.size() == declared) {
                        // every declared byte is here: no read for the end. Jetty 12 checks its minimum data rate
                        // (which hosts are told to set for other servlets) on each read, over the time since the
                        // first byte: a 9-byte form read again 9 ms later, on a busy machine, was refused with 408
                        whole = true;
                        break;
                    }
                }
            }
            if (problem != null) {
                finish(problem);
            } else if (whole) {
                onAllDataRead();
            }
        }

        @Override
        public void onAllDataRead() {
            Throwable r;
            synchronized (this) {
                r = refused;
            }
            if (r != null) {
                finish(r);
                return;
            }
            if (!end()) {
                return;
            }
            try {
                runThen(spool, then, fail);
            } finally {
                complete();
            }
        }

        @Override
        public void onError(Throwable t) {
            gone(t);
        }

        /**
         * The container gave up on the body: the client went away (reset, closed), or the container's own idle
         * timeout or minimum data rate cut it. Logged at DEBUG; a 408 is still written in case the client is there
         * (else the container would complete the request with an empty 200), and dropped quietly if it is not.
         */
        private void gone(Throwable t) {
            if (!end()) {
                return;
            }
            LOG.debug("{} {}: the request body could not be read to its end: {}", method(), uri(), String.valueOf(t));
            synchronized (this) {
                spool.close();
            }
            try {
                fail.accept(new HttpProblem(408, what + " could not be read to its end (the connection was closed, "
                        + "or it arrived too slowly for the server)"));
            } finally {
                complete();
            }
        }

        /** Refuses the body with {@code problem}, answered on a container thread. */
        void finish(Throwable problem) {
            if (!end()) {
                return;
            }
            synchronized (this) {
                spool.close();
            }
            Runnable answer = () -> {
                try {
                    fail.accept(problem);
                } finally {
                    complete();
                }
            };
            try {
                ac.start(answer);
            } catch (IllegalStateException | java.util.concurrent.RejectedExecutionException e) {
                // the container is stopping: answer here
                answer.run();
            }
        }

        void check(long now) {
            long elapsed = now - started;
            if (elapsed > limits.timeout().toNanos()) {
                finish(tooSlow(what));
                return;
            }
            long grace = limits.rateGrace().toNanos();
            if (elapsed > grace && limits.minRate() > 0) {
                long size;
                synchronized (this) {
                    size = over ? Long.MAX_VALUE : spool.size();
                }
                double needed = limits.minRate() * ((elapsed - grace) / 1e9);
                if (size < needed) {
                    finish(tooSlowRate(what, size, elapsed / 1_000_000));
                }
            }
        }

        private void complete() {
            try {
                ac.complete();
            } catch (IllegalStateException e) {
                LOG.debug("{} {}: already completed: {}", method(), uri(), e.toString());
            }
        }

        private String method() {
            return ((HttpServletRequest) ac.getRequest()).getMethod();
        }

        private String uri() {
            return ((HttpServletRequest) ac.getRequest()).getRequestURI();
        }

        @Override
        public void onComplete(AsyncEvent event) {
            if (end()) {
                synchronized (this) {
                    spool.close();
                }
            }
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            finish(tooSlow(what));
        }

        @Override
        public void onError(AsyncEvent event) {
            gone(event.getThrowable());
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            // not re-dispatched
        }
    }
}
