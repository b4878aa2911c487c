package org.uwskit.spi;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Iterator;
import org.uwskit.Job;
import org.uwskit.JobRef;

/**
 * Writes UWS documents in one representation. uws-core ships UWS 1.1 XML ({@code org.uwskit.xml.UwsXml}) and JSON
 * ({@code org.uwskit.json.UwsJson}). Thread-safe; writes to the stream without closing it; a job list is written
 * as it is iterated, never collected first.
 */
public interface JobSerializer {
    /**
     * The media type written, e.g. {@code application/xml}.
     *
     * @return the media type, without parameters
     */
    String mediaType();

    /**
     * Writes {@code <uws:job>}.
     *
     * @param job   the job
     * @param links the URLs used for references
     * @param out   where to write (not closed)
     * @throws IOException if the stream fails
     */
    void writeJob(Job job, JobLinks links, OutputStream out) throws IOException;

    /**
     * Writes {@code <uws:jobs>}, streamed from the iterator. If the iterator throws, the exception propagates and
     * the document is left unfinished, so that a client cannot mistake it for a complete list.
     *
     * @param jobs  the jobs, in list order
     * @param links the URLs used for references
     * @param out   where to write (not closed)
     * @throws IOException if the stream fails
     */
    void writeJobList(Iterator<JobRef> jobs, JobLinks links, OutputStream out) throws IOException;

    /**
     * Writes {@code <uws:results>}.
     *
     * @param job   the job
     * @param links the URLs used for references
     * @param out   where to write (not closed)
     * @throws IOException if the stream fails
     */
    void writeResults(Job job, JobLinks links, OutputStream out) throws IOException;

    /**
     * Writes {@code <uws:parameters>}.
     *
     * @param job   the job
     * @param links the URLs used for references
     * @param out   where to write (not closed)
     * @throws IOException if the stream fails
     */
    void writeParameters(Job job, JobLinks links, OutputStream out) throws IOException;
}
