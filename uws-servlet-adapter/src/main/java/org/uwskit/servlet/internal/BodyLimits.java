package org.uwskit.servlet.internal;

import java.nio.file.Path;
import java.time.Duration;
import org.uwskit.PayloadTooLargeException;

/**
 * How request bodies are read, as the servlet's builder resolved it, and what a client is told when its body
 * passes one of these limits.
 *
 * @param maxFormBytes       the largest urlencoded body or PUT value; also the most bytes the text fields of one
 *                           multipart body may hold together
 * @param maxMultipartBytes  the largest multipart body (all parts with their headers)
 * @param maxUploadBytes     the largest file part (the job lists' largest {@code maxUploadSize})
 * @param maxParts           the most parts of one multipart body
 * @param memoryThreshold    bodies up to this many bytes stay in memory, larger ones go to a file in {@code directory}
 * @param minRate            bytes per second a body must arrive at, on average, once {@code rateGrace} has passed
 * @param rateGrace          the slack before {@code minRate} applies: a body must have sent
 *                           {@code minRate × (elapsed − rateGrace)} bytes at any time
 * @param timeout            the longest a body may take to arrive, however fast it is
 * @param directory          the servlet's own directory for bodies spilled to disk; emptied when the servlet stops
 */
public record BodyLimits(
        long maxFormBytes,
        long maxMultipartBytes,
        long maxUploadBytes,
        int maxParts,
        int memoryThreshold,
        long minRate,
        Duration rateGrace,
        Duration timeout,
        Path directory) {
    /** 413: {@code what} is larger than {@code max} bytes. */
    static PayloadTooLargeException tooLarge(String what, long max) {
        return new PayloadTooLargeException(what + " is larger than the limit of " + max + " bytes");
    }

    /** 408: {@code what} did not arrive within {@link #timeout()}. */
    HttpProblem tooSlow(String what) {
        return new HttpProblem(408, what + " did not arrive within " + timeout().toSeconds()
                + " s; send it faster or in smaller requests");
    }

    /** 408: {@code what} arrives slower than {@link #minRate()}. */
    HttpProblem tooSlowRate(String what, long received, long elapsedMillis) {
        return new HttpProblem(408, what + " arrives too slowly (" + received + " bytes in " + elapsedMillis
                + " ms; at least " + minRate() + " bytes per second are needed)");
    }

    /** 503: the servlet is being destroyed while a body arrives. */
    static HttpProblem stopping() {
        return new HttpProblem(503, "the server is stopping; retry later");
    }
}
