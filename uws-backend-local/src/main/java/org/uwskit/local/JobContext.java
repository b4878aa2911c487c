package org.uwskit.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import org.slf4j.Logger;
import org.uwskit.Result;
import org.uwskit.TypedParameters;

/**
 * What {@link JobLogic} sees of its job. Valid only while {@link JobLogic#run} runs; the methods may be called from
 * the job's thread and from threads the logic starts itself (all are thread-safe).
 */
public interface JobContext {

    /** The result id under which the lines written through {@link #log()} are kept. */
    String LOG_RESULT = "log";

    /** The UWS job id. */
    String jobId();

    /** The job's validated parameters, typed, with defaults applied (names are case-insensitive). */
    TypedParameters parameters();

    /**
     * Opens a result for writing. The result is listed, with its size, when the stream is closed; streams the
     * logic leaves open are closed (and listed) when the logic returns. Writing the same id again replaces it.
     *
     * @param id       1 to 128 characters of {@code [A-Za-z0-9._-]}, not starting with a dot
     * @param mimeType the MIME type, or null
     * @throws IllegalArgumentException if {@code id} is not a legal result id
     * @throws IOException              if result storage fails
     */
    OutputStream result(String id, String mimeType) throws IOException;

    /** Lists a result whose bytes live elsewhere (a URL of another service, a {@code file:} URI on shared storage). */
    void addResult(Result result);

    /**
     * Reads an inline upload of the job.
     *
     * @param name the upload's name, its {@code param:name} reference, or the name of a parameter whose value is
     *             such a reference
     * @throws java.nio.file.NoSuchFileException if the job has no such upload
     * @throws IOException                       if result storage fails
     */
    InputStream upload(String name) throws IOException;

    /**
     * Reports progress, shown in the job's jobInfo.
     *
     * @param fraction between 0 and 1, or negative if unknown
     * @param message  a short text, or null
     */
    void progress(double fraction, String message);

    /**
     * A logger for this job. Each line at INFO or above (DEBUG and TRACE when the host's logger
     * {@code org.uwskit.local.job.<jobType>} enables them) goes both to the host's logging, prefixed with the job id,
     * and to the job's own result {@value #LOG_RESULT} (text/plain), which is listed when the logic ends. The result
     * id {@value #LOG_RESULT} is therefore reserved once the logic logs.
     */
    Logger log();

    /**
     * Whether the job should stop: true after a client ABORT, when the execution duration expired, or when the
     * backend shuts down. The job's thread is interrupted at the same moment.
     */
    boolean isCancelled();

    /** The instant by which the job must end (start + execution duration), or null when unlimited. */
    Instant deadline();
}
