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
 * never an exception. Methods never block on the job's execution. State, progress, info and result methods store
 * the change before they return; while the job store is unavailable they keep it (in order, per job) and return at
 * once, and the engine stores it when the store answers. State reports after the terminal event change nothing.
 *
 * <p>Implemented by the engine; backends only call it. The handle stays valid until the job's outcome is reported;
 * a backend must not keep using it for other jobs.
 */
public interface ExecutionEvents {

    /**
     * The work has started running (QUEUED → EXECUTING; HELD/SUSPENDED → EXECUTING). Sets the job's startTime the
     * first time.
     */
    void started();

    /**
     * Progress, shown in the job's jobInfo (keys {@code progress}, a fraction with three decimals, and
     * {@code progressMessage}). Ignored once the job has finished.
     *
     * @param fraction between 0 and 1, or negative if unknown
     * @param message  a short text, or null
     */
    void progress(double fraction, String message);

    /**
     * An implementation-specific fact shown in jobInfo (for instance the SLURM job id). A later call with the same
     * key replaces the value.
     *
     * @param key   an XML name
     * @param value the value; null is stored as the empty string
     * @throws IllegalArgumentException if {@code key} is not an XML name
     */
    void info(String key, String value);

    /**
     * Opens a result for writing into result storage; the result is listed (with its size) when the stream is
     * closed. Writing the same id again replaces it. The caller must close the stream; bytes written before an
     * abort are kept as a result once it is closed.
     *
     * @param id       a legal path segment, unique within the job
     * @param mimeType the MIME type, or null
     * @return a stream into result storage
     * @throws IllegalArgumentException if {@code id} is not a valid name ({@link ResultStore#checkName})
     * @throws IOException              if storage fails
     */
    OutputStream openResult(String id, String mimeType) throws IOException;

    /**
     * Lists a result whose bytes are elsewhere (a URL, a shared file system path written as a file: URI). Replaces a
     * result of the same id.
     *
     * @param result the result
     * @throws IllegalArgumentException if its id is not a valid name ({@link ResultStore#checkName})
     */
    void addResult(Result result);

    /**
     * Reads an inline upload of the job, whole. The caller closes the stream.
     *
     * @param name the parameter name (case-insensitive) or the upload's part name
     * @return the upload's bytes
     * @throws java.nio.file.NoSuchFileException if there is no upload of that name
     * @throws IOException                       if storage fails or the job store is unavailable
     */
    InputStream openUpload(String name) throws IOException;

    /** The job is paused (EXECUTING → SUSPENDED); ignored in another phase. */
    void suspended();

    /** The job resumed (SUSPENDED → EXECUTING); ignored in another phase. */
    void resumed();

    /** The job is held (QUEUED or EXECUTING → HELD), by the backend's scheduler or an operator; ignored in another phase. */
    void held();

    /**
     * A held job was released and waits to run again (HELD → QUEUED); ignored in another phase. When it runs, the
     * backend reports {@link #started()}.
     *
     * <p>The default does nothing, for implementations written before this event existed.
     */
    default void released() {
    }

    /** The work finished successfully (→ COMPLETED). A terminal event: report it once, after the last result. */
    void completed();

    /**
     * The work failed (→ ERROR). A terminal event.
     *
     * @param message a short message for the client; null or blank becomes "the job failed"
     * @param detail  a longer text served at /error (log tail, stack trace), or null
     */
    void failed(String message, String detail);

    /**
     * The work was stopped (→ ABORTED), by the backend itself or after {@link ExecutionBackend#abort}. A terminal
     * event; results written so far are kept.
     *
     * @param reason a few words for the phase history, or null
     */
    void aborted(String reason);

    /**
     * Whether an abort (client ABORT, execution duration exceeded, deletion, engine shutdown) was requested for this
     * job. Cheap; long-running work polls it to stop early.
     *
     * @return true once an abort was requested
     */
    boolean abortRequested();
}
