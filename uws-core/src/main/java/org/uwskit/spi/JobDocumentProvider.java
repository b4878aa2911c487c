package org.uwskit.spi;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import org.uwskit.Job;
import org.uwskit.JobList;

/**
 * An extra document about a job that the HTTP layer serves at {@code /{jobs}/{job-id}/{name}} without knowing the
 * module that produces it (uws-prov registers its provenance documents this way). The adapter picks the media type
 * from a {@code FORMAT} parameter or the {@code Accept} header among {@link #mediaTypes()}, answers 404 when
 * {@link #appliesTo} is false and 406 when no media type fits.
 *
 * <p>Thread-safe; {@link #write} may do I/O but must not change the job.
 */
public interface JobDocumentProvider {

    /**
     * The path segment, e.g. {@code provenance}; must not collide with the UWS sub-resource names. Constant.
     *
     * @return the name
     */
    String name();

    /**
     * The media types offered, the default first. Constant.
     *
     * @return the media types, not empty
     */
    List<String> mediaTypes();

    /**
     * Short format names accepted by the {@code FORMAT} parameter (e.g. {@code json → application/json}), in the
     * same order as {@link #mediaTypes()}. Constant.
     *
     * @return one name per media type
     */
    List<String> formatNames();

    /**
     * Whether a document exists for this job now (provenance: only for finished jobs). Cheap; no I/O.
     *
     * @param job     the job's current snapshot
     * @param jobList its job list
     * @return true if {@link #write} can produce the document
     */
    boolean appliesTo(Job job, JobList jobList);

    /**
     * Whether the adapter lists this document among the job's results (id = {@link #name()}). Cheap; no I/O.
     *
     * @param job     the job's current snapshot
     * @param jobList its job list
     * @return true to list it; false by default
     */
    default boolean listAsResult(Job job, JobList jobList) {
        return false;
    }

    /**
     * Writes the document in {@code mediaType}. Does not close {@code out}. Called only when {@link #appliesTo} was
     * true and with one of {@link #mediaTypes()}.
     *
     * @param job       the job's current snapshot
     * @param jobList   its job list
     * @param links     the URLs of the job list's resources, for references in the document
     * @param mediaType one of {@link #mediaTypes()}
     * @param out       where to write
     * @throws IOException if writing fails (the response is then cut short)
     */
    void write(Job job, JobList jobList, JobLinks links, String mediaType, OutputStream out) throws IOException;
}
