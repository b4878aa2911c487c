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
    /** The media type written, e.g. {@code application/xml}. */
    String mediaType();

    /** {@code <uws:job>}. */
    void writeJob(Job job, JobLinks links, OutputStream out) throws IOException;

    /** {@code <uws:jobs>}, streamed from the iterator. */
    void writeJobList(Iterator<JobRef> jobs, JobLinks links, OutputStream out) throws IOException;

    /** {@code <uws:results>}. */
    void writeResults(Job job, JobLinks links, OutputStream out) throws IOException;

    /** {@code <uws:parameters>}. */
    void writeParameters(Job job, JobLinks links, OutputStream out) throws IOException;
}
