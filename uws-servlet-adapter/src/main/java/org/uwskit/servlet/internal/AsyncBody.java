package org.uwskit.servlet.internal;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request body arriving on a suspended request: its bytes are taken with a Servlet 6 {@link ReadListener} as
 * they arrive, into a {@link Spool} bounded by the body's limit; past the limit the rest is read and dropped, up to
 * {@link #SWALLOW_BYTES}, then refused with 413. The body ends once: read whole (the {@link BodyReader.Then} runs
 * on a container thread), refused ({@link #finish}, by itself or by the {@link BodyWatch} that polices its time and
 * rate), or gone (the client closed the connection). Its state changes under its own lock; the first of these wins,
 * and every path closes the spool and completes the request.
 */
final class AsyncBody implements ReadListener, AsyncListener {
    private static final Logger LOG = LoggerFactory.getLogger(AsyncBody.class);
    private static final int CHUNK = 16 * 1024;
    /**
     * How far past its limit a body is still read (and thrown away) before the 413 is sent, as Tomcat's
     * {@code maxSwallowSize} does: a client that streams a body without reading the answer first (the JDK's
     * HttpClient, many libraries) then gets the 413 instead of a broken pipe. Bodies declared larger are refused
     * at once and the connection is closed.
     */
    static final long SWALLOW_BYTES = 2L << 20;

    private final AsyncContext ac;
    private final BodyLimits limits;
    private final long maxBytes;
    private final String what;
    private final BodyReader.Then then;
    private final Consumer<Throwable> fail;
    private final Consumer<AsyncBody> ended;
    private final long started = System.nanoTime();
    private final Spool spool;
    private final byte[] buf;
    /** The declared Content-Length, or -1. */
    private final long declared;
    private boolean over;
    /** Set once the body passed its limit: the rest is read and dropped, up to {@link #SWALLOW_BYTES}. */
    private Throwable refused;
    private long dropped;

    /**
     * @param declared the declared {@code Content-Length}, or -1
     * @param ended    told once, when the body ends whichever way
     */
    AsyncBody(AsyncContext ac, BodyLimits limits, long maxBytes, String what, BodyReader.Then then,
              Consumer<Throwable> fail, long declared, Consumer<AsyncBody> ended) {
        this.ac = ac;
        this.limits = limits;
        this.declared = declared;
        this.buf = new byte[chunk(declared)];
        this.spool = new Spool(limits.directory(), limits.memoryThreshold());
        this.maxBytes = maxBytes;
        this.what = what;
        this.then = then;
        this.fail = fail;
        this.ended = ended;
    }

    /**
     * The read buffer for a body of {@code declared} bytes (-1 unknown): a small form body gets a buffer of its size
     * (and one byte more, to see its end in the same read) rather than {@value #CHUNK} bytes; a 16 KB buffer per job
     * creation was half of all the bytes a job-creation load allocated.
     */
    static int chunk(long declared) {
        return declared >= 0 && declared < CHUNK ? (int) declared + 1 : CHUNK;
    }

    /** What is read, for the messages of a refusal. */
    String what() {
        return what;
    }

    /** When it started ({@link System#nanoTime()}). */
    long started() {
        return started;
    }

    /** The bytes received so far; {@link Long#MAX_VALUE} once it has ended (nothing to police any more). */
    synchronized long received() {
        return over ? Long.MAX_VALUE : spool.size();
    }

    /** Marks the read over; true for the one caller that did so. */
    private boolean end() {
        synchronized (this) {
            if (over) {
                return false;
            }
            over = true;
        }
        ended.accept(this);
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
                        refused = BodyLimits.tooLarge(what, maxBytes);
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
            BodyReader.runThen(spool, then, fail);
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
        } catch (IllegalStateException | RejectedExecutionException e) {
            // the container is stopping: answer here
            answer.run();
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
        finish(limits.tooSlow(what));
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
