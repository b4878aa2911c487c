package org.uwskit.servlet.internal;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.uwskit.PayloadTooLargeException;

/**
 * Reads request bodies without holding a container thread while the client sends them: the request is suspended
 * ({@code startAsync}) and its bytes are taken as they arrive by an {@link AsyncBody}, into a {@link Spool} bounded
 * by the body's limit. A body whose declared {@code Content-Length} is above the limit is refused with 413 before a
 * byte is read; one that grows above it while arriving, with 413 then. The {@link BodyWatch} answers 408 to bodies
 * that arrive too slowly or for too long ({@link BodyLimits}). A client that disconnects in the middle is logged at
 * DEBUG. Every path deletes the spool. The containers close a connection whose body was not read to its end after
 * the answer (Jetty 12, and Tomcat for 408 and 413), so a refused client cannot go on trickling on the same
 * connection. Thread-safe; {@link #close()} (servlet destroyed) answers the pending bodies 503, stops the watch and
 * empties the body directory.
 *
 * <p>When the container does not let the request go asynchronous (a registration without async support) the body is
 * read blocking, with the same size limit, and a warning is logged once: a slow client then holds a thread.
 */
public final class BodyReader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BodyReader.class);
    private static final int BLOCKING_CHUNK = 16 * 1024;

    /** What to do with a body that arrived whole; it runs on a container thread and the spool is closed after. */
    @FunctionalInterface
    public interface Then {
        /** Handles the whole body; a failure thrown goes to the reader's {@code fail}. */
        void accept(Spool body) throws Exception;
    }

    private final BodyLimits limits;
    private final BodyWatch watch;
    private final AtomicBoolean warnedBlocking = new AtomicBoolean();

    /** A reader of bodies within {@code limits}; starts its timer thread with the first asynchronous body. */
    public BodyReader(BodyLimits limits) {
        this.limits = limits;
        this.watch = new BodyWatch(limits);
    }

    /** The limits bodies are read within. */
    public BodyLimits limits() {
        return limits;
    }

    /** How many bodies are arriving now (for tests and monitoring). */
    public int pending() {
        return watch.pending();
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
        if (declared > maxBytes && (declared - maxBytes > AsyncBody.SWALLOW_BYTES || !req.isAsyncSupported())) {
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
        // no container timeout: the watch answers 408 at the deadline. A container timeout is one task per request
        // in the container's one scheduler queue, scheduled and cancelled under its lock: at thousands of job
        // creations a second, container threads queued there (profile of issue 13)
        ac.setTimeout(0);
        AsyncBody body = new AsyncBody(ac, limits, maxBytes, what, then, fail, declared, watch::ended);
        ac.addListener(body);
        if (!watch.watch(body)) {
            body.finish(BodyLimits.stopping());
            return;
        }
        try {
            req.getInputStream().setReadListener(body);
        } catch (IOException | RuntimeException e) {
            body.finish(new IllegalStateException("cannot read the request body asynchronously", e));
        }
    }

    /** Runs {@code then} with the whole body, closes it after, and passes any failure to {@code fail}. */
    static void runThen(Spool body, Then then, Consumer<Throwable> fail) {
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
            byte[] buf = new byte[BLOCKING_CHUNK];
            InputStream in = req.getInputStream();
            int n;
            while ((n = in.read(buf)) >= 0) {
                if (spool.size() + n > maxBytes) {
                    throw BodyLimits.tooLarge(what, maxBytes);
                }
                spool.write(buf, 0, n);
                if (System.nanoTime() > deadline) {
                    throw limits.tooSlow(what);
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

    /** Answers the pending bodies 503, stops the watch and deletes what is left in the body directory. */
    @Override
    public void close() {
        watch.close();
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
}
