package org.uwskit.servlet.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.uwskit.AccessDeniedException;
import org.uwskit.IllegalPhaseTransitionException;
import org.uwskit.InvalidRequestException;
import org.uwskit.InvalidStateException;
import org.uwskit.JobNotFoundException;
import org.uwskit.JobRejectedException;
import org.uwskit.PayloadTooLargeException;
import org.uwskit.QuotaExceededException;
import org.uwskit.StaleVersionException;
import org.uwskit.StoreUnavailableException;
import org.uwskit.UwsException;

/**
 * Turns an exception into the HTTP answer: every {@link UwsException} and {@link HttpProblem} becomes its status
 * with its {@code text/plain} message (404, 403 or 401, 400, 408, 413, 409, 429 and 503 with {@code Retry-After}); another
 * owner's job is a 404 worded as for an unknown id when the servlet hides other owners' jobs; anything else is a
 * 500 whose text is only a reference id ({@code internal error (reference 1a2b-7)}), the exception and its stack
 * trace going to the log under that reference. Thread-safe.
 */
public final class ErrorMapping {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorMapping.class);
    private static final String TEXT = "text/plain;charset=UTF-8";

    /** A qualified Java class name of an exception or error, with its colon: {@code org.x.BadMessageException: }. */
    private static final java.util.regex.Pattern JAVA_TYPE = java.util.regex.Pattern.compile(
            "\\b(?:[a-z][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*(?:Exception|Error)\\b:?\\s*");

    private final AdapterConfig c;
    private final String instance = Long.toHexString(System.identityHashCode(this));
    private final AtomicLong refs = new AtomicLong();

    public ErrorMapping(AdapterConfig config) {
        this.c = config;
    }

    /**
     * {@code message} without qualified exception class names, which a container's exception text may carry into a
     * 4xx message (Jetty: {@code org.eclipse.jetty.http.BadMessageException: 400: ...}).
     */
    static String withoutJavaTypes(String message) {
        return JAVA_TYPE.matcher(message).replaceAll("").trim();
    }

    /** Writes the answer for {@code thrown}; does nothing but log when the response is already committed. */
    public void write(HttpServletRequest req, HttpServletResponse resp, Throwable thrown) {
        Throwable t = thrown;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        int status;
        String message = t.getMessage();
        String allow = null;
        String challenge = null;
        long retryAfter = -1;
        if (t instanceof HttpProblem h) {
            status = h.status();
            allow = h.allow();
        } else if (t instanceof JobNotFoundException) {
            status = 404;
        } else if (t instanceof AccessDeniedException a) {
            if (a.jobId() != null && c.web().hideOtherOwnersJobs()) {
                status = 404;
                message = new JobNotFoundException(a.jobId()).getMessage();
            } else if (a.authenticationRequired() && c.authenticationChallenge() != null) {
                status = 401;
                challenge = c.authenticationChallenge();
            } else {
                status = 403;
            }
        } else if (t instanceof IllegalPhaseTransitionException || t instanceof InvalidStateException
                || t instanceof JobRejectedException) {
            status = 403;
        } else if (t instanceof InvalidRequestException) {
            status = 400;
        } else if (t instanceof PayloadTooLargeException) {
            status = 413;
        } else if (t instanceof QuotaExceededException q) {
            status = 429;
            retryAfter = q.retryAfterSeconds();
        } else if (t instanceof StoreUnavailableException) {
            status = 503;
            retryAfter = c.retryAfterSeconds();
            LOG.warn("job store unavailable for {} {}: {}", req.getMethod(), req.getRequestURI(), t.toString());
            message = "the job store is unavailable; retry later";
        } else if (t instanceof StaleVersionException) {
            status = 409;
        } else if (t instanceof UwsException || t instanceof IllegalArgumentException) {
            status = 400;
        } else if (t instanceof CancellationException) {
            return;
        } else if (t instanceof IOException && resp.isCommitted()) {
            LOG.debug("{} {}: the client went away: {}", req.getMethod(), req.getRequestURI(), t.toString());
            return;
        } else {
            status = 500;
            String ref = instance + "-" + refs.incrementAndGet();
            message = "internal error (reference " + ref + "); the server log has the details";
            LOG.error("{} {} failed (reference {})", req.getMethod(), req.getRequestURI(), ref, t);
        }
        if (resp.isCommitted()) {
            if (status != 500) {
                LOG.debug("{} {}: {} after the response was committed: {}", req.getMethod(), req.getRequestURI(),
                        status, message);
            }
            return;
        }
        try {
            resp.reset();
            resp.setStatus(status);
            ContentSafety.nosniff(resp);
            if (status == 408 || status == 413) {
                // the body may be left unread and the container then closes the connection: say so, or a client
                // reuses it for its next request and gets no answer at all
                resp.setHeader("Connection", "close");
            }
            if (allow != null) {
                resp.setHeader("Allow", allow);
            }
            if (challenge != null) {
                resp.setHeader("WWW-Authenticate", challenge);
            }
            if (retryAfter >= 0) {
                resp.setHeader("Retry-After", Long.toString(retryAfter));
            }
            resp.setContentType(TEXT);
            byte[] bytes = ((message == null ? "error " + status : withoutJavaTypes(message)) + "\n")
                    .getBytes(StandardCharsets.UTF_8);
            resp.setContentLength(bytes.length);
            resp.getOutputStream().write(bytes);
        } catch (IOException | IllegalStateException e) {
            LOG.debug("could not write the {} answer to {} {}: {}", status, req.getMethod(), req.getRequestURI(),
                    e.toString());
        }
    }
}
