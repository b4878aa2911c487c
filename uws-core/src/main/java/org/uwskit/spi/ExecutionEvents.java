package org.uwskit.spi;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.uwskit.Result;

/**
 * The engine's handle for one submitted job: the backend pushes state changes and results through it, and reads the
 * job's uploads. Given to {@link ExecutionBackend#submit} and {@link Reattachable#reattach}.
 *
 * <p><b>Threading:</b> every method may be called from any thread. State methods are idempotent and ordered by the
 * phase machine: a report that the job's phase no longer allows (completed after the client aborted it) is ignored,
 * never an exception. Methods never block on the job's execution.
 */
public interface ExecutionEvents {

    /** The work has started running (QUEUED → EXECUTING; HELD/SUSPENDED → EXECUTING). */
    void started();

    /**
     * Progress, shown in the job's jobInfo.
     *
     * @param fraction between 0 and 1, or negative if unknown
     * @param message  a short text, or null
     */
    void progress(double fraction, String message);

    /** An implementation-specific fact shown in jobInfo (for instance the SLURM job id). Key: an XML name. */
    void info(String key, String value);

    /**
     * Opens a result for writing into result storage; the result is listed (with its size) when the stream is
     * closed. Writing the same id again replaces it.
     *
     * @param id       a legal path segment, unique within the job
     * @param mimeType the MIME type, or null
     * @throws IOException if storage fails
     */
    OutputStream openResult(String id, String mimeType) throws IOException;

    /** Lists a result whose bytes are elsewhere (a URL, a shared file system path written as a file: URI). */
    void addResult(Result result);

    /**
     * Reads an inline upload of the job.
     *
     * @throws java.nio.file.NoSuchFileException if there is no upload of that name
     */
    InputStream openUpload(String name) throws IOException;

    /** The job is paused (EXECUTING → SUSPENDED). */
    void suspended();

    /** The job resumed (SUSPENDED → EXECUTING). */
    void resumed();

    /** The job is held (EXECUTING → HELD). */
    void held();

    /** The work finished successfully (→ COMPLETED). */
    void completed();

    /**
     * The work failed (→ ERROR).
     *
     * @param message a short message for the client
     * @param detail  a longer text served at /error (log tail, stack trace), or null
     */
    void failed(String message, String detail);

    /** The work was stopped (→ ABORTED), by the backend itself or after {@link ExecutionBackend#abort}. */
    void aborted(String reason);

    /** Whether an abort (client ABORT, execution duration exceeded, shutdown) was requested for this job. */
    boolean abortRequested();
}
