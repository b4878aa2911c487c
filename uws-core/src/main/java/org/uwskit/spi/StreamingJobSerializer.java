package org.uwskit.spi;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Iterator;
import java.util.Objects;
import org.uwskit.Job;
import org.uwskit.JobRef;

/**
 * The skeleton every streaming {@link JobSerializer} shares, so that a format (uws-core's XML and JSON, or one of
 * yours) writes only its own parts: arguments are checked, each document is written between {@link #begin} and
 * {@link #end} on one format writer, a job list is written while its iterator is consumed (each job ref checked),
 * and a document whose writing failed is left unfinished (never closed into a valid-looking one) with the failure
 * thrown. Format exceptions other than {@link IOException} are turned into one by {@link #asIOException}.
 *
 * <p>Subclasses must be thread-safe (each call gets its own format writer from {@link #open}).
 *
 * @param <W> the format's writer (a StAX writer, a JSON generator)
 */
public abstract class StreamingJobSerializer<W> implements JobSerializer {

    /** One part of a document, written on the format's writer. */
    @FunctionalInterface
    protected interface Part<W> {
        /**
         * Writes the part.
         *
         * @param w the format's writer
         * @throws Exception on a failure of the format or the stream
         */
        void write(W w) throws Exception;
    }

    /** For subclasses. */
    protected StreamingJobSerializer() {
    }

    /**
     * Opens the format's writer on {@code out}.
     *
     * @throws IOException if it cannot be opened
     */
    protected abstract W open(OutputStream out) throws IOException;

    /** Writes what precedes every document (a declaration, a processing instruction). */
    protected void begin(W w) throws Exception {
    }

    /** Writes what ends every document. */
    protected void end(W w) throws Exception {
    }

    /**
     * Releases the format's writer after a document, without closing {@code out}: flushes everything when
     * {@code complete}; otherwise leaves the document unfinished, adds any failure of its own to {@code failure}
     * as suppressed, and does not throw.
     *
     * @throws IOException only when {@code complete} and the stream fails
     */
    protected abstract void release(W w, OutputStream out, boolean complete, Throwable failure) throws IOException;

    /** Turns a failure of the format (not an {@link IOException}) into an {@link IOException}. */
    protected abstract IOException asIOException(Exception e);

    /** Writes the whole job document. */
    protected abstract void job(W w, Job job, JobLinks links) throws Exception;

    /** Writes the start of a job list document. */
    protected abstract void startJobList(W w) throws Exception;

    /** Writes one job ref of a job list (its phase is not null). */
    protected abstract void jobRef(W w, JobRef ref, JobLinks links) throws Exception;

    /** Writes the end of a job list document. */
    protected abstract void endJobList(W w) throws Exception;

    /** Writes the whole results document of a job. */
    protected abstract void results(W w, Job job, JobLinks links) throws Exception;

    /** Writes the whole parameters document of a job. */
    protected abstract void parameters(W w, Job job, JobLinks links) throws Exception;

    @Override
    public final void writeJob(Job job, JobLinks links, OutputStream out) throws IOException {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(links, "links");
        write(out, w -> job(w, job, links));
    }

    @Override
    public final void writeJobList(Iterator<JobRef> jobs, JobLinks links, OutputStream out) throws IOException {
        Objects.requireNonNull(jobs, "jobs");
        Objects.requireNonNull(links, "links");
        write(out, w -> {
            startJobList(w);
            while (jobs.hasNext()) {
                JobRef ref = jobs.next();
                Objects.requireNonNull(ref, "the job list iterator returned null");
                Objects.requireNonNull(ref.phase(), () -> "jobref " + ref.jobId() + " has no phase");
                jobRef(w, ref, links);
            }
            endJobList(w);
        });
    }

    @Override
    public final void writeResults(Job job, JobLinks links, OutputStream out) throws IOException {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(links, "links");
        write(out, w -> results(w, job, links));
    }

    @Override
    public final void writeParameters(Job job, JobLinks links, OutputStream out) throws IOException {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(links, "links");
        write(out, w -> parameters(w, job, links));
    }

    private void write(OutputStream out, Part<W> part) throws IOException {
        Objects.requireNonNull(out, "out");
        W w = open(out);
        boolean complete = false;
        Throwable failure = null;
        try {
            begin(w);
            part.write(w);
            end(w);
            complete = true;
        } catch (IOException | RuntimeException | Error e) {
            failure = e;
            throw e;
        } catch (Exception e) {
            IOException io = asIOException(e);
            failure = io;
            throw io;
        } finally {
            release(w, out, complete, failure);
        }
    }
}
